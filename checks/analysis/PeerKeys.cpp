//===- PeerKeys.cpp - the identity of a peer ------------------------------===//

#include "PeerKeys.h"
#include "Expressions.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace peer {

namespace {

/// Tags that keep differently shaped keys apart in a FoldingSetNodeID.
enum KeyTag : unsigned {
  TagUnknown,
  TagDecl,
  TagThis,
  TagInteger,
  TagString,
  TagChar,
  TagBool,
  TagMember,
  TagUnary,
  TagBinary,
  TagInitList,
  TagCall,
  TagObject,
  TagArgs,
  TagNull,
  TagHash,
  TagName,
  TagSite,
};

constexpr unsigned MaxDepth = 32;

} // namespace

/// The value \p VD always holds, if it is a constant or a variable of the
/// current function that its body never changes (and not a lookup's
/// handle, which is followed by the flow analysis instead).
const Expr *KeyBuilder::stableValue(const VarDecl *VD) {
  const Expr *Init = VD->getInit();
  if (!Init || isa<ParmVarDecl>(VD))
    return nullptr;
  // isConstant also sees the const of an array's elements (const char[]).
  bool Constant = VD->getType().isConstant(VD->getASTContext());
  bool Unchanged = CurrentVars && CurrentVars->keepsInitialValue(VD);
  if (!Constant && !Unchanged)
    return nullptr;
  const Expr *Value = ignoreHandleAccess(Init);
  if (isa<CallExpr, CXXConstructExpr>(Value) && Ops.isLookup(Value))
    return nullptr;
  return Init;
}

bool KeyBuilder::profileLeaf(const Expr *E, const Substitution *Subst,
                             KeyText &Out, unsigned Depth, bool InObject) {
  llvm::FoldingSetNodeID &ID = Out.ID;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *D = DRE->getDecl();
    if (const auto *PVD = dyn_cast<ParmVarDecl>(D); PVD && Subst) {
      auto It = Subst->Args.find(PVD);
      if (It != Subst->Args.end()) {
        profile(It->second, Subst->Outer, Out, Depth + 1, InObject);
        return true;
      }
    }
    if (const auto *VD = dyn_cast<VarDecl>(D)) {
      if (const Expr *Value = stableValue(VD)) {
        profile(Value, Subst, Out, Depth + 1, InObject);
        return true;
      }
      if (!InObject && VD->hasLocalStorage() &&
          !VD->getType().isConstQualified())
        Out.Vars.push_back({VD});
    }
    ID.AddInteger(TagDecl);
    ID.AddPointer(D->getCanonicalDecl());
    return true;
  }
  if (isa<CXXThisExpr>(E)) {
    if (Subst && Subst->Object) {
      profile(Subst->Object, Subst->Outer, Out, Depth + 1, /*InObject=*/true);
      return true;
    }
    ID.AddInteger(TagThis);
    return true;
  }
  if (const auto *IL = dyn_cast<IntegerLiteral>(E)) {
    ID.AddInteger(TagInteger);
    ID.AddInteger(IL->getValue().getLimitedValue());
    return true;
  }
  if (const auto *SL = dyn_cast<StringLiteral>(E)) {
    ID.AddInteger(TagString);
    ID.AddString(literalText(SL));
    return true;
  }
  if (const auto *CL = dyn_cast<CharacterLiteral>(E)) {
    ID.AddInteger(TagChar);
    ID.AddInteger(CL->getValue());
    return true;
  }
  if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E)) {
    ID.AddInteger(TagBool);
    ID.AddBoolean(BL->getValue());
    return true;
  }
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E)) {
    ID.AddInteger(TagNull);
    return true;
  }
  if (const auto *DAE = dyn_cast<CXXDefaultArgExpr>(E)) {
    profile(DAE->getExpr(), nullptr, Out, Depth + 1);
    return true;
  }
  return false;
}

