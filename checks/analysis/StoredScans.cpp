//===- StoredScans.cpp - scanned peers kept beyond their function ---------===//

#include "StoredScans.h"
#include "Expressions.h"
#include "Operations.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace peer {

const ValueDecl *lastingStorageOf(const Expr *E) {
  while (E) {
    E = E->IgnoreParenCasts();
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      E = AS->getBase(); // pids[i], G.pids[i]: where the array is
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      return VD && !isa<ParmVarDecl>(VD) && !VD->hasLocalStorage() ? VD
                                                                   : nullptr;
    }
    return nullptr;
  }
  return nullptr;
}

namespace {

/// Walks a function's body in evaluation order (children before parents),
/// tracking which locals hold a parameter's value, and where the body keeps
/// such values.
class ParameterStoreWalker {
public:
  ParameterStoreWalker(const FunctionDecl *FD, Operations &Ops,
                       StoredScans &Record)
      : FD(FD), Ops(Ops), Record(Record) {}

  std::optional<ParameterStores> summarise(const Stmt *Body) {
    walk(Body);
    if (Found.Stores.empty())
      return std::nullopt;
    return Found;
  }

private:
  void walk(const Stmt *S) {
    if (!S || isa<LambdaExpr>(S))
      return;
    for (const Stmt *Child : S->children())
      walk(Child);
    visit(S);
  }

  /// The parameter whose value \p E is (through copies and conversions).
  int parameterOf(const Expr *E) {
    E = Ops.throughConversions(E)->IgnoreParenCasts();
    const VarDecl *VD = namedVar(E);
    if (!VD)
      return -1;
    if (const auto *PVD = dyn_cast<ParmVarDecl>(VD))
      return PVD->getDeclContext() == FD
                 ? static_cast<int>(PVD->getFunctionScopeIndex())
                 : -1;
    auto It = Copies.find(VD);
    return It == Copies.end() ? -1 : It->second;
  }

  void copy(const VarDecl *VD, const Expr *Value) {
    if (int Param = Value ? parameterOf(Value) : -1; Param >= 0)
      Copies[VD] = Param;
    else
      Copies.erase(VD);
  }

  void add(unsigned Param, const ValueDecl *Holder) {
    for (const auto &[P, H] : Found.Stores)
      if (P == Param && H == Holder)
        return;
    Found.Stores.push_back({Param, Holder});
  }

  void visit(const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->hasLocalStorage())
          copy(VD, VD->getInit());
      return;
    }
    if (std::optional<Assignment> A = asAssignment(S)) {
      if (const VarDecl *VD = namedVar(A->Target);
          VD && VD->hasLocalStorage()) {
        copy(VD, A->Value);
        return;
      }
      if (const ValueDecl *Holder = lastingStorageOf(A->Target))
        if (int Param = A->Value ? parameterOf(A->Value) : -1; Param >= 0)
          add(Param, Holder);
      return;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call || isa<CXXOperatorCallExpr>(Call))
      return;
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee)
      return;
    const ParameterStores *Inner = Record.parameterStoresOf(Callee, Ops);
    if (!Inner)
      return;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I)
      if (int Param = parameterOf(Call->getArg(I)); Param >= 0)
        for (const auto &[P, Holder] : Inner->Stores)
          if (P == I)
            add(Param, Holder);
  }

  const FunctionDecl *FD;
  Operations &Ops;
  StoredScans &Record;
  llvm::DenseMap<const VarDecl *, int> Copies;
  ParameterStores Found;
};

} // namespace

const ParameterStores *StoredScans::parameterStoresOf(const FunctionDecl *FD,
                                                      Operations &Ops) {
  return Summaries.get(FD, [&](const FunctionDecl *Def, const Stmt *Body) {
    return ParameterStoreWalker(Def, Ops, *this).summarise(Body);
  });
}

} // namespace peer
