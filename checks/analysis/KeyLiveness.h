//===- KeyLiveness.h - which keys a later operation can still name -*- C++ -*-===//
//
// The state keeps facts per key: calls made while it was not monitored,
// lookups that fed an operation, keys monitored on every path. A fact about
// a key that no later operation can name is dead weight: without dropping
// it, a function of N lookups of N different keys carries N facts through
// every block, and the analysis grows quadratically with its length (clang's
// static analyzer drops dead symbols for the same reason).
//
// A later operation names a key syntactically (a lookup's site, a peer given
// by value) or through a handle (a variable holding a lookup's result, which
// Liveness keeps while some block reads it). The first kind is collected
// here per block and propagated backwards; the second is read off the
// handles that survive. Where an operation's key cannot be told without the
// flow (a D-Bus match rule, a caller stored for later, a callback's body),
// nothing is dropped before it. Open windows of edge monitors are never
// dropped: they are findings at the function's exit.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_KEYLIVENESS_H
#define PEER_TIDY_ANALYSIS_KEYLIVENESS_H

#include "Lattice.h"
#include "Operations.h"
#include "PeerKeys.h"

#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"

#include <vector>

namespace peer {

class KeyLiveness {
public:
  KeyLiveness(const clang::CFG &Graph, Operations &Ops, FunctionKeys &Keys);

  /// Forgets the facts of \p S about keys that nothing after \p B can name:
  /// neither an operation in a block reachable from \p B nor a handle \p S
  /// still holds.
  void dropDeadKeys(const clang::CFGBlock *B, State &S) const;

private:
  void collect(const clang::Stmt *S, std::vector<unsigned> &Used, bool &Unknown,
               bool InSuspend = false);
  void addKey(unsigned Key, std::vector<unsigned> &Used) const;

  Operations &Ops;
  FunctionKeys &Keys;
  /// Per block: the keys named in a block reachable from it (not itself).
  std::vector<llvm::BitVector> NamedAfter;
  /// Per block: a block reachable from it names keys it cannot tell.
  std::vector<bool> UnknownAfter;
};

} // namespace peer

#endif
