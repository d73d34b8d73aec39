//===- Conversions.cpp - functions that pass a peer on in another form ----===//

#include "Conversions.h"
#include "Expressions.h"
#include "Operations.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace peer {

namespace {

/// What a value is derived from, besides a parameter's index.
constexpr int NotDerived = -1; ///< computed, or from something else
constexpr int Constant = -2;   ///< a constant: an error return, a reset

/// Walks a candidate conversion's body in evaluation order (children before
/// parents), tracking which local variables hold what a parameter names
/// (through the steps the analysis follows: members, elements, casts, the C
/// library's number parsers, other conversions), and what it returns or
/// writes through its pointer parameters.
class ConversionWalker {
public:
  ConversionWalker(const FunctionDecl *FD, Operations &Ops)
      : FD(FD), Ops(Ops), Context(FD->getASTContext()) {}

  std::optional<ConversionSummary> summarise(const Stmt *Body) {
    walk(Body);
    if (PerformsOperation)
      return std::nullopt;
    if (ReturnSource >= 0 && !ReturnsOther)
      return ConversionSummary{ReturnSource, -1};
    // Written through exactly one pointer parameter, always from one source.
    std::optional<ConversionSummary> Found;
    for (const auto &[Param, Source] : OutWrites) {
      if (Source < 0 || OutOther.contains(Param))
        continue;
      if (Found)
        return std::nullopt;
      Found = ConversionSummary{Source, Param};
    }
    return Found;
  }

private:
  void walk(const Stmt *S) {
    if (!S || isa<LambdaExpr>(S) || PerformsOperation)
      return;
    for (const Stmt *Child : S->children())
      walk(Child);
    visit(S);
  }

