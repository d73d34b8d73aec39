//===- Expressions.cpp - how an expression reaches a peer -----------------===//

#include "Expressions.h"
#include "Roles.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace peer {

const Expr *ignoreWrappers(const Expr *E) {
  while (E) {
    const Expr *Before = E;
    E = E->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr();
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E))
      E = MTE->getSubExpr();
    if (const auto *BTE = dyn_cast<CXXBindTemporaryExpr>(E))
      E = BTE->getSubExpr();
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E))
      E = FC->getSubExpr();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
      if (CE->getNumArgs() == 1 &&
          CE->getConstructor()->isCopyOrMoveConstructor())
        E = CE->getArg(0);
    if (E == Before)
      return E;
  }
  return E;
}

/// One step of ignoreHandleAccess for a call: std::move, handle casts
/// (caf::actor_cast<actor>(p), std::static_pointer_cast<T>(p)), value().
static const Expr *handleOfCall(const CallExpr *Call) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    if (const CXXMethodDecl *MD = MC->getMethodDecl())
      if (MD->getDeclName().isIdentifier() && MC->getNumArgs() == 0 &&
          (MD->getName() == "value" || MD->getName() == "get"))
        return MC->getImplicitObjectArgument();
    return Call;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if ((Op->getOperator() == OO_Star || Op->getOperator() == OO_Arrow) &&
        Op->getNumArgs() == 1)
      return Op->getArg(0);
    return Call;
  }
  if (Call->isCallToStdMove() && Call->getNumArgs() == 1)
    return Call->getArg(0);
  if (const FunctionDecl *FD = Call->getDirectCallee();
      FD && FD->getDeclName().isIdentifier() &&
      FD->getName().ends_with("_cast") && Call->getNumArgs() == 1)
    return Call->getArg(0);
  return Call;
}

const Expr *ignoreHandleAccess(const Expr *E) {
  while (E) {
    const Expr *Before = E;
    E = ignoreWrappers(E);
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf)
        E = UO->getSubExpr();
    } else if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E)) {
      E = Cast->getSubExpr();
    } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
      E = handleOfCall(Call);
    } else if (const auto *Await = dyn_cast<CoawaitExpr>(E)) {
      // Awaiting an asynchronous lookup yields the handle it found.
      E = Await->getOperand();
    } else if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
      // A converting constructor wraps the same handle in another type
      // (optional<Pid> into a NilablePid).
      if (Construct->getNumArgs() == 1 &&
          !Construct->getConstructor()->isExplicit())
        E = Construct->getArg(0);
    }
    if (E == Before)
      return E;
  }
  return E;
}

const FunctionDecl *calleeOf(const Expr *E) {
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getConstructor();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return Call->getDirectCallee();
  return nullptr;
}

llvm::SmallVector<const Expr *, 4> declaredArgs(const Expr *E) {
  llvm::SmallVector<const Expr *, 4> Args;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    Args.append(CE->arg_begin(), CE->arg_end());
    return Args;
  }
  const auto *Call = cast<CallExpr>(E);
  unsigned Skip = 0;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call))
    if (isa_and_nonnull<CXXMethodDecl>(Op->getDirectCallee()))
      Skip = 1;
  for (unsigned I = Skip; I < Call->getNumArgs(); ++I)
    Args.push_back(Call->getArg(I));
  return Args;
}

const Expr *objectOf(const Expr *E) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    return MC->getImplicitObjectArgument();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
    if (isa_and_nonnull<CXXMethodDecl>(Op->getDirectCallee()) &&
        Op->getNumArgs() > 0)
      return Op->getArg(0);
  return nullptr;
}

const Expr *peerArgument(const Expr *E, const FunctionDecl *FD, int Index) {
  bool IsMember = isa<CXXMethodDecl>(FD) && !isa<CXXConstructorDecl>(FD) &&
                  !cast<CXXMethodDecl>(FD)->isStatic();
  if (Index == DefaultPeerIndex) {
    if (IsMember)
      return objectOf(E);
    Index = 0;
  }
  auto Args = declaredArgs(E);
  if (Index < 0 || static_cast<size_t>(Index) >= Args.size())
    return nullptr;
  return Args[Index];
}

bool isInSystemCode(const Decl *D) {
  const SourceManager &SM = D->getASTContext().getSourceManager();
  return SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
}

const VarDecl *namedVar(const Expr *E) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

const VarDecl *writtenVar(const Expr *LHS) {
  const Expr *E = LHS->IgnoreParenImpCasts();
  while (true) {
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      if (ME->isArrow())
        return nullptr; // through a pointer: not the variable's own value
      E = ME->getBase()->IgnoreParenImpCasts();
    } else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase()->IgnoreParenImpCasts();
    } else {
      break;
    }
  }
  return namedVar(E);
}

std::optional<Assignment> asAssignment(const Stmt *S) {
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
    return Assignment{BO->getLHS(),
                      BO->getOpcode() == BO_Assign ? BO->getRHS() : nullptr};
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op && Op->isAssignmentOp() && Op->getNumArgs() == 2)
    return Assignment{Op->getArg(0),
                      Op->getOperator() == OO_Equal ? Op->getArg(1) : nullptr};
  return std::nullopt;
}

const VarDecl *writeTarget(const Stmt *S) {
  if (std::optional<Assignment> A = asAssignment(S))
    return writtenVar(A->Target);
  if (const auto *UO = dyn_cast<UnaryOperator>(S);
      UO && UO->isIncrementDecrementOp())
    return writtenVar(UO->getSubExpr());
  return nullptr;
}

} // namespace peer
