//===- Expressions.cpp - how an expression reaches a peer -----------------===//

#include "Expressions.h"
#include "Roles.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/ConvertUTF.h"

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

llvm::SmallVector<const Expr *, 4> listElements(const Expr *E) {
  E = ignoreWrappers(E);
  if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(E))
    if (CE->getNumArgs() >= 1)
      E = ignoreWrappers(CE->getArg(0));
  if (const auto *IL = dyn_cast_or_null<CXXStdInitializerListExpr>(E))
    E = ignoreWrappers(IL->getSubExpr());
  llvm::SmallVector<const Expr *, 4> Elements;
  if (const auto *Init = dyn_cast_or_null<InitListExpr>(E))
    for (const Expr *Element : Init->inits()) {
      // A list of names, not the characters of a string.
      if (!isNameType(Element->getType()))
        return {};
      Elements.push_back(Element);
    }
  return Elements;
}

/// The C library's parsers of a number from text (stdlib.h, inttypes.h),
/// and C++'s (std::stoi and its kin, <string>): a pid parsed from a /proc
/// entry's name is the process the entry was.
static bool isNumberParser(const FunctionDecl *FD) {
  if (!FD || !FD->getDeclName().isIdentifier() || !isInSystemCode(FD))
    return false;
  static constexpr llvm::StringLiteral Parsers[] = {
      "atoi",    "atol",     "atoll",     "strtol",   "strtoul",
      "strtoll", "strtoull", "strtoimax", "strtoumax"};
  static constexpr llvm::StringLiteral StdParsers[] = {"stoi", "stol", "stoll",
                                                       "stoul", "stoull"};
  if (FD->getDeclContext()->getRedeclContext()->isTranslationUnit())
    return llvm::is_contained(Parsers, FD->getName());
  return FD->isInStdNamespace() &&
         llvm::is_contained(StdParsers, FD->getName());
}

/// std::filesystem's accessors of the name an entry or path holds
/// (entry.path(), p.filename(), p.string(), p.c_str()): a /proc entry's
/// name read through them still names the process.
static bool isPathAccessor(const CXXMethodDecl *MD) {
  static constexpr llvm::StringLiteral Accessors[] = {
      "path", "filename", "string", "c_str", "native", "u8string"};
  if (!MD->getDeclName().isIdentifier() ||
      !llvm::is_contained(Accessors, MD->getName()))
    return false;
  // The class, named as roles name it (libstdc++'s inline __cxx11 left out).
  std::string Qualified = qualifiedNameOf(MD);
  llvm::StringRef Class =
      llvm::StringRef(Qualified).drop_back(MD->getName().size() + 2);
  return Class == "std::filesystem::path" ||
         Class == "std::filesystem::directory_entry";
}

/// One step of ignoreHandleAccess for a call: std::move, handle casts
/// (caf::actor_cast<actor>(p), std::static_pointer_cast<T>(p)), value(),
/// get() and conversion operators.
static const Expr *handleOfCall(const CallExpr *Call) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || MC->getNumArgs() != 0)
      return Call;
    // A conversion (QDBusReply<bool> to bool) reads the same result.
    if (isa<CXXConversionDecl>(MD) ||
        (MD->getDeclName().isIdentifier() &&
         (MD->getName() == "value" || MD->getName() == "get")) ||
        isPathAccessor(MD))
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
  if (isNumberParser(Call->getDirectCallee()) && Call->getNumArgs() >= 1)
    return Call->getArg(0);
  if (const FunctionDecl *FD = Call->getDirectCallee();
      FD && FD->getDeclName().isIdentifier() &&
      FD->getName().ends_with("_cast") && Call->getNumArgs() == 1)
    return Call->getArg(0);
  return Call;
}

const Expr *ignoreHandleAccess(const Expr *E) {
  return ignoreHandleAccess(E, [](const Expr *) { return false; });
}