void KeyBuilder::profile(const Expr *E, const Substitution *Subst, KeyText &Out,
                         unsigned Depth, bool InObject) {
  llvm::FoldingSetNodeID &ID = Out.ID;
  if (!E || Depth > MaxDepth) {
    Out.Exact = false;
    ID.AddInteger(TagUnknown);
    return;
  }
  E = ignoreNameConversions(E);
  if (profileLeaf(E, Subst, Out, Depth, InObject))
    return;
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    size_t VarsBefore = Out.Vars.size();
    profile(ME->getBase(), Subst, Out, Depth + 1, InObject);
    // r.dbusid of a local record r reads that member only (not in a union,
    // whose members share their storage).
    const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!ME->isArrow() && Field && !Field->getParent()->isUnion() &&
        Out.Vars.size() == VarsBefore + 1 && !Out.Vars.back().Field &&
        namedVar(ME->getBase()) == Out.Vars.back().Var)
      Out.Vars.back().Field = Field;
    ID.AddInteger(TagMember);
    ID.AddBoolean(ME->isArrow());
    ID.AddPointer(ME->getMemberDecl()->getCanonicalDecl());
    return;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    ID.AddInteger(TagUnary);
    ID.AddInteger(UO->getOpcode());
    profile(UO->getSubExpr(), Subst, Out, Depth + 1, InObject);
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    ID.AddInteger(TagBinary);
    ID.AddInteger(BO->getOpcode());
    profile(BO->getLHS(), Subst, Out, Depth + 1, InObject);
    profile(BO->getRHS(), Subst, Out, Depth + 1, InObject);
    return;
  }
  if (const auto *ILE = dyn_cast<InitListExpr>(E)) {
    ID.AddInteger(TagInitList);
    ID.AddInteger(ILE->getNumInits());
    for (const Expr *Init : ILE->inits())
      profile(Init, Subst, Out, Depth + 1, InObject);
    return;
  }
  if (isa<CallExpr, CXXConstructExpr>(E)) {
    profileCall(E, Subst, Out, Depth, InObject);
    return;
  }
  // Anything else: clang's own structural profile, exact only when it needs
  // no substitution (no parameter of an expanded wrapper inside).
  ID.AddInteger(TagHash);
  E->Profile(ID, Ctx, /*Canonical=*/true);
  if (Subst)
    Out.Exact = false;
}

void KeyBuilder::profileCall(const Expr *E, const Substitution *Subst,
                             KeyText &Out, unsigned Depth, bool InObject,
                             int SkipArg) {
  llvm::FoldingSetNodeID &ID = Out.ID;
  const FunctionDecl *FD = calleeOf(E);
  if (!FD) {
    Out.Exact = false;
    ID.AddInteger(TagUnknown);
    return;
  }
  ID.AddInteger(TagCall);
  ID.AddPointer(FD->getCanonicalDecl());
  // Template arguments distinguish get<A>(k) from get<B>(k).
  if (isa<CallExpr>(E))
    if (const TemplateArgumentList *TArgs = FD->getTemplateSpecializationArgs())
      for (const TemplateArgument &TA : TArgs->asArray())
        TA.Profile(ID, Ctx);
  if (const Expr *Obj = objectOf(E)) {
    ID.AddInteger(TagObject);
    profile(Obj, Subst, Out, Depth + 1, /*InObject=*/true);
  }
  auto Args = declaredArgs(E);
  ID.AddInteger(TagArgs);
  ID.AddInteger(Args.size());
  for (size_t I = 0; I < Args.size(); ++I)
    if (static_cast<int>(I) == SkipArg)
      ID.AddInteger(TagUnknown);
    else
      profile(Args[I], Subst, Out, Depth + 1, InObject);
}

