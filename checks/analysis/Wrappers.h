//===- Wrappers.h - functions that perform a peer operation ----*- C++ -*-===//
//
// A wrapper is a function defined in user code that performs a peer
// operation for its caller, in one of two ways:
//   * keyed: its body looks up a key built from its parameters (or from
//     constants only) and then calls, monitors or returns the result; at
//     its call sites it counts as that operation, keyed by the call site's
//     arguments ("bool isUp(name) { return bus->isServiceRegistered(name); }");
//   * by parameter: its body first calls, monitors or watches one of its
//     parameters; at its call sites it counts as that operation on the
//     argument ("void watch(const QString &s) { w->addWatchedService(s); }").
// Either way the wrapper is what it does first with the peer. Summaries are
// inferred on demand and memoised.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_WRAPPERS_H
#define PEER_TIDY_ANALYSIS_WRAPPERS_H

#include "BodySummaries.h"
#include "Roles.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <optional>

namespace peer {

class Operations;

/// What a wrapper function does, and to which peer.
struct WrapperSummary {
  Role Kind;
  /// Keyed: the call in the wrapper's body that looks the key up (a lookup,
  /// or a call of another wrapper). Null for a wrapper by parameter.
  const clang::Expr *KeySource;
  const clang::FunctionDecl *Wrapper;
  /// By parameter: the index of the parameter that holds the peer.
  int PeerParam = -1;
  /// By parameter: the member of that parameter that holds it (kill(c->pid)
  /// in a function given the struct c), or null for the parameter itself.
  const clang::FieldDecl *PeerField = nullptr;
  /// By parameter: on some path it also calls that peer by its raw
  /// identity (an unpinned call), whatever it does first.
  bool AlsoUnpinned = false;
  /// By parameter: an edge monitor that only a callback it hands over (a
  /// lambda) starts, after it returns: whatever its caller does after the
  /// call, a re-check included, comes before the watch.
  bool Deferred = false;
  /// Keyed, a lookup: the parameter that is the name it looks up, when the
  /// key source looks up just that name (isUp(name), GetNameOwner of it).
  /// Another unit's summary then names it (Summaries.h).
  int KeyParam = -1;
};

class WrapperInference {
public:
  /// The summary of \p FD (its definition), or null when it is no wrapper.
  /// Recursion yields "not a wrapper".
  const WrapperSummary *summaryOf(const clang::FunctionDecl *FD,
                                  Operations &Ops);

private:
  BodySummaries<WrapperSummary> Summaries;
};

} // namespace peer

#endif