const Expr *ignoreHandleAccess(const Expr *E,
                               llvm::function_ref<bool(const Expr *)> Keep) {
  while (E) {
    const Expr *Before = E;
    E = ignoreWrappers(E);
    if (Keep(E))
      return E;
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

namespace {

/// Record types whose one-argument construction keeps a name's value.
bool isStringType(const CXXRecordDecl *RD) {
  if (!RD || !RD->getDeclName().isIdentifier())
    return false;
  static const llvm::StringSet<> Names = {"QString",
                                          "QLatin1String",
                                          "QLatin1StringView",
                                          "QStringView",
                                          "QAnyStringView",
                                          "QUtf8StringView",
                                          "QBasicUtf8StringView",
                                          "QByteArray",
                                          "QByteArrayView",
                                          "basic_string",
                                          "basic_string_view"};
  return Names.contains(RD->getName());
}

/// The argument a string construction or factory converts, if \p E is one.
const Expr *convertedName(const Expr *E) {
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (CE->getNumArgs() >= 1 &&
        isStringType(CE->getConstructor()->getParent()) &&
        llvm::all_of(llvm::drop_begin(CE->arguments()),
                     [](const Expr *A) { return isa<CXXDefaultArgExpr>(A); }))
      return CE->getArg(0);
    return nullptr;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return nullptr;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return nullptr;
  // Qt 6's QStringLiteral: QString(QtPrivate::qMakeStringPrivate(u"..")).
  if (FD->getName() == "qMakeStringPrivate" && Call->getNumArgs() == 1)
    return Call->getArg(0);
  // GLib's g_variant_new ("(s)", name): a tuple of just that name, the
  // argument of the bus's GetNameOwner and NameHasOwner.
  if (FD->getName() == "g_variant_new" && Call->getNumArgs() == 2)
    if (const auto *Format =
            dyn_cast<StringLiteral>(Call->getArg(0)->IgnoreParenImpCasts());
        Format && Format->getCharByteWidth() == 1 &&
        Format->getString() == "(s)")
      return Call->getArg(1);
  // A C string's copy (string.h's strdup, GLib's g_strdup, found through
  // -I as often as through system paths) is the same name.
  if ((FD->getName() == "strdup" || FD->getName() == "g_strdup") &&
      Call->getNumArgs() == 1 &&
      FD->getDeclContext()->getRedeclContext()->isTranslationUnit())
    return Call->getArg(0);
  // QString::fromLatin1(s), QString::fromUtf8(s), QString::fromStdString(s)...
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      MD && MD->isStatic() && isStringType(MD->getParent()) &&
      FD->getName().starts_with("from") && Call->getNumArgs() >= 1)
    return Call->getArg(0);
  return nullptr;
}

/// Qt 5's QStringLiteral("x") is ([]() -> QString { ... u"x" ... }()): a call
/// of a lambda without arguments whose body holds one string literal.
const StringLiteral *lambdaLiteral(const Expr *E) {
  const auto *Call = dyn_cast<CXXOperatorCallExpr>(E);
  if (!Call || Call->getOperator() != OO_Call || Call->getNumArgs() != 1)
    return nullptr;
  const auto *MD = dyn_cast_or_null<CXXMethodDecl>(Call->getDirectCallee());
  if (!MD || !MD->getParent()->isLambda() || !MD->getBody())
    return nullptr;
  const StringLiteral *Found = nullptr;
  llvm::SmallVector<const Stmt *, 16> Work{MD->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *SL = dyn_cast<StringLiteral>(S)) {
      if (Found)
        return nullptr;
      Found = SL;
    }
    Work.append(S->child_begin(), S->child_end());
  }
  return Found;
}

} // namespace

const Expr *ignoreNameConversions(const Expr *E) {
  while (E) {
    E = ignoreWrappers(E);
    if (const Expr *Arg = convertedName(E))
      E = Arg;
    else if (const StringLiteral *SL = lambdaLiteral(E))
      return SL;
    else
      return E;
  }
  return E;
}

bool isNameType(QualType T) {
  T = T.getNonReferenceType();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return isStringType(RD);
  if (T->isPointerType() || T->isArrayType())
    return T->getPointeeOrArrayElementType()->isAnyCharacterType();
  return false;
}

std::string literalText(const StringLiteral *SL) {
  if (SL->getCharByteWidth() == 1)
    return SL->getString().str();
  std::string Text;
  for (unsigned I = 0; I < SL->getLength(); ++I) {
    char Buffer[8];
    char *End = Buffer;
    if (!llvm::ConvertCodePointToUTF8(SL->getCodeUnit(I), End))
      return Text + "\\?";
    Text.append(Buffer, End);
  }
  return Text;
}

const VarDecl *containingVar(const Expr *E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      E = ME->getBase();
    else if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
      E = AS->getBase();
    else
      return namedVar(E);
  }
  return nullptr;
}

const FieldDecl *accessedField(const Expr *E) {
  if (const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts()))
    return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

const Expr *parsedText(const CallExpr *Call,
                       llvm::SmallVectorImpl<const VarDecl *> &Outs) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier() || FD->getName() != "sscanf" ||
      !isInSystemCode(FD) || Call->getNumArgs() < 3)
    return nullptr;
  for (const Expr *Arg : llvm::drop_begin(Call->arguments(), 2))
    if (const auto *UO = dyn_cast<UnaryOperator>(Arg->IgnoreParenImpCasts());
        UO && UO->getOpcode() == UO_AddrOf)
      if (const VarDecl *VD = namedVar(UO->getSubExpr()))
        Outs.push_back(VD);
  return Call->getArg(0);
}

