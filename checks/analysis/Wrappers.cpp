//===- Wrappers.cpp - functions that perform a peer operation -------------===//

#include "Wrappers.h"
#include "MatchRules.h"
#include "Expressions.h"
#include "Operations.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace peer {

namespace {

/// True when every variable \p E reads is a parameter of \p FD (or a
/// global, or a constant): the key is "built from its parameters", or from
/// constants alone when the function has no parameters.
bool builtFromParameters(const Stmt *E, const FunctionDecl *FD) {
  bool UsesParameter = false;
  bool UsesLocal = false;
  llvm::SmallVector<const Stmt *, 16> Work{E};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      if (const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
        if (PVD->getDeclContext() == FD)
          UsesParameter = true;
      } else if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        if (VD->hasLocalStorage())
          UsesLocal = true;
      }
    }
    if (isa<CXXThisExpr>(S))
      UsesParameter = true; // the object is the implicit parameter
    Work.append(S->child_begin(), S->child_end());
  }
  return !UsesLocal && (UsesParameter || FD->getNumParams() == 0);
}

/// The index of the parameter of \p FD that \p Arg names, if it is one
/// (through copies, conversions and handle access).
int parameterIndex(const Expr *Arg, const FunctionDecl *FD) {
  const Expr *E = ignoreNameConversions(ignoreHandleAccess(Arg));
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl()))
      if (PVD->getDeclContext() == FD)
        return static_cast<int>(PVD->getFunctionScopeIndex());
  return -1;
}

/// Walks a candidate wrapper's body in evaluation order (children before
/// parents), tracking which local variables hold the result of the key's
/// lookup and what the body first does with it.
class WrapperBodyWalker {
public:
  WrapperBodyWalker(const FunctionDecl *FD, Operations &Ops)
      : FD(FD), Ops(Ops) {}

  std::optional<WrapperSummary> summarise(const Stmt *Body) {
    walk(Body);
    if (ByParameter)
      return ByParameter;
    if (!KeySource)
      return std::nullopt;
    // The wrapper is what it does first with the peer: a wrapper that
    // monitors and then calls is a keyed monitor (and safe), one that calls
    // first is a keyed call.
    if (First)
      return WrapperSummary{*First, KeySource, FD};
    if (Returned)
      return WrapperSummary{Role::Lookup, KeySource, FD};
    return std::nullopt;
  }

private:
  bool holdsLookup(const Expr *E) const {
    E = ignoreHandleAccess(E);
    if (E == KeySource)
      return true;
    if (const VarDecl *VD = namedVar(E))
      return Holders.contains(VD);
    return false;
  }

  void walk(const Stmt *S) {
    if (!S || isa<LambdaExpr>(S))
      return;
    for (const Stmt *Child : S->children())
      walk(Child);
    visit(S);
  }

  void visit(const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (KeySource && VD->getInit() && holdsLookup(VD->getInit()))
            Holders.insert(VD);
      return;
    }
    if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
      noteReturned(RS->getRetValue());
      return;
    }
    if (const auto *CR = dyn_cast<CoreturnStmt>(S)) {
      noteReturned(CR->getOperand());
      return;
    }
    if (isa<CallExpr, CXXConstructExpr>(S))
      visitCall(cast<Expr>(S));
  }

  void noteReturned(const Expr *Value) {
    if (KeySource && Value && holdsLookup(Value))
      Returned = true;
  }

  void visitCall(const Expr *E) {
    std::optional<Operation> Op = Ops.classify(E);
    if (!Op || ByParameter)
      return;
    if (!KeySource && !Op->Keyed && Op->Kind != Role::Caller) {
      // The first operation on a parameter, before any lookup (for a match
      // rule, on the name the rule was built from).
      const Expr *Peer = Op->PeerArg;
      if (Op->InMatchRule) {
        std::optional<RulePeer> Watched =
            peerOfMatchRule(Op->PeerArg, FD->getBody(), E);
        Peer = Watched ? Watched->Arg : nullptr;
      }
      if (int Index = Peer ? parameterIndex(Peer, FD) : -1; Index >= 0) {
        ByParameter = WrapperSummary{Op->Kind, nullptr, FD, Index};
        return;
      }
    }
    if (!KeySource) {
      // The first keyed operation on a key built from our parameters.
      if (Op->Keyed && Op->Kind != Role::Caller &&
          builtFromParameters(E, FD)) {
        KeySource = E;
        if (Op->Kind != Role::Lookup && !First)
          First = Op->Kind;
      }
      return;
    }
    if (!First && !Op->Keyed && Op->PeerArg && holdsLookup(Op->PeerArg))
      First = Op->Kind;
  }

  const FunctionDecl *FD;
  Operations &Ops;
  const Expr *KeySource = nullptr;
  llvm::DenseSet<const VarDecl *> Holders;
  std::optional<Role> First;
  bool Returned = false;
  std::optional<WrapperSummary> ByParameter;
};

} // namespace

const WrapperSummary *WrapperInference::summaryOf(const FunctionDecl *FD,
                                                  Operations &Ops) {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def)
    return nullptr;
  auto It = Summaries.find(Def);
  if (It != Summaries.end())
    return It->second ? &*It->second : nullptr;
  if (isInSystemCode(Def) || !InProgress.insert(Def).second)
    return nullptr;
  std::optional<WrapperSummary> Summary = infer(Def, Ops);
  InProgress.erase(Def);
  auto &Slot = Summaries[Def];
  Slot = Summary;
  return Slot ? &*Slot : nullptr;
}

std::optional<WrapperSummary>
WrapperInference::infer(const FunctionDecl *FD, Operations &Ops) {
  const Stmt *Body = FD->getBody();
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    Body = CB->getBody();
  if (!Body)
    return std::nullopt;
  return WrapperBodyWalker(FD, Ops).summarise(Body);
}

} // namespace peer
