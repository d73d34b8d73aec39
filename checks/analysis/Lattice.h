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
#include <map>
#include <set>
#include <tuple>
#include <utility>

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

/// A call (or, for edge monitors, a lookup) made while its key was not
/// monitored: (key, site, role).
using UnmonitoredEvent = std::tuple<unsigned, const clang::Expr *, Role>;

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
  std::set<UnmonitoredEvent> Unmonitored;
  /// (key, lookup site): lookups whose result fed an operation on some path.
  std::set<std::pair<unsigned, const clang::Expr *>> FedLookups;
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

  /// Records an event, keeping per key only the earliest MaxEventsPerKey
  /// (one is enough for a finding; the rest are notes). Without the bound,
  /// a function of N calls of one key carries N events through every block.
  void addUnmonitored(const UnmonitoredEvent &E);
  void addFedLookup(unsigned Key, const clang::Expr *Site);
  static constexpr size_t MaxEventsPerKey = 8;

  /// Forgets every fact about keys \p Mentions says a write changed.
  template <typename Pred> void forgetKeys(Pred Mentions) {
    for (auto It = Unmonitored.begin(); It != Unmonitored.end();)
      It = Mentions(std::get<0>(*It)) ? Unmonitored.erase(It) : std::next(It);
    for (auto It = FedLookups.begin(); It != FedLookups.end();)
      It = Mentions(It->first) ? FedLookups.erase(It) : std::next(It);
    for (auto It = MonitoredOnAllPaths.begin();
         It != MonitoredOnAllPaths.end();)
      It = Mentions(*It) ? MonitoredOnAllPaths.erase(It) : std::next(It);
  }
};

} // namespace peer

#endif