std::string KeyBuilder::display(const Expr *E, const Substitution *Subst,
                                unsigned Depth) {
  if (!Subst || Depth > 16)
    return sourceText(E);
  const Expr *Bare = ignoreWrappers(E);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Bare))
    if (const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
      auto It = Subst->Args.find(PVD);
      if (It != Subst->Args.end())
        return display(It->second, Subst->Outer, Depth + 1);
    }
  if (isa<CXXThisExpr>(Bare) && Subst->Object)
    return display(Subst->Object, Subst->Outer, Depth + 1);
  if (!isa<CallExpr, CXXConstructExpr>(Bare))
    return sourceText(E);
  return displayCall(Bare, Subst, Depth);
}

std::string KeyBuilder::displayCall(const Expr *Call, const Substitution *Subst,
                                    unsigned Depth) {
  const FunctionDecl *FD = calleeOf(Call);
  std::string Text;
  if (const Expr *Obj = objectOf(Call);
      Obj && !isa<CXXOperatorCallExpr>(Call)) {
    std::string ObjText = display(Obj, Subst, Depth + 1);
    if (!ObjText.empty() && !isa<CXXThisExpr>(ignoreWrappers(Obj)))
      Text = ObjText + (Obj->getType()->isPointerType() ? "->" : ".");
    Text += FD ? FD->getNameAsString() : "?";
  } else {
    Text = FD ? FD->getQualifiedNameAsString() : "?";
  }
  Text += "(";
  bool FirstArg = true;
  for (const Expr *A : declaredArgs(Call)) {
    if (isa<CXXDefaultArgExpr>(A))
      continue;
    Text += FirstArg ? "" : ", ";
    FirstArg = false;
    Text += display(A, Subst, Depth + 1);
  }
  return Text + ")";
}

void KeyBuilder::keyOf(const Expr *Site, const Substitution *Subst,
                       KeyText &Out, unsigned Depth) {
  const FunctionDecl *FD = calleeOf(Site);
  if (!FD || Depth > 16) {
    Out.Exact = false;
    return;
  }
  if (std::optional<RoleSpec> Spec = Ops.roles().roleOf(FD)) {
    if (Spec->Kind == Role::Scan) {
      // A scan takes no key: each call site finds its own peers.
      Out.Exact = false;
      return;
    }
    if (Spec->ResultInArg) {
      // Keyed by everything but where the result goes; no name alias.
      profileCall(Site, Subst, Out, Depth, /*InObject=*/false, Spec->PeerIndex);
      Out.Display = display(Site, Subst);
      return;
    }
    profile(Site, Subst, Out, Depth);
    Out.Display = display(Site, Subst);
    if (const Expr *Name = lookedUpName(Site, Spec->PeerIndex)) {
      KeyText NameText;
      NameText.ID.AddInteger(TagName);
      profile(Name, Subst, NameText, Depth);
      if (NameText.Exact)
        Out.NameID = NameText.ID;
    }
    return;
  }
  const WrapperSummary *Summary = Ops.wrapperOf(FD);
  if (!Summary || Summary->Kind == Role::Scan) {
    Out.Exact = false;
    return;
  }
  Substitution Inner;
  Inner.Outer = Subst;
  const FunctionDecl *Def = Summary->Wrapper;
  auto Args = declaredArgs(Site);
  for (unsigned I = 0; I < Def->getNumParams() && I < Args.size(); ++I)
    Inner.Args[Def->getParamDecl(I)] = Args[I];
  Inner.Object = objectOf(Site);
  keyOf(Summary->KeySource, &Inner, Out, Depth + 1);
}

