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

/// Drops, for \p Key, all but the MaxEventsPerKey earliest events (by
/// position: deterministic, and the order the notes are shown in).
template <typename Set> void trimKey(Set &Events, unsigned Key) {
  std::vector<typename Set::value_type> Same;
  for (const auto &E : Events)
    if (keyOf(E) == Key)
      Same.push_back(E);
  if (Same.size() <= State::MaxEventsPerKey)
    return;
  std::sort(Same.begin(), Same.end(), [](const auto &A, const auto &B) {
    return siteOf(A)->getBeginLoc().getRawEncoding() <
           siteOf(B)->getBeginLoc().getRawEncoding();
  });
  for (size_t I = State::MaxEventsPerKey; I < Same.size(); ++I)
    Events.erase(Same[I]);
}

template <typename Set> void trimAll(Set &Events) {
  std::set<unsigned> Keys;
  for (const auto &E : Events)
    Keys.insert(keyOf(E));
  for (unsigned Key : Keys)
    trimKey(Events, Key);
}

} // namespace

void State::addUnmonitored(const UnmonitoredEvent &E) {
  if (Unmonitored.insert(E).second)
    trimKey(Unmonitored, std::get<0>(E));
}

void State::addFedLookup(unsigned Key, const clang::Expr *Site) {
  if (FedLookups.insert({Key, Site}).second)
    trimKey(FedLookups, Key);
}

void State::join(const State &O) {
  if (!O.Reached)
    return;
  if (!Reached) {
    *this = O;
    return;
  }
  for (const auto &[VD, Info] : O.Handles) {
    HandleInfo &Mine = Handles[VD];
    Mine.Origins.insert(Info.Origins.begin(), Info.Origins.end());
    Mine.MaybeUnchecked |= Info.MaybeUnchecked;
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
}

} // namespace peer
