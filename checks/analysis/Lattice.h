//===- Lattice.h - the state the flow analysis carries ----------*- C++ -*-===//
//
// At each program point: which variables hold which lookups' results (and
// whether they may still be untested), which keys are monitored on every
// path, which calls and lookups were made on some path while their key was
// not monitored, and which lookups already fed an operation. Join is union
// for the may-sets and intersection for the must-set.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_LATTICE_H
#define PEER_TIDY_ANALYSIS_LATTICE_H

#include "Roles.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

namespace peer {

/// One lookup's result: where it was looked up and under which key.
using Origin = std::pair<const clang::Expr *, unsigned>;

struct HandleInfo {
  std::set<Origin> Origins;
  bool MaybeUnchecked = false;
  /// A proxy object (Role::Proxy): the key of the peer it was made for, by
  /// value; ~0u (NoKey) for a lookup's handle.
  unsigned ProxyKey = ~0u;
  /// The members that hold it (list[i].pid = found(), c.pid = found()):
  /// reading another member of the variable reads no handle. Empty: the
  /// variable itself (or every element of it) holds it.
  std::set<const clang::FieldDecl *> Fields;
  bool operator==(const HandleInfo &O) const {
    return Origins == O.Origins && MaybeUnchecked == O.MaybeUnchecked &&
           ProxyKey == O.ProxyKey && Fields == O.Fields;
  }
  /// Whether reading member \p Field (null: the whole) reads the handle.
  bool heldIn(const clang::FieldDecl *Field) const {
    return Fields.empty() || (Field && Fields.count(Field));
  }
};

/// The position events are ordered by within a key: the site's raw begin
/// location, computed once (the notes show the earliest events, and sorting
/// by getBeginLoc on every trim was a long function's cost).
inline unsigned positionOf(const clang::Expr *Site) {
  return Site->getBeginLoc().getRawEncoding();
}

/// A call (or, for edge monitors, a lookup) made while its key was not
/// monitored.
struct UnmonitoredEvent {
  unsigned Key;
  unsigned Pos;
  const clang::Expr *Site;
  Role Kind;
  UnmonitoredEvent(unsigned Key, const clang::Expr *Site, Role Kind)
      : Key(Key), Pos(positionOf(Site)), Site(Site), Kind(Kind) {}
  bool operator<(const UnmonitoredEvent &O) const {
    return std::tie(Key, Pos, Site, Kind) <
           std::tie(O.Key, O.Pos, O.Site, O.Kind);
  }
  bool operator==(const UnmonitoredEvent &O) const {
    return Key == O.Key && Site == O.Site && Kind == O.Kind;
  }
};

/// A lookup whose result fed an operation on some path.
struct FedLookup {
  unsigned Key;
  unsigned Pos;
  const clang::Expr *Site;
  FedLookup(unsigned Key, const clang::Expr *Site)
      : Key(Key), Pos(positionOf(Site)), Site(Site) {}
  bool operator<(const FedLookup &O) const {
    return std::tie(Key, Pos, Site) < std::tie(O.Key, O.Pos, O.Site);
  }
  bool operator==(const FedLookup &O) const {
    return Key == O.Key && Site == O.Site;
  }
};

/// Events (UnmonitoredEvent, FedLookup) in one vector ordered by key, then
/// position, keeping per key only the Limit earliest: one is enough for a
/// finding, the rest are its notes; without the bound a function of N calls
/// of one key carries N events through every block. A state is copied for
/// every block and compared at every join: a vector copies in one
/// allocation where a std::set allocates a node per element.
template <typename T, size_t Limit> class EventSet {
public:
  using const_iterator = typename std::vector<T>::const_iterator;
  const_iterator begin() const { return Items.begin(); }
  const_iterator end() const { return Items.end(); }
  size_t size() const { return Items.size(); }

  void insert(const T &V) {
    auto It = std::lower_bound(Items.begin(), Items.end(), V);
    if (It != Items.end() && *It == V)
      return;
    size_t At = It - Items.begin(), First = At;
    while (First > 0 && Items[First - 1].Key == V.Key)
      --First;
    if (At - First >= Limit)
      return; // Limit earlier events of its key are kept already
    Items.insert(It, V);
    size_t Last = At;
    while (Last < Items.size() && Items[Last].Key == V.Key)
      ++Last;
    if (Last - First > Limit)
      Items.erase(Items.begin() + (Last - 1));
  }

  /// Adds the events of \p O.
  void merge(const EventSet &O) {
    if (O.Items.empty() || O.Items == Items)
      return;
    std::vector<T> Union;
    Union.reserve(Items.size() + O.Items.size());
    std::set_union(Items.begin(), Items.end(), O.Items.begin(), O.Items.end(),
                   std::back_inserter(Union));
    // Keep each key's Limit earliest.
    size_t Kept = 0, Run = 0;
    for (size_t I = 0; I < Union.size(); ++I) {
      Run = I > 0 && Union[I].Key == Union[I - 1].Key ? Run + 1 : 0;
      if (Run < Limit)
        Union[Kept++] = Union[I];
    }
    Union.erase(Union.begin() + Kept, Union.end());
    Items = std::move(Union);
  }

  template <typename Pred> void eraseIf(Pred P) {
    Items.erase(std::remove_if(Items.begin(), Items.end(), P), Items.end());
  }
  bool operator==(const EventSet &O) const { return Items == O.Items; }

private:
  std::vector<T> Items;
};

/// An edge monitor that started after a window opened on its key: (key,
/// monitor, earlier event, its role). It is a finding unless the state of
/// the peer is queried again after the watch ("watch, then re-check").
using PendingWindow =
    std::tuple<unsigned, const clang::Expr *, const clang::Expr *, Role>;

struct State {
  bool Reached = false;
  std::map<const clang::VarDecl *, HandleInfo> Handles;
  /// Keys monitored on every path to here.
  std::set<unsigned> MonitoredOnAllPaths;
  static constexpr size_t MaxEventsPerKey = 8;
  EventSet<UnmonitoredEvent, MaxEventsPerKey> Unmonitored;
  EventSet<FedLookup, MaxEventsPerKey> FedLookups;
  /// Edge monitors whose window is still open on some path.
  std::set<PendingWindow> Pending;
  /// Every other peer is stopped (Role::Freeze) on every path to here, and
  /// the scans made since then on every path: what they found stays valid.
  bool Frozen = false;
  std::set<const clang::Expr *> FrozenScans;

  bool operator==(const State &O) const {
    return Reached == O.Reached && Handles == O.Handles &&
           MonitoredOnAllPaths == O.MonitoredOnAllPaths &&
           Unmonitored == O.Unmonitored && FedLookups == O.FedLookups &&
           Pending == O.Pending && Frozen == O.Frozen &&
           FrozenScans == O.FrozenScans;
  }

  void join(const State &O);

  /// Forgets every fact about keys \p Mentions says a write changed.
  template <typename Pred> void forgetKeys(Pred Mentions) {
    Unmonitored.eraseIf(
        [&](const UnmonitoredEvent &E) { return Mentions(E.Key); });
    FedLookups.eraseIf([&](const FedLookup &E) { return Mentions(E.Key); });
    for (auto It = MonitoredOnAllPaths.begin();
         It != MonitoredOnAllPaths.end();)
      It = Mentions(*It) ? MonitoredOnAllPaths.erase(It) : std::next(It);
  }
};

} // namespace peer

#endif
