//===- BackwardWorklist.h - a backward worklist over our own CFG -*- C++ -*-===//
//
// clang's BackwardDataflowWorklist wants an AnalysisDeclContext, which
// builds a CFG of its own; the liveness analyses run on the flow analysis's
// CFG, so they take the same worklist over a PostOrderCFGView of it.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_BACKWARDWORKLIST_H
#define PEER_TIDY_ANALYSIS_BACKWARDWORKLIST_H

#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/FlowSensitive/DataflowWorklist.h"

namespace peer {

struct BackwardWorklist
    : clang::DataflowWorklistBase<clang::PostOrderCFGView::BlockOrderCompare,
                                  20> {
  BackwardWorklist(const clang::CFG &Graph,
                   const clang::PostOrderCFGView &Order)
      : DataflowWorklistBase(Graph, Order.getComparator()) {}
  void enqueuePredecessors(const clang::CFGBlock *B) {
    for (const clang::CFGBlock *Pred : B->preds())
      enqueueBlock(Pred);
  }
};

} // namespace peer

#endif
