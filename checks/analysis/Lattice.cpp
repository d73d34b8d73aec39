//===- Lattice.cpp - the state the flow analysis carries ------------------===//

#include "Lattice.h"

#include <algorithm>
#include <iterator>
#include <vector>

namespace peer {

namespace {

unsigned keyOf(const UnmonitoredEvent &E) { return std::get<0>(E); }
unsigned keyOf(const std::pair<unsigned, const clang::Expr *> &E) {
  return E.first;
}
const clang::Expr *siteOf(const UnmonitoredEvent &E) { return std::get<1>(E); }
const clang::Expr *siteOf(const std::pair<unsigned, const clang::Expr *> &E) {
  return E.second;
}

/// Drops, from one key's events [First, Last), all but the MaxEventsPerKey
/// earliest (by position: deterministic, and the order the notes are shown
/// in). Returns the end of the range.
template <typename Set>
typename Set::iterator trimRange(Set &Events, typename Set::iterator First,
                                 typename Set::iterator Last) {
  size_t Count = std::distance(First, Last);
  if (Count <= State::MaxEventsPerKey)
    return Last;
  std::vector<typename Set::value_type> Same(First, Last);
  std::sort(Same.begin(), Same.end(), [](const auto &A, const auto &B) {
    return siteOf(A)->getBeginLoc().getRawEncoding() <
           siteOf(B)->getBeginLoc().getRawEncoding();
  });
  for (size_t I = State::MaxEventsPerKey; I < Same.size(); ++I)
    Events.erase(Same[I]);
  return Last;
}

/// The end of \p Key's events starting at \p First: the sets order events by
/// key first, so one key's events are contiguous.
template <typename Set>
typename Set::iterator keyEnd(Set &Events, typename Set::iterator First,
                              unsigned Key) {
  while (First != Events.end() && keyOf(*First) == Key)
    ++First;
  return First;
}

template <typename Set> void trimKey(Set &Events, typename Set::iterator Any) {
  unsigned Key = keyOf(*Any);
  auto First = Any;
  while (First != Events.begin() && keyOf(*std::prev(First)) == Key)
    --First;
  trimRange(Events, First, keyEnd(Events, Any, Key));
}

/// One pass over the set, trimming each key's range.
template <typename Set> void trimAll(Set &Events) {
  for (auto First = Events.begin(); First != Events.end();)
    First = trimRange(Events, First, keyEnd(Events, First, keyOf(*First)));
}

} // namespace

void State::addUnmonitored(const UnmonitoredEvent &E) {
  if (auto [It, Inserted] = Unmonitored.insert(E); Inserted)
    trimKey(Unmonitored, It);
}

void State::addFedLookup(unsigned Key, const clang::Expr *Site) {
  if (auto [It, Inserted] = FedLookups.insert({Key, Site}); Inserted)
    trimKey(FedLookups, It);
}

void State::join(const State &O) {
  if (!O.Reached)
    return;
  if (!Reached) {
    *this = O;
    return;
  }
  for (const auto &[VD, Info] : O.Handles) {
    auto [It, New] = Handles.try_emplace(VD, Info);
    if (New)
      continue;
    HandleInfo &Mine = It->second;
    // Proxies of two different peers: which one is unknown.
    if (Mine.ProxyKey != Info.ProxyKey)
      Mine.ProxyKey = ~0u;
    Mine.Origins.insert(Info.Origins.begin(), Info.Origins.end());
    Mine.MaybeUnchecked |= Info.MaybeUnchecked;
    // The whole variable on either path holds it on some path.
    if (Mine.Fields.empty() || Info.Fields.empty())
      Mine.Fields.clear();
    else
      Mine.Fields.insert(Info.Fields.begin(), Info.Fields.end());
  }
  std::set<unsigned> Both;
  std::set_intersection(MonitoredOnAllPaths.begin(), MonitoredOnAllPaths.end(),
                        O.MonitoredOnAllPaths.begin(),
                        O.MonitoredOnAllPaths.end(),
                        std::inserter(Both, Both.begin()));
  MonitoredOnAllPaths = std::move(Both);
  size_t Events = Unmonitored.size(), Fed = FedLookups.size();
  Unmonitored.insert(O.Unmonitored.begin(), O.Unmonitored.end());
  FedLookups.insert(O.FedLookups.begin(), O.FedLookups.end());
  if (Unmonitored.size() != Events)
    trimAll(Unmonitored);
  if (FedLookups.size() != Fed)
    trimAll(FedLookups);
  Pending.insert(O.Pending.begin(), O.Pending.end());
  Frozen = Frozen && O.Frozen;
  std::set<const clang::Expr *> ScannedOnBoth;
  if (Frozen)
    std::set_intersection(FrozenScans.begin(), FrozenScans.end(),
                          O.FrozenScans.begin(), O.FrozenScans.end(),
                          std::inserter(ScannedOnBoth, ScannedOnBoth.begin()));
  FrozenScans = std::move(ScannedOnBoth);
}

} // namespace peer
