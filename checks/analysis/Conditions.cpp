//===- Conditions.cpp - what a branch condition proves about handles ------===//

#include "Conditions.h"
#include "Expressions.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"
#include <optional>
#include <utility>

using namespace clang;

namespace peer {

namespace {

/// One handle test: which variable, and whether "true" means found.
using Atom = std::pair<const VarDecl *, bool>;

bool isNullopt(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return DRE && DRE->getDecl()->getName() == "nullopt";
}

/// nullptr, NULL, 0, std::nullopt, T{} or T(std::nullopt).
bool isNullLike(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E) || isNullopt(E))
    return true;
  if (const auto *IL = dyn_cast<IntegerLiteral>(E))
    return IL->getValue() == 0;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() == 0 ||
           (CE->getNumArgs() == 1 && isNullopt(CE->getArg(0)));
  return false;
}

/// The variable a test reads: the variable itself, or the one an assignment
/// being tested writes ("(d = readdir(dir)) != NULL", "(id = next()) > 0").
const VarDecl *testedVar(const Expr *E) {
  if (const auto *BO = dyn_cast<BinaryOperator>(E->IgnoreParenImpCasts());
      BO && BO->getOpcode() == BO_Assign)
    return namedVar(BO->getLHS());
  return namedVar(ignoreHandleAccess(E));
}

/// "h == null" (found when false) or "h != null" (found when true).
std::optional<Atom> comparison(const Expr *L, const Expr *R, bool Equal) {
  if (isNullLike(R))
    std::swap(L, R);
  if (!isNullLike(L))
    return std::nullopt;
  if (const VarDecl *VD = testedVar(R))
    return Atom{VD, !Equal};
  return std::nullopt;
}

/// h.has_value(), h.valid(), bool(h), h.empty(), h.is_null().
std::optional<Atom> methodTest(const CXXMemberCallExpr *MC) {
  const CXXMethodDecl *MD = MC->getMethodDecl();
  if (!MD)
    return std::nullopt;
  bool Named = MD->getDeclName().isIdentifier();
  bool TestsFound =
      isa<CXXConversionDecl>(MD) ||
      (Named &&
       llvm::is_contained({"has_value", "valid", "isValid"}, MD->getName()));
  bool TestsEmpty =
      Named && llvm::is_contained({"empty", "is_null", "isEmpty", "isNull"},
                                  MD->getName());
  if (!TestsFound && !TestsEmpty)
    return std::nullopt;
  if (const VarDecl *VD =
          namedVar(ignoreHandleAccess(MC->getImplicitObjectArgument())))
    return Atom{VD, !TestsEmpty};
  return std::nullopt;
}

/// The value of an integer literal, possibly negated (-1) and cast
/// ((pid_t) -1, as libdaemon writes it).
std::optional<int64_t> integerValue(const Expr *E) {
  E = E->IgnoreParenCasts();
  bool Negative = false;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_Minus) {
    Negative = true;
    E = UO->getSubExpr()->IgnoreParenCasts();
  }
  const auto *IL = dyn_cast<IntegerLiteral>(E);
  if (!IL || IL->getValue().getActiveBits() > 62)
    return std::nullopt;
  int64_t V = static_cast<int64_t>(IL->getValue().getZExtValue());
  return Negative ? -V : V;
}

/// Tests of a process id, which a lookup returns as 0 or -1 when it finds
/// nothing: p > 0, p >= 1, p <= 0, p < 0 and p != -1, p == -1 (either order).
std::optional<Atom> pidTest(const BinaryOperator *BO) {
  BinaryOperatorKind Op = BO->getOpcode();
  const Expr *Var = BO->getLHS();
  std::optional<int64_t> Bound = integerValue(BO->getRHS());
  if (!Bound) {
    Var = BO->getRHS();
    Bound = integerValue(BO->getLHS());
    if (!Bound)
      return std::nullopt;
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  const VarDecl *VD = testedVar(Var);
  if (!VD || !Var->getType()->isIntegerType() ||
      (*Bound != 0 && *Bound != -1 && *Bound != 1))
    return std::nullopt;
  switch (Op) {
  case BO_GT: // p > 0, p > -1
    return Atom{VD, true};
  case BO_GE: // p >= 1, p >= 0
    return Atom{VD, true};
  case BO_LE: // p <= 0
  case BO_LT: // p < 0, p < 1
    return Atom{VD, false};
  case BO_EQ: // p == -1 (p == 0 is the null comparison)
    return Atom{VD, false};
  case BO_NE:
    return Atom{VD, true};
  default:
    return std::nullopt;
  }
}

std::optional<Atom> testedAtom(const Expr *Cond) {
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
    if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)
      if (std::optional<Atom> A =
              comparison(BO->getLHS(), BO->getRHS(), BO->getOpcode() == BO_EQ))
        return A;
    if (BO->isComparisonOp())
      return pidTest(BO);
    // while (!(c = find(k))): an assignment tests the value assigned.
    if (BO->getOpcode() == BO_Assign)
      if (const VarDecl *VD = namedVar(BO->getLHS()))
        return Atom{VD, true};
    return std::nullopt;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond)) {
    if ((Op->getOperator() == OO_EqualEqual ||
         Op->getOperator() == OO_ExclaimEqual) &&
        Op->getNumArgs() == 2)
      return comparison(Op->getArg(0), Op->getArg(1),
                        Op->getOperator() == OO_EqualEqual);
    return std::nullopt;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond))
    return methodTest(MC);
  if (const VarDecl *VD = namedVar(Cond))
    return Atom{VD, true};
  return std::nullopt;
}

ConditionFacts negate(ConditionFacts F) {
  std::swap(F.WhenTrue, F.WhenFalse);
  return F;
}

ConditionFacts tested(const Expr *Cond, unsigned Depth);

/// a && b is true only when both are; a || b false only when both are.
ConditionFacts logical(const BinaryOperator *BO, unsigned Depth) {
  ConditionFacts Facts;
  ConditionFacts L = tested(BO->getLHS(), Depth + 1);
  ConditionFacts R = tested(BO->getRHS(), Depth + 1);
  if (BO->getOpcode() == BO_LAnd) {
    Facts.WhenTrue = L.WhenTrue;
    Facts.WhenTrue.append(R.WhenTrue.begin(), R.WhenTrue.end());
  } else {
    Facts.WhenFalse = L.WhenFalse;
    Facts.WhenFalse.append(R.WhenFalse.begin(), R.WhenFalse.end());
  }
  return Facts;
}

ConditionFacts tested(const Expr *Cond, unsigned Depth) {
  ConditionFacts Facts;
  if (!Cond || Depth > 16)
    return Facts;
  Cond = ignoreWrappers(Cond);
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(Cond))
    return tested(Cast->getSubExpr(), Depth + 1);
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot)
    return negate(tested(UO->getSubExpr(), Depth + 1));
  // A handle class's own operator! (caf::actor has one).
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
      Op && Op->getOperator() == OO_Exclaim && Op->getNumArgs() == 1)
    return negate(tested(Op->getArg(0), Depth + 1));
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
      BO && (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr))
    return logical(BO, Depth);
  if (std::optional<Atom> A = testedAtom(Cond))
    (A->second ? Facts.WhenTrue : Facts.WhenFalse).push_back(A->first);
  return Facts;
}

} // namespace

ConditionFacts testedHandles(const Expr *Cond) { return tested(Cond, 0); }

} // namespace peer