  void visit(const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          assign(VD, VD->getInit() ? sourceOf(VD->getInit()) : NotDerived);
      return;
    }
    if (std::optional<Assignment> A = asAssignment(S)) {
      int Source = A->Value ? sourceOf(A->Value) : NotDerived;
      if (int Out = outParameter(A->Target); Out >= 0)
        noteOut(Out, Source);
      else if (const VarDecl *VD = namedVar(A->Target))
        assign(VD, Source);
      return;
    }
    if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
      if (const Expr *Value = RS->getRetValue())
        noteReturn(sourceOf(Value));
      return;
    }
    if (isa<CallExpr, CXXConstructExpr>(S))
      visitCall(cast<Expr>(S));
  }

  void visitCall(const Expr *E) {
    // A function that looks up, calls or watches is a wrapper or has its
    // own findings, not a conversion.
    if (Ops.classify(E)) {
      PerformsOperation = true;
      return;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      // sscanf(d->d_name, "%d", &n)
      llvm::SmallVector<const VarDecl *, 2> Outs;
      if (const Expr *Text = parsedText(Call, Outs)) {
        int Source = sourceOf(Text);
        for (const VarDecl *VD : Outs)
          assign(VD, Source);
        return;
      }
    }
    // ul_strtou64(d->d_name, &num, 10): another conversion writing a local
    // (or our own pointer parameter, passed on).
    std::optional<Conversion> Inner = Ops.conversionOf(E);
    if (!Inner || !Inner->Out)
      return;
    int Source = NotDerived;
    for (const Expr *From : Inner->Sources)
      if (int S = sourceOf(From); S >= 0) {
        Source = S;
        break;
      }
    const Expr *Target = ignoreHandleAccess(Inner->Out);
    if (int Out = parameterIndex(Target, /*Pointer=*/true); Out >= 0)
      noteOut(Out, Source);
    else if (const VarDecl *VD = namedVar(Target))
      assign(VD, Source);
  }

  /// The index of the parameter \p E names (a pointer one with \p Pointer).
  int parameterIndex(const Expr *E, bool Pointer) const {
    const auto *PVD = dyn_cast_or_null<ParmVarDecl>(namedVar(E));
    if (!PVD || PVD->getDeclContext() != FD ||
        (Pointer && !PVD->getType()->isPointerType()))
      return NotDerived;
    return static_cast<int>(PVD->getFunctionScopeIndex());
  }

  /// `*pid = ...`: the pointer parameter written through.
  int outParameter(const Expr *Target) const {
    const auto *UO = dyn_cast<UnaryOperator>(Target->IgnoreParenImpCasts());
    if (!UO || UO->getOpcode() != UO_Deref)
      return NotDerived;
    return parameterIndex(UO->getSubExpr(), /*Pointer=*/true);
  }

  bool isConstant(const Expr *E) const {
    return !E->isValueDependent() &&
           (E->isIntegerConstantExpr(Context) ||
            E->isNullPointerConstant(Context,
                                     Expr::NPC_ValueDependentIsNotNull));
  }

  /// A call of a function of the project that only ever returns constants
  /// (busybox's `ret_ERANGE()`, which sets errno and returns ULLONG_MAX):
  /// an error value like a constant in its place.
  bool returnsConstant(const Expr *E) const {
    const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    const FunctionDecl *Def = nullptr;
    if (!Callee || !Callee->hasBody(Def) || !Def || isInSystemCode(Def))
      return false;
    bool Returns = false;
    llvm::SmallVector<const Stmt *, 16> Work{Def->getBody()};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S || isa<LambdaExpr>(S))
        continue;
      if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
        if (!RS->getRetValue() || !isConstant(RS->getRetValue()))
          return false;
        Returns = true;
      }
      Work.append(S->child_begin(), S->child_end());
    }
    return Returns;
  }

  /// The parameter whose peer \p E is, Constant, or NotDerived.
  int sourceOf(const Expr *E) {
    if (isConstant(E) || returnsConstant(E))
      return Constant;
    const Expr *From = ignoreHandleAccess(E);
    if (std::optional<Conversion> Inner = Ops.conversionOf(From);
        Inner && !Inner->Out && Inner->Sources.size() == 1)
      return sourceOf(Inner->Sources.front());
    const VarDecl *VD = namedVar(From);
    if (!VD)
      VD = containingVar(From); // d->d_name, list[i].pid
    if (!VD)
      return NotDerived;
    if (const auto *PVD = dyn_cast<ParmVarDecl>(VD);
        PVD && PVD->getDeclContext() == FD)
      return static_cast<int>(PVD->getFunctionScopeIndex());
    auto It = Derived.find(VD);
    return It == Derived.end() ? NotDerived : It->second;
  }

  void assign(const VarDecl *VD, int Source) {
    if (Source >= 0)
      Derived[VD] = Source;
    else
      Derived.erase(VD);
  }

  void noteOut(int Param, int Source) {
    if (Source == Constant)
      return; // *pid = 0 on failure
    auto [It, New] = OutWrites.try_emplace(Param, Source);
    if (Source < 0 || (!New && It->second != Source))
      OutOther.insert(Param);
  }

  void noteReturn(int Source) {
    if (Source == Constant)
      return; // return -1 on failure
    if (Source < 0 || (ReturnSource >= 0 && ReturnSource != Source))
      ReturnsOther = true;
    else
      ReturnSource = Source;
  }

  const FunctionDecl *FD;
  Operations &Ops;
  ASTContext &Context;
  llvm::DenseMap<const VarDecl *, int> Derived;
  llvm::DenseMap<int, int> OutWrites;
  llvm::DenseSet<int> OutOther;
  int ReturnSource = NotDerived;
  bool ReturnsOther = false;
  bool PerformsOperation = false;
};

} // namespace

const ConversionSummary *ConversionInference::summaryOf(const FunctionDecl *FD,
                                                        Operations &Ops) {
  return Summaries.get(
      FD,
      [&](const FunctionDecl *Def,
          const Stmt *Body) -> std::optional<ConversionSummary> {
        // What a body with compile errors passes on is not known; a wrapper
        // is no conversion.
        if (Def->getNumParams() == 0 || Ops.errorsMayHideOperations(Body) ||
            Ops.wrapperOf(Def))
          return std::nullopt;
        return ConversionWalker(Def, Ops).summarise(Body);
      });
}

} // namespace peer
