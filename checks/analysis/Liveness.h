//===- Liveness.h - which variables a block's successors still read -*- C++ -*-===//
//
// The flow analysis carries, per block, the handles every variable holds. A
// handle in a variable that no later block reads can never reach an
// operation again, so it is dropped at the end of the block: without that,
// a function of N lookups carries N handles through every block, and the
// analysis grows quadratically with the function's length.
//
// A variable is live at the end of a block when some block reachable from it
// refers to it before declaring it anew. Only declarations end a range (an
// assignment does not, unlike clang's LiveVariables), which is coarser but
// runs on the analysis's own CFG and is all that dropping handles needs.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_LIVENESS_H
#define PEER_TIDY_ANALYSIS_LIVENESS_H

#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseSet.h"
#include <vector>

namespace peer {

class Liveness {
public:
  explicit Liveness(const clang::CFG &Graph);

  /// Is \p VD read by some block after \p B?
  bool isLiveAfter(const clang::CFGBlock *B, const clang::VarDecl *VD) const {
    return LiveOut[B->getBlockID()].contains(VD);
  }

private:
  std::vector<llvm::DenseSet<const clang::VarDecl *>> LiveOut;
};

} // namespace peer

#endif