std::string KeyBuilder::sourceText(const Expr *E) const {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceRange Range = E->getSourceRange();
  if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID()) {
    SourceLocation Begin = SM.getSpellingLoc(Range.getBegin());
    SourceLocation End = SM.getSpellingLoc(Range.getEnd());
    // The whole expansion of a macro (QStringLiteral("x")): show the use.
    bool WholeExpansion =
        Lexer::isAtStartOfMacroExpansion(Range.getBegin(), SM,
                                         Ctx.getLangOpts()) &&
        Lexer::isAtEndOfMacroExpansion(Range.getEnd(), SM, Ctx.getLangOpts());
    if (!WholeExpansion && SM.getFileID(Begin) == SM.getFileID(End) &&
        !SM.isBeforeInTranslationUnit(End, Begin))
      return Lexer::getSourceText(CharSourceRange::getTokenRange(Begin, End),
                                  SM, Ctx.getLangOpts())
          .str();
  }
  CharSourceRange Expanded =
      CharSourceRange::getTokenRange(SM.getExpansionRange(Range).getAsRange());
  return Lexer::getSourceText(Expanded, SM, Ctx.getLangOpts()).str();
}

//===----------------------------------------------------------------------===//
// FunctionKeys
//===----------------------------------------------------------------------===//

unsigned FunctionKeys::intern(const llvm::FoldingSetNodeID &ID,
                              const std::string &Display,
                              llvm::ArrayRef<KeyVar> Vars, unsigned NameAlias) {
  auto [It, Inserted] = Ids.try_emplace(ID, Keys.size());
  if (Inserted)
    Keys.push_back({Display,
                    llvm::SmallVector<KeyVar, 4>(Vars.begin(), Vars.end()),
                    NameAlias});
  else if (Keys[It->second].Display.empty())
    Keys[It->second].Display = Display;
  return It->second;
}

unsigned FunctionKeys::keyOfSite(const Expr *Site) {
  auto Found = SiteKeys.find(Site);
  if (Found != SiteKeys.end())
    return Found->second;
  KeyText Text;
  Builder.keyOf(Site, nullptr, Text);
  // An inexact key never equals another site's key.
  if (!Text.Exact || Text.ID == llvm::FoldingSetNodeID()) {
    Text.ID.clear();
    Text.ID.AddInteger(TagSite);
    Text.ID.AddPointer(Site);
    Text.NameID.reset();
  }
  unsigned Alias = NoKey;
  if (Text.NameID)
    Alias = intern(*Text.NameID, "", Text.Vars, NoKey);
  unsigned Id = intern(
      Text.ID, Text.Display.empty() ? Builder.sourceText(Site) : Text.Display,
      Text.Vars, Alias);
  SiteKeys[Site] = Id;
  return Id;
}

unsigned FunctionKeys::keyOfName(const Expr *Name) {
  KeyText Text;
  Text.ID.AddInteger(TagName);
  Builder.profile(Name, nullptr, Text);
  if (!Text.Exact)
    return NoKey;
  return intern(Text.ID, Builder.sourceText(Name), Text.Vars, NoKey);
}

unsigned FunctionKeys::keyOfLiteralName(llvm::StringRef Text) {
  // As keyOfName and profileLeaf build it for a string literal.
  KeyText Key;
  Key.ID.AddInteger(TagName);
  Key.ID.AddInteger(TagString);
  Key.ID.AddString(Text);
  return intern(Key.ID, ("\"" + Text + "\"").str(), {}, NoKey);
}

unsigned FunctionKeys::keyOfField(const FieldDecl *Field) {
  // As profile builds it for 'this->Field' (implicit: an arrow on 'this').
  KeyText Key;
  Key.ID.AddInteger(TagName);
  Key.ID.AddInteger(TagThis);
  Key.ID.AddInteger(TagMember);
  Key.ID.AddBoolean(true);
  Key.ID.AddPointer(Field->getCanonicalDecl());
  return intern(Key.ID, Field->getName().str(), {}, NoKey);
}

bool FunctionKeys::reads(unsigned Key, const VarDecl *VD,
                         const FieldDecl *Field) const {
  return llvm::any_of(Keys[Key].Vars, [&](const KeyVar &Read) {
    return Read.Var == VD && (!Field || !Read.Field || Read.Field == Field);
  });
}

} // namespace peer
