//===- StoredScans.h - scanned peers kept beyond their function -*- C++ -*-===//
//
// A scan's (or a lookup's) find often outlives the function that made it:
// start-stop- daemon's do_procinit pushes each matching pid onto a global list
// (through a helper given the pid), and do_stop later walks the list and
// signals each pid by value. Within do_stop no scan is in sight, yet every pid
// it reads from the list was found by one, and may name another process by now.
//
// The unit's record: which members (of any object of a record type) and
// which variables of static storage were given a peer that a scan found,
// directly (p->pid = pid, with pid parsed from a /proc entry) or through a
// function of the project that stores its parameter there (check(pid)). A
// raw-identity call on a value read from such a place, in a function that
// did not scan it itself, is then an unpinned call on a scanned peer. The
// record is complete only after every function of the unit was analysed, so
// those findings are added last (PeerAnalysis::analyzeUnit). A pid that a
// lookup found (a project's function that reads it, named as a lookup) is
// kept the same way: xdg-desktop-portal keeps the child pid it read in a
// record handed to an asynchronous call, whose callback kills it.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_STOREDSCANS_H
#define PEER_TIDY_ANALYSIS_STOREDSCANS_H

#include "BodySummaries.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <utility>

namespace peer {

class Operations;

/// Where \p E keeps a value beyond the function it is in: the member it
/// writes or reads (p->pid, r.pid, list[i].pid), or the variable of static
/// storage it names (found_pid, pids[i]). Null for anything else.
const clang::ValueDecl *lastingStorageOf(const clang::Expr *E);

/// Where a function stores what its parameters hold: (parameter index,
/// member or static variable) pairs.
struct ParameterStores {
  llvm::SmallVector<std::pair<unsigned, const clang::ValueDecl *>, 2> Stores;
};

class StoredScans {
public:
  /// Where a kept peer was found: the scan's or lookup's call.
  struct Find {
    const clang::Expr *Site;
    bool ByScan;
  };

  /// Records that \p Holder was given a peer found by the scan or lookup
  /// at \p Site; the first recorded for a holder is the one a finding names.
  void noteStore(const clang::ValueDecl *Holder, const clang::Expr *Site,
                 bool ByScan) {
    Stored.insert({Holder, Find{Site, ByScan}});
  }

  /// The scan or lookup that gave \p Holder a peer, if any did.
  std::optional<Find> findStoredIn(const clang::ValueDecl *Holder) const {
    auto It = Stored.find(Holder);
    if (It == Stored.end())
      return std::nullopt;
    return It->second;
  }

  /// Where \p FD (its definition, in the project) stores its parameters:
  /// assigned to a member or a static variable, directly, through a local
  /// copy or a conversion, or by passing them to a function that does.
  /// Recursion yields nothing.
  const ParameterStores *parameterStoresOf(const clang::FunctionDecl *FD,
                                           Operations &Ops);

private:
  llvm::MapVector<const clang::ValueDecl *, Find> Stored;
  BodySummaries<ParameterStores> Summaries;
};

} // namespace peer

#endif
