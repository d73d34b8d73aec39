//===- Operations.cpp - which call sites are peer operations --------------===//

#include "Operations.h"
#include "Expressions.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace peer {

/// std::make_unique<T>(args...) and std::make_shared<T>(args...) construct
/// a T from exactly their arguments: the constructor they reach, found in
/// their instantiated body.
static const FunctionDecl *constructorCalledBy(const Expr *E,
                                               const FunctionDecl *FD) {
  if (!isa<CallExpr>(E) || !FD->isInStdNamespace() ||
      !FD->getDeclName().isIdentifier() ||
      !(FD->getName() == "make_unique" || FD->getName() == "make_shared"))
    return nullptr;
  const TemplateArgumentList *TArgs = FD->getTemplateSpecializationArgs();
  if (!TArgs || TArgs->size() == 0 ||
      TArgs->get(0).getKind() != TemplateArgument::Type)
    return nullptr;
  const CXXRecordDecl *Made = TArgs->get(0).getAsType()->getAsCXXRecordDecl();
  const Stmt *Body = FD->getBody();
  if (!Made || !Body)
    return nullptr;
  llvm::SmallVector<const Stmt *, 16> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      if (CE->getConstructor()->getParent()->getCanonicalDecl() ==
              Made->getCanonicalDecl() &&
          llvm::count_if(CE->arguments(), [](const Expr *A) {
            return !isa<CXXDefaultArgExpr>(A);
          }) == cast<CallExpr>(E)->getNumArgs())
        return CE->getConstructor();
    Work.append(S->child_begin(), S->child_end());
  }
  return nullptr;
}

/// Whether \p Arg is a constant with every bit of the enumerator \p Flag of
/// the enumeration \p Type set (G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES
/// in a GDBusProxyFlags argument). Unknown values have no flag.
static bool hasFlag(const Expr *Arg, QualType Type, llvm::StringRef Flag) {
  const auto *Enum = Type.getCanonicalType()->getAs<EnumType>();
  if (!Enum || Arg->isValueDependent())
    return false;
  for (const EnumConstantDecl *Constant : Enum->getDecl()->enumerators()) {
    if (Constant->getName() != Flag)
      continue;
    Expr::EvalResult Value;
    if (!Arg->EvaluateAsInt(Value, Constant->getASTContext()))
      return false;
    llvm::APSInt Bits = Constant->getInitVal();
    llvm::APSInt Given = Value.Val.getInt();
    Given = Given.extOrTrunc(Bits.getBitWidth());
    Given.setIsSigned(Bits.isSigned());
    return !Bits.isZero() && (Given & Bits) == Bits;
  }
  return false;
}

