//===- MatchRules.cpp - the bus name a D-Bus match rule watches -----------===//

#include "MatchRules.h"
#include "Expressions.h"

#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace peer {

/// The value of key='value' in a match rule, if the key is there.
static std::optional<llvm::StringRef> ruleValue(llvm::StringRef Rule,
                                                llvm::StringRef Key) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Rule.split(Parts, ',');
  for (llvm::StringRef Part : Parts) {
    auto [Name, Value] = Part.split('=');
    Value = Value.trim();
    if (Name.trim() == Key && Value.size() >= 2 && Value.front() == '\'' &&
        Value.back() == '\'')
      return Value.drop_front().drop_back();
  }
  return std::nullopt;
}

std::optional<std::string> nameWatchedByRule(llvm::StringRef Rule) {
  if (ruleValue(Rule, "member") != llvm::StringRef("NameOwnerChanged"))
    return std::nullopt;
  std::optional<llvm::StringRef> Name = ruleValue(Rule, "arg0");
  if (!Name || Name->empty() || Name->contains('%'))
    return std::nullopt;
  return Name->str();
}

std::optional<unsigned> arg0ConversionOf(llvm::StringRef Format) {
  if (!Format.contains("NameOwnerChanged"))
    return std::nullopt;
  size_t Arg0 = Format.find("arg0='%s'");
  if (Arg0 == llvm::StringRef::npos)
    return std::nullopt;
  size_t Target = Arg0 + 6; // the '%' of "%s"
  unsigned Index = 0;
  for (size_t I = 0; I < Format.size(); ++I) {
    if (Format[I] != '%')
      continue;
    if (I + 1 < Format.size() && Format[I + 1] == '%') {
      ++I;
      continue;
    }
    if (I == Target)
      return Index;
    // A conversion, and a '*' width or precision, each take an argument.
    size_t End = Format.find_first_of("diouxXeEfFgGaAcspn", I + 1);
    llvm::StringRef Spec = Format.slice(I + 1, End);
    Index += 1 + Spec.count('*');
    if (End == llvm::StringRef::npos)
      break;
    I = End;
  }
  return std::nullopt;
}

/// For a printf-like call (the first string literal argument is the
/// format, the arguments after it fill it), the rule's watched name.
static std::optional<RulePeer> peerOfFormatCall(const CallExpr *Call) {
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    const auto *Format = dyn_cast<StringLiteral>(
        ignoreNameConversions(Call->getArg(I))->IgnoreParenImpCasts());
    if (!Format)
      continue;
    std::optional<unsigned> Conversion = arg0ConversionOf(literalText(Format));
    if (!Conversion || I + 1 + *Conversion >= Call->getNumArgs())
      return std::nullopt;
    return RulePeer{"", Call->getArg(I + 1 + *Conversion)};
  }
  return std::nullopt;
}

/// Does \p Arg name \p VD, or take its address (asprintf(&rule, ...))?
static bool refersTo(const Expr *Arg, const VarDecl *VD) {
  Arg = Arg->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Arg);
      UO && UO->getOpcode() == UO_AddrOf)
    Arg = UO->getSubExpr()->IgnoreParenImpCasts();
  return namedVar(Arg) == VD;
}

/// The last printf-like call before \p Use in \p Body that writes the
/// buffer \p VD (its first argument), or whose result is assigned to it
/// (rule = g_strdup_printf (...), the variable declared earlier: gvfs).
static const CallExpr *lastWriterOf(const VarDecl *VD, const Stmt *Body,
                                    const Expr *Use) {
  const CallExpr *Last = nullptr;
  auto Consider = [&](const CallExpr *Call) {
    if (Call != Use && Call->getBeginLoc() < Use->getBeginLoc() &&
        (!Last || Last->getBeginLoc() < Call->getBeginLoc()))
      Last = Call;
  };
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *Call = dyn_cast<CallExpr>(S);
        Call && Call->getNumArgs() >= 2 && refersTo(Call->getArg(0), VD))
      Consider(Call);
    if (const auto *Assign = dyn_cast<BinaryOperator>(S);
        Assign && Assign->getOpcode() == BO_Assign &&
        namedVar(Assign->getLHS()->IgnoreParenImpCasts()) == VD)
      if (const auto *Call =
              dyn_cast<CallExpr>(Assign->getRHS()->IgnoreParenImpCasts()))
        Consider(Call);
    Work.append(S->child_begin(), S->child_end());
  }
  return Last;
}

std::optional<RulePeer> peerOfMatchRule(const Expr *Rule, const Stmt *Body,
                                        const Expr *Use) {
  const Expr *E = ignoreNameConversions(Rule)->IgnoreParenImpCasts();
  if (const auto *Literal = dyn_cast<StringLiteral>(E)) {
    if (std::optional<std::string> Name =
            nameWatchedByRule(literalText(Literal)))
      return RulePeer{*Name, nullptr};
    return std::nullopt;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return peerOfFormatCall(Call);
  const VarDecl *VD = namedVar(E);
  if (!VD || !VD->isLocalVarDecl())
    return std::nullopt;
  if (const auto *Init = dyn_cast_or_null<CallExpr>(
          VD->getInit() ? VD->getInit()->IgnoreParenImpCasts() : nullptr))
    return peerOfFormatCall(Init);
  if (const CallExpr *Writer = lastWriterOf(VD, Body, Use))
    return peerOfFormatCall(Writer);
  return std::nullopt;
}

} // namespace peer