llvm::SmallVector<std::pair<const FieldDecl *, const Expr *>, 4>
initializedMembers(const Expr *E) {
  llvm::SmallVector<std::pair<const FieldDecl *, const Expr *>, 4> Members;
  E = E->IgnoreParenImpCasts();
  if (const auto *CL = dyn_cast<CompoundLiteralExpr>(E))
    E = CL->getInitializer()->IgnoreParenImpCasts();
  const auto *IL = dyn_cast<InitListExpr>(E);
  if (IL && IL->isSyntacticForm() && IL->getSemanticForm())
    IL = IL->getSemanticForm();
  const RecordDecl *Record = IL ? IL->getType()->getAsRecordDecl() : nullptr;
  if (!Record)
    return Members;
  if (Record->isUnion()) {
    if (const FieldDecl *Field = IL->getInitializedFieldInUnion();
        Field && IL->getNumInits() == 1)
      Members.push_back({Field, IL->getInit(0)});
    return Members;
  }
  unsigned I = 0;
  for (const FieldDecl *Field : Record->fields()) {
    if (I >= IL->getNumInits())
      break;
    const Expr *Value = IL->getInit(I++);
    if (Value && !isa<ImplicitValueInitExpr>(Value))
      Members.push_back({Field, Value});
  }
  return Members;
}

const FunctionDecl *calleeOf(const Expr *E) {
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getConstructor();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return Call->getDirectCallee();
  return nullptr;
}

llvm::SmallVector<const LambdaExpr *, 2> callbacksOf(const Expr *E) {
  llvm::SmallVector<const LambdaExpr *, 2> Lambdas;
  for (const Expr *A : declaredArgs(E))
    if (const auto *Lambda = dyn_cast<LambdaExpr>(ignoreWrappers(A)))
      Lambdas.push_back(Lambda);
  return Lambdas;
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

bool answersToCallback(const Expr *E) {
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call || !Call->getType()->isVoidType() || !Call->getCalleeDecl())
    return false;
  ASTContext &Context = Call->getCalleeDecl()->getASTContext();
  if (!callbacksOf(Call).empty())
    return true;
  return llvm::any_of(Call->arguments(), [&](const Expr *Arg) {
    QualType T = Arg->getType();
    return (T->isFunctionPointerType() || T->isBlockPointerType() ||
            T->isMemberFunctionPointerType()) &&
           !Arg->isNullPointerConstant(Context,
                                       Expr::NPC_ValueDependentIsNotNull);
  });
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

const Expr *lookedUpName(const Expr *Site, int PeerIndex) {
  auto Args = declaredArgs(Site);
  if (PeerIndex >= 0 && static_cast<size_t>(PeerIndex) < Args.size())
    return Args[PeerIndex];
  if (PeerIndex == DefaultPeerIndex && Args.size() == 1)
    return Args[0];
  return nullptr;
}

const RecordDecl *recordOf(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const RecordDecl *RD = T->getAsRecordDecl();
  return RD ? RD->getDefinition() : nullptr;
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

llvm::SmallVector<const VarDecl *, 2> variablesWrittenByCall(const Expr *E) {
  llvm::SmallVector<const VarDecl *, 2> Written;
  const FunctionDecl *FD = calleeOf(E);
  if (!FD)
    return Written;
  auto Args = declaredArgs(E);
  for (unsigned I = 0; I < Args.size() && I < FD->getNumParams(); ++I) {
    QualType T = FD->getParamDecl(I)->getType();
    const Expr *A = Args[I]->IgnoreParenImpCasts();
    if (T->isReferenceType() && !T.getNonReferenceType().isConstQualified()) {
      if (const VarDecl *VD = writtenVar(A))
        Written.push_back(VD);
    } else if (T->isPointerType() && !T->getPointeeType().isConstQualified()) {
      if (const auto *UO = dyn_cast<UnaryOperator>(A);
          UO && UO->getOpcode() == UO_AddrOf)
        if (const VarDecl *VD = writtenVar(UO->getSubExpr()))
          Written.push_back(VD);
    }
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *MD = MC->getMethodDecl(); MD && !MD->isConst())
      if (const VarDecl *VD = writtenVar(MC->getImplicitObjectArgument()))
        Written.push_back(VD);
  return Written;
}

BodyVariables bodyVariables(const Stmt *Body) {
  BodyVariables Vars;
  llvm::DenseSet<const VarDecl *> &Written = Vars.Written;
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    Work.append(S->child_begin(), S->child_end());
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          Vars.Declared.insert(VD);
    } else if (const VarDecl *VD = writeTarget(S)) {
      Written.insert(VD);
    } else if (const auto *UO = dyn_cast<UnaryOperator>(S);
               UO && UO->getOpcode() == UO_AddrOf) {
      if (const VarDecl *VD = writtenVar(UO->getSubExpr()))
        Written.insert(VD);
    } else if (isa<CallExpr, CXXConstructExpr>(S)) {
      for (const VarDecl *VD : variablesWrittenByCall(cast<Expr>(S)))
        Written.insert(VD);
    }
  }
  return Vars;
}

} // namespace peer
