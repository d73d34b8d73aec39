//===- KeyLiveness.cpp - which keys a later operation can still name ------===//

#include "KeyLiveness.h"
#include "BackwardWorklist.h"
#include "Expressions.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace clang;

namespace peer {

void KeyLiveness::addKey(unsigned Key, std::vector<unsigned> &Used) const {
  if (Key == NoKey)
    return;
  Used.push_back(Key);
  if (unsigned Alias = Keys.info(Key).NameAlias; Alias != NoKey)
    Used.push_back(Alias);
}

/// The keys the operations in \p S name, as Transfer will compute them.
void KeyLiveness::collect(const Stmt *S, std::vector<unsigned> &Used,
                          bool &Unknown, bool InSuspend) {
  if (!S)
    return;
  if (isa<LambdaExpr>(S)) {
    Unknown = true; // a callback's body is analysed from here
    return;
  }
  if (isa<CallExpr, CXXConstructExpr>(S))
    if (std::optional<Operation> Op = Ops.classify(cast<Expr>(S))) {
      if (Op->Kind == Role::Caller || Op->InMatchRule) {
        Unknown = true;
      } else if (Op->Keyed || Op->ResultArg) {
        addKey(Keys.keyOfSite(cast<Expr>(S)), Used);
      } else {
        llvm::SmallVector<const Expr *, 4> Peers = listElements(Op->PeerArg);
        if (Peers.empty())
          Peers.push_back(Op->PeerArg);
        for (const Expr *Arg : Peers) {
          addKey(Keys.keyOfName(Arg), Used);
          const Expr *Peer = ignoreHandleAccess(Arg);
          if (isa<CallExpr, CXXConstructExpr>(Peer) && Ops.isLookup(Peer))
            addKey(Keys.keyOfSite(Peer), Used);
        }
      }
    }
  // A name copied elsewhere (priv->owner = g_strdup(owner)) passes on the
  // caller it holds (Transfer::noteStoredCaller): it is named there.
  if (std::optional<Assignment> A = asAssignment(S); A && A->Value) {
    const Expr *Source = ignoreNameConversions(A->Value)->IgnoreParenImpCasts();
    if (isa<DeclRefExpr, MemberExpr>(Source) && isNameType(Source->getType()))
      addKey(Keys.keyOfName(Source), Used);
  }
  // CFG elements are single expressions (the CFG adds every sub-expression
  // on its own), except a co_await or co_yield, whose operand Transfer walks
  // whole: so only that operand is walked here.
  if (isa<CoroutineSuspendExpr>(S) || InSuspend)
    for (const Stmt *Child : S->children())
      collect(Child, Used, Unknown, /*InSuspend=*/true);
}

KeyLiveness::KeyLiveness(const CFG &Graph, Operations &Ops, FunctionKeys &Keys)
    : Ops(Ops), Keys(Keys) {
  unsigned Blocks = Graph.getNumBlockIDs();
  std::vector<std::vector<unsigned>> Used(Blocks);
  std::vector<bool> UnknownIn(Blocks, false);
  unsigned NumKeys = 0;
  for (const CFGBlock *B : Graph) {
    unsigned Id = B->getBlockID();
    bool Unknown = false;
    for (const CFGElement &El : *B) {
      if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>())
        collect(CS->getStmt(), Used[Id], Unknown);
      else if (El.getAs<CFGInitializer>())
        Unknown = true; // a caller stored in a member (noteStoredCaller)
    }
    UnknownIn[Id] = Unknown;
    for (unsigned Key : Used[Id])
      NumKeys = std::max(NumKeys, Key + 1);
  }
  NamedAfter.assign(Blocks, llvm::BitVector(NumKeys));
  UnknownAfter.assign(Blocks, false);
  std::vector<llvm::BitVector> NamedIn(Blocks, llvm::BitVector(NumKeys));
  for (unsigned Id = 0; Id < Blocks; ++Id)
    for (unsigned Key : Used[Id])
      NamedIn[Id].set(Key);

  // NamedAfter(B) = the union over B's successors S of NamedIn(S) and
  // NamedAfter(S); the same for UnknownAfter.
  PostOrderCFGView Order(&Graph);
  BackwardWorklist Worklist(Graph, Order);
  for (const CFGBlock *B : Graph)
    Worklist.enqueueBlock(B);
  while (const CFGBlock *B = Worklist.dequeue()) {
    unsigned Id = B->getBlockID();
    llvm::BitVector Named = NamedAfter[Id];
    bool Unknown = UnknownAfter[Id];
    for (const CFGBlock *Succ : B->succs()) {
      if (!Succ)
        continue;
      unsigned S = Succ->getBlockID();
      Named |= NamedIn[S];
      Named |= NamedAfter[S];
      Unknown = Unknown || UnknownIn[S] || UnknownAfter[S];
    }
    if (Named != NamedAfter[Id] || Unknown != UnknownAfter[Id]) {
      NamedAfter[Id] = std::move(Named);
      UnknownAfter[Id] = Unknown;
      Worklist.enqueuePredecessors(B);
    }
  }
}

void KeyLiveness::dropDeadKeys(const CFGBlock *B, State &S) const {
  unsigned Id = B->getBlockID();
  if (UnknownAfter[Id])
    return;
  llvm::SmallVector<unsigned, 16> Held;
  auto Hold = [&](unsigned Key) {
    if (Key == NoKey)
      return;
    Held.push_back(Key);
    if (unsigned Alias = Keys.info(Key).NameAlias; Alias != NoKey)
      Held.push_back(Alias);
  };
  for (const auto &[VD, Info] : S.Handles) {
    for (const Origin &O : Info.Origins)
      Hold(O.second);
    Hold(Info.ProxyKey);
  }
  llvm::sort(Held);
  const llvm::BitVector &Named = NamedAfter[Id];
  // A key interned after this analysis was built (by the flow itself) is
  // kept: nothing here knows where it is named.
  S.forgetKeys([&](unsigned Key) {
    return Key < Named.size() && !Named.test(Key) &&
           !std::binary_search(Held.begin(), Held.end(), Key);
  });
}

} // namespace peer