/// Whether \p Arg is written as the macro or enumerator \p Name (SIGSTOP,
/// whose value differs between architectures), and nothing more.
static bool spelledAs(const Expr *Arg, llvm::StringRef Name,
                      const ASTContext &Context) {
  const Expr *Bare = Arg->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Bare))
    if (const auto *Constant = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
      return Constant->getName() == Name;
  const SourceManager &SM = Context.getSourceManager();
  SourceLocation Loc = Arg->getBeginLoc();
  if (!Loc.isMacroID() ||
      SM.getExpansionLoc(Loc) != SM.getExpansionLoc(Arg->getEndLoc()))
    return false;
  while (Loc.isMacroID()) {
    if (Lexer::getImmediateMacroName(Loc, SM, Context.getLangOpts()) == Name)
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

/// Whether \p T, or what it points to, is declared with the typedef named
/// \p Name, directly or through other typedefs (pid_t, not its __pid_t or
/// int: the name says the value is a pid).
static bool declaredAs(QualType T, llvm::StringRef Name) {
  if (T->isPointerType())
    T = T->getPointeeType();
  while (const auto *Typedef = T->getAs<TypedefType>()) {
    if (Typedef->getDecl()->getName() == Name)
      return true;
    T = Typedef->desugar();
  }
  return false;
}

/// Whether one test of a condition holds at \p E.
static bool testHolds(const Expr *E, const FunctionDecl *FD,
                      const ArgCondition &When) {
  if (When.Arg < 0)
    return true;
  auto Args = declaredArgs(E);
  if (static_cast<size_t>(When.Arg) >= Args.size())
    return false;
  const Expr *Arg = Args[When.Arg];
  ASTContext &Context = FD->getASTContext();
  switch (When.Kind) {
  case ArgCondition::LacksFlag:
    return !hasFlag(Arg,
                    static_cast<unsigned>(When.Arg) < FD->getNumParams()
                        ? FD->getParamDecl(When.Arg)->getType()
                        : Arg->IgnoreParenImpCasts()->getType(),
                    When.Text);
  case ArgCondition::Equals: {
    const auto *Literal = dyn_cast<StringLiteral>(
        ignoreNameConversions(Arg)->IgnoreParenImpCasts());
    return Literal && literalText(Literal) == When.Text;
  }
  case ArgCondition::IntEquals: {
    Expr::EvalResult Value;
    return !Arg->isValueDependent() && Arg->EvaluateAsInt(Value, Context) &&
           Value.Val.getInt().getExtValue() == When.Value;
  }
  case ArgCondition::Spelled:
    return spelledAs(Arg, When.Text, Context);
  case ArgCondition::OfType:
    return declaredAs(Arg->IgnoreParenImpCasts()->getType(), When.Text);
  case ArgCondition::Null:
  case ArgCondition::NonNull:
    break;
  }
  bool IsNull =
      Arg->isNullPointerConstant(Context, Expr::NPC_ValueDependentIsNotNull);
  return IsNull == (When.Kind == ArgCondition::Null);
}

/// Does the call site \p E meet the role's condition on its arguments (every
/// test joined by "&&")?
static bool conditionHolds(const Expr *E, const FunctionDecl *FD,
                           const ArgCondition &When) {
  return testHolds(E, FD, When) &&
         (!When.And || conditionHolds(E, FD, *When.And));
}

bool Operations::isOperationFunction(const NamedDecl *D) {
  const NamedDecl *Underlying = D ? D->getUnderlyingDecl() : nullptr;
  if (const auto *Template = dyn_cast_or_null<FunctionTemplateDecl>(Underlying))
    Underlying = Template->getTemplatedDecl();
  const auto *FD = dyn_cast_or_null<FunctionDecl>(Underlying);
  return FD && (Roles.roleOf(FD) || wrapperOf(FD));
}

bool Operations::errorsMayHideOperations(const Stmt *S, bool InError) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (const auto *E = dyn_cast<Expr>(S)) {
    // The flag of an expression covers everything under it.
    if (!InError && !E->containsErrors())
      return false;
    InError = true;
    if (isa<CXXDependentScopeMemberExpr, DependentScopeDeclRefExpr>(E))
      return true;
    if (const auto *Overloads = dyn_cast<OverloadExpr>(E))
      return Overloads->getNumDecls() == 0 ||
             llvm::any_of(Overloads->decls(), [&](const NamedDecl *D) {
               return isOperationFunction(D);
             });
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return isOperationFunction(Ref->getDecl());
    if (const auto *Member = dyn_cast<MemberExpr>(E);
        Member && isOperationFunction(Member->getMemberDecl()))
      return true;
  }
  return llvm::any_of(S->children(), [&](const Stmt *C) {
    return errorsMayHideOperations(C, InError);
  });
}

/// The member \p Name of the record \p Arg is (or points to), if it has one.
static const FieldDecl *memberNamed(const Expr *Arg, llvm::StringRef Name) {
  const RecordDecl *RD = recordOf(Arg->IgnoreParenImpCasts()->getType());
  if (!RD)
    return nullptr;
  for (const FieldDecl *Field : RD->fields())
    if (Field->getIdentifier() && Field->getName() == Name)
      return Field;
  return nullptr;
}

std::optional<Operation> Operations::classify(const Expr *E) {
  const FunctionDecl *FD = calleeOf(E);
  if (!FD)
    return std::nullopt;
  if (std::optional<RoleSpec> Found = Roles.roleOf(FD)) {
    // The first entry whose condition holds at this call site.
    const RoleSpec *Spec = &*Found;
    while (Spec && !conditionHolds(E, FD, Spec->When))
      Spec = Spec->Otherwise.get();
    if (!Spec)
      return std::nullopt;
    if (Spec->Kind == Role::Proxy)
      return std::nullopt; // a class's role, not a function's
    if (Spec->Kind == Role::Convert)
      return std::nullopt; // passes a peer on, does nothing to it
    if (findsPeer(Spec->Kind) && Spec->ResultInArg) {
      const Expr *Out = peerArgument(E, FD, Spec->PeerIndex);
      if (!Out)
        return std::nullopt;
      Operation Op{Spec->Kind, /*Keyed=*/true, nullptr};
      Op.ResultArg = Out;
      return Op;
    }
    if (namesPeer(Spec->Kind)) {
      Operation Op{Spec->Kind, /*Keyed=*/true, nullptr};
      if (Spec->Kind == Role::Lookup)
        Op.LookupName = lookedUpName(E, Spec->PeerIndex);
      return Op;
    }
    const Expr *Peer = peerArgument(E, FD, Spec->PeerIndex);
    if (!Peer)
      return std::nullopt;
    Operation Op{Spec->Kind, /*Keyed=*/false, Peer, Spec->InMatchRule};
    if (!Spec->PeerMember.empty()) {
      // "@N.member": that member of the argument's record.
      Op.PeerField = memberNamed(Peer, Spec->PeerMember);
      if (!Op.PeerField)
        return std::nullopt;
    }
    return Op;
  }
  if (const WrapperSummary *Summary = wrapperOf(FD)) {
    auto Args = declaredArgs(E);
    if (Summary->PeerParam < 0) {
      Operation Op{Summary->Kind, /*Keyed=*/true, nullptr};
      if (Summary->KeyParam >= 0 &&
          static_cast<size_t>(Summary->KeyParam) < Args.size())
        Op.LookupName = Args[Summary->KeyParam];
      return Op;
    }
    if (static_cast<size_t>(Summary->PeerParam) >= Args.size())
      return std::nullopt;
    Operation Op{Summary->Kind, /*Keyed=*/false, Args[Summary->PeerParam]};
    Op.PeerField = Summary->PeerField;
    Op.AlsoUnpinned = Summary->AlsoUnpinned;
    Op.Deferred = Summary->Deferred;
    return Op;
  }
  if (const FunctionDecl *Ctor = constructorCalledBy(E, FD))
    if (std::optional<RoleSpec> Spec = Roles.roleOf(Ctor);
        Spec && !namesPeer(Spec->Kind) && Spec->Kind != Role::Convert)
      if (const Expr *Peer = peerArgument(E, Ctor, Spec->PeerIndex))
        return Operation{Spec->Kind, /*Keyed=*/false, Peer};
  return std::nullopt;
}

const Expr *Operations::proxiedPeer(const Expr *E) {
  if (const auto *New = dyn_cast<CXXNewExpr>(E))
    E = New->getConstructExpr();
  if (!E)
    return nullptr;
  const FunctionDecl *Ctor = nullptr;
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E))
    Ctor = Construct->getConstructor();
  else if (const FunctionDecl *FD = calleeOf(E))
    Ctor = constructorCalledBy(E, FD);
  const auto *Made = dyn_cast_or_null<CXXConstructorDecl>(Ctor);
  if (!Made)
    return nullptr;
  std::optional<int> Index = Roles.proxyIndexOf(Made->getParent());
  if (!Index)
    return nullptr;
  auto Args = declaredArgs(E);
  if (static_cast<size_t>(*Index) >= Args.size())
    return nullptr;
  // Only a constructor that takes the name there (not a copy, not a
  // private-implementation pointer) addresses a peer.
  const Expr *Named = Args[*Index];
  return isNameType(Named->getType()) ? Named : nullptr;
}

