//===- Liveness.cpp - which variables a block's successors still read -----===//

#include "Liveness.h"
#include "BackwardWorklist.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace peer {

namespace {

/// The variables an element refers to. CFG elements are single expressions
/// (the CFG is built with every sub-expression added), except a lambda (its
/// captures) and a co_await or co_yield (its operand is not broken down).
void addReferences(const Stmt *S, llvm::DenseSet<const VarDecl *> &Refs) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      Refs.insert(VD);
    return;
  }
  if (const auto *Lambda = dyn_cast<LambdaExpr>(S)) {
    for (const LambdaCapture &C : Lambda->captures())
      if (C.capturesVariable())
        if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
          Refs.insert(VD);
    return;
  }
  if (const auto *Choice = dyn_cast<AbstractConditionalOperator>(S)) {
    // Where the branches join, the analysis reads the handle of either
    // (kill(group ? -id : id, sig)): what they refer to is read here too.
    llvm::SmallVector<const Stmt *, 8> Work{Choice->getTrueExpr(),
                                            Choice->getFalseExpr()};
    while (!Work.empty()) {
      const Stmt *Part = Work.pop_back_val();
      if (!Part || isa<LambdaExpr>(Part))
        continue;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Part))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          Refs.insert(VD);
      Work.append(Part->child_begin(), Part->child_end());
    }
    return;
  }
  if (isa<CoroutineSuspendExpr>(S))
    for (const Stmt *Child : S->children())
      if (Child) {
        addReferences(Child, Refs);
        for (const Stmt *Grand : Child->children())
          if (Grand)
            addReferences(Grand, Refs);
      }
}

using VarSet = llvm::DenseSet<const VarDecl *>;

/// What one block reads before (or without) declaring it, and what it
/// declares, which is not live before its declaration.
void scanBlock(const CFGBlock &B, VarSet &Use, VarSet &Decl) {
  auto Read = [&](const Stmt *S) {
    VarSet Refs;
    addReferences(S, Refs);
    for (const VarDecl *VD : Refs)
      if (!Decl.contains(VD))
        Use.insert(VD);
  };
  for (const CFGElement &El : B) {
    std::optional<CFGStmt> CS = El.getAs<CFGStmt>();
    if (!CS)
      continue;
    if (const auto *DS = dyn_cast<DeclStmt>(CS->getStmt())) {
      for (const clang::Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          Decl.insert(VD);
      continue;
    }
    Read(CS->getStmt());
  }
  if (const Stmt *Cond = B.getTerminatorCondition())
    Read(Cond);
}

} // namespace

Liveness::Liveness(const CFG &Graph) : LiveOut(Graph.getNumBlockIDs()) {
  std::vector<VarSet> Uses(Graph.getNumBlockIDs()),
      Declared(Graph.getNumBlockIDs());
  for (const CFGBlock *B : Graph)
    scanBlock(*B, Uses[B->getBlockID()], Declared[B->getBlockID()]);
  // LiveIn(S) = Uses(S) + (LiveOut(S) - Declared(S));
  // LiveOut(B) = the union of LiveIn over B's successors.
  PostOrderCFGView Order(&Graph);
  BackwardWorklist Worklist(Graph, Order);
  for (const CFGBlock *B : Graph)
    Worklist.enqueueBlock(B);
  while (const CFGBlock *B = Worklist.dequeue()) {
    llvm::DenseSet<const VarDecl *> &Out = LiveOut[B->getBlockID()];
    size_t Before = Out.size();
    for (const CFGBlock *Succ : B->succs()) {
      if (!Succ)
        continue;
      unsigned Id = Succ->getBlockID();
      Out.insert(Uses[Id].begin(), Uses[Id].end());
      for (const VarDecl *VD : LiveOut[Id])
        if (!Declared[Id].contains(VD))
          Out.insert(VD);
    }
    if (Out.size() != Before)
      Worklist.enqueuePredecessors(B);
  }
}

} // namespace peer