std::optional<Conversion> Operations::conversionOf(const Expr *E) {
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  if (!FD)
    return std::nullopt;
  Conversion Found;
  if (std::optional<RoleSpec> Spec = Roles.roleOf(FD)) {
    if (Spec->Kind != Role::Convert)
      return std::nullopt;
    const Expr *At = peerArgument(E, FD, Spec->PeerIndex);
    if (!At)
      return std::nullopt;
    if (!Spec->ResultInArg) {
      Found.Sources.push_back(At);
      return Found;
    }
    // f@K:out: what any other argument names is written through K.
    Found.Out = At;
    for (const Expr *Arg : declaredArgs(E))
      if (Arg != At)
        Found.Sources.push_back(Arg);
    return Found;
  }
  if (wrapperOf(FD))
    return std::nullopt;
  const ConversionSummary *Summary = Conversions.summaryOf(FD, *this);
  if (!Summary)
    return std::nullopt;
  auto Args = declaredArgs(E);
  auto Within = [&](int I) {
    return I >= 0 && static_cast<size_t>(I) < Args.size();
  };
  if (!Within(Summary->SourceParam) ||
      (Summary->OutParam >= 0 && !Within(Summary->OutParam)))
    return std::nullopt;
  Found.Sources.push_back(Args[Summary->SourceParam]);
  if (Summary->OutParam >= 0)
    Found.Out = Args[Summary->OutParam];
  return Found;
}

const Expr *Operations::throughConversions(const Expr *E) {
  auto IsLookup = [this](const Expr *Site) { return isLookup(Site); };
  E = ignoreHandleAccess(E, IsLookup);
  // Bounded: a conversion's argument is a smaller expression.
  for (std::optional<Conversion> C = conversionOf(E);
       C && !C->Out && C->Sources.size() == 1; C = conversionOf(E))
    E = ignoreHandleAccess(C->Sources.front(), IsLookup);
  return E;
}

bool Operations::isLookup(const Expr *E) {
  if (!isa<CallExpr, CXXConstructExpr>(E))
    return false;
  std::optional<Operation> Op = classify(E);
  return Op && findsPeer(Op->Kind);
}

} // namespace peer
