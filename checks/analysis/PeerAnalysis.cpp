//===- PeerAnalysis.cpp - the lookup-call-monitor flow analysis -----------===//

#include "PeerAnalysis.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

using namespace clang;

namespace peer {

namespace {

//===----------------------------------------------------------------------===//
// Operations
//===----------------------------------------------------------------------===//

/// What a wrapper function does with the key it looks up from its parameters.
struct WrapperSummary {
  Role Kind;
  /// The call in the wrapper's body that looks the key up: a lookup, or a
  /// call of another wrapper.
  const Expr *KeySource;
  const FunctionDecl *Wrapper;
};

/// A recognised operation at one call site.
struct Operation {
  Role Kind;
  /// Keyed: the operation looks the peer up itself (a lookup, or a wrapper);
  /// the key is computed from the call site. Otherwise the peer is PeerArg.
  bool Keyed = false;
  const Expr *PeerArg = nullptr;
};

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
      if (CE->getNumArgs() == 1 && CE->getConstructor()->isCopyOrMoveConstructor())
        E = CE->getArg(0);
    if (E == Before)
      return E;
  }
  return E;
}

/// Strips what turns a handle into the thing an operation receives without
/// changing which peer it is: copies, dereferences, .value(), std::move.
const Expr *ignoreHandleAccess(const Expr *E) {
  while (E) {
    const Expr *Before = E;
    E = ignoreWrappers(E);
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_AddrOf)
        E = UO->getSubExpr();
    } else if (const auto *Cast = dyn_cast<ExplicitCastExpr>(E)) {
      E = Cast->getSubExpr();
    } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
      if ((Op->getOperator() == OO_Star || Op->getOperator() == OO_Arrow) &&
          Op->getNumArgs() == 1)
        E = Op->getArg(0);
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getDeclName().isIdentifier() && MC->getNumArgs() == 0 &&
            (MD->getName() == "value" || MD->getName() == "get"))
          E = MC->getImplicitObjectArgument();
    } else if (const auto *Call = dyn_cast<CallExpr>(E)) {
      if (Call->isCallToStdMove() && Call->getNumArgs() == 1)
        E = Call->getArg(0);
      // Handle casts change the handle's type, not the peer:
      // caf::actor_cast<actor>(p), std::static_pointer_cast<T>(p), ...
      else if (const FunctionDecl *FD = Call->getDirectCallee();
               FD && FD->getDeclName().isIdentifier() &&
               FD->getName().ends_with("_cast") && Call->getNumArgs() == 1)
        E = Call->getArg(0);
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

/// The arguments of a call as declared parameters see them (a member
/// operator call carries its object as argument 0).
llvm::SmallVector<const Expr *, 4> declaredArgs(const Expr *E) {
  llvm::SmallVector<const Expr *, 4> Args;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    for (const Expr *A : CE->arguments())
      Args.push_back(A);
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

/// The object a member call is made on, if any.
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

} // namespace

//===----------------------------------------------------------------------===//
// The implementation
//===----------------------------------------------------------------------===//

struct PeerAnalysis::Impl {
  const RoleModel &Roles;
  ASTContext &Ctx;
  llvm::DenseMap<const FunctionDecl *, std::optional<WrapperSummary>> Wrappers;
  llvm::DenseSet<const FunctionDecl *> WrappersInProgress;
  llvm::DenseMap<const FunctionDecl *, std::vector<Finding>> Results;

  Impl(const RoleModel &Roles, ASTContext &Ctx) : Roles(Roles), Ctx(Ctx) {}

  //--- Recognising operations ---------------------------------------------

  std::optional<Operation> classify(const Expr *E) {
    const FunctionDecl *FD = calleeOf(E);
    if (!FD)
      return std::nullopt;
    if (std::optional<RoleSpec> Spec = Roles.roleOf(FD)) {
      if (Spec->Kind == Role::Lookup)
        return Operation{Role::Lookup, /*Keyed=*/true, nullptr};
      const Expr *Peer = peerArgument(E, FD, Spec->PeerIndex);
      if (!Peer)
        return std::nullopt;
      return Operation{Spec->Kind, /*Keyed=*/false, Peer};
    }
    if (const WrapperSummary *Summary = wrapperSummary(FD))
      return Operation{Summary->Kind, /*Keyed=*/true, nullptr};
    return std::nullopt;
  }

  /// A lookup, or a call of a wrapper that returns a lookup's result.
  bool isLookup(const Expr *E) {
    if (!isa<CallExpr, CXXConstructExpr>(E))
      return false;
    std::optional<Operation> Op = classify(E);
    return Op && Op->Kind == Role::Lookup;
  }

  //--- Wrapper inference ---------------------------------------------------

  /// Summarises a function defined in user code whose body looks up a key
  /// built from its parameters and then calls, monitors or returns the
  /// result. Memoised; recursion yields "not a wrapper".
  const WrapperSummary *wrapperSummary(const FunctionDecl *FD) {
    const FunctionDecl *Def = nullptr;
    if (!FD->hasBody(Def) || !Def)
      return nullptr;
    auto It = Wrappers.find(Def);
    if (It != Wrappers.end())
      return It->second ? &*It->second : nullptr;
    if (isInSystemCode(Def) || Def->getNumParams() == 0 ||
        !WrappersInProgress.insert(Def).second)
      return nullptr;
    std::optional<WrapperSummary> Summary = inferWrapper(Def);
    WrappersInProgress.erase(Def);
    auto &Slot = Wrappers[Def];
    Slot = Summary;
    return Slot ? &*Slot : nullptr;
  }

  /// True when every variable \p E reads is a parameter of \p FD (or a
  /// global, or a constant): the key is "built from its parameters".
  bool builtFromParameters(const Stmt *E, const FunctionDecl *FD) {
    bool UsesParameter = false;
    bool UsesLocal = false;
    std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
      if (!S)
        return;
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
      for (const Stmt *Child : S->children())
        Walk(Child);
    };
    Walk(E);
    return UsesParameter && !UsesLocal;
  }

  std::optional<WrapperSummary> inferWrapper(const FunctionDecl *FD) {
    const Stmt *Body = FD->getBody();
    if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Body))
      Body = CB->getBody();
    if (!Body)
      return std::nullopt;

    // Walk the body in evaluation order (children before parents), tracking
    // which local variables hold the result of the key's lookup.
    const Expr *KeySource = nullptr;
    llvm::DenseSet<const VarDecl *> Holders;
    std::optional<Role> First;
    bool Returned = false;

    auto HoldsLookup = [&](const Expr *E) {
      E = ignoreHandleAccess(E);
      if (E == KeySource)
        return true;
      if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          return Holders.contains(VD);
      return false;
    };

    std::function<void(const Stmt *)> Walk = [&](const Stmt *S) {
      if (!S || isa<LambdaExpr>(S))
        return;
      for (const Stmt *Child : S->children())
        Walk(Child);
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (KeySource && VD->getInit() && HoldsLookup(VD->getInit()))
              Holders.insert(VD);
        return;
      }
      if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
        if (KeySource && RS->getRetValue() && HoldsLookup(RS->getRetValue()))
          Returned = true;
        return;
      }
      if (const auto *CR = dyn_cast<CoreturnStmt>(S)) {
        if (KeySource && CR->getOperand() && HoldsLookup(CR->getOperand()))
          Returned = true;
        return;
      }
      if (!isa<CallExpr, CXXConstructExpr>(S))
        return;
      const auto *E = cast<Expr>(S);
      std::optional<Operation> Op = classify(E);
      if (!Op)
        return;
      if (!KeySource) {
        // The first keyed operation on a key built from our parameters.
        if (Op->Keyed && builtFromParameters(E, FD)) {
          KeySource = E;
          if (Op->Kind != Role::Lookup && !First)
            First = Op->Kind;
        }
        return;
      }
      if (!First && !Op->Keyed && Op->PeerArg && HoldsLookup(Op->PeerArg))
        First = Op->Kind;
    };
    Walk(Body);

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

  //--- Keys ----------------------------------------------------------------

  /// Parameters of the wrappers being expanded, mapped to the call site's
  /// arguments (printed in the caller's own context).
  struct Substitution {
    llvm::DenseMap<const ParmVarDecl *, const Expr *> Args;
    const Expr *Object = nullptr; // what 'this' means inside the wrapper
    const Substitution *Outer = nullptr;
  };

  struct KeyText {
    std::string Fingerprint;
    /// For a lookup by one name ("org.example.Service"): the name alone, so
    /// that a monitor given the name rather than a handle meets the lookup.
    std::string NameFingerprint;
    std::string Display;
    llvm::SmallVector<const VarDecl *, 4> Vars;
    bool Exact = true;
  };

  /// Appends \p E's structural fingerprint to \p Out. Variables read in
  /// argument position become the key's variables (a write to one changes
  /// the key); those only on the object path (the registry a lookup is made
  /// on) do not: calling the registry does not rename the peer.
  void print(const Expr *E, const Substitution *Subst, KeyText &Out,
             unsigned Depth = 0, bool InObject = false) {
    if (!E || Depth > 32) {
      Out.Exact = false;
      Out.Fingerprint += "?";
      return;
    }
    E = ignoreWrappers(E);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const ValueDecl *D = DRE->getDecl();
      if (const auto *PVD = dyn_cast<ParmVarDecl>(D); PVD && Subst) {
        auto It = Subst->Args.find(PVD);
        if (It != Subst->Args.end()) {
          print(It->second, Subst->Outer, Out, Depth + 1, InObject);
          return;
        }
      }
      if (const auto *VD = dyn_cast<VarDecl>(D))
        if (!InObject && VD->hasLocalStorage() &&
            !VD->getType().isConstQualified())
          Out.Vars.push_back(VD);
      Out.Fingerprint += "d" + std::to_string(reinterpret_cast<uintptr_t>(
                                   D->getCanonicalDecl()));
      return;
    }
    if (isa<CXXThisExpr>(E)) {
      if (Subst && Subst->Object) {
        print(Subst->Object, Subst->Outer, Out, Depth + 1, /*InObject=*/true);
        return;
      }
      Out.Fingerprint += "this";
      return;
    }
    if (const auto *IL = dyn_cast<IntegerLiteral>(E)) {
      Out.Fingerprint += "i" + std::to_string(IL->getValue().getLimitedValue());
      return;
    }
    if (const auto *SL = dyn_cast<StringLiteral>(E)) {
      Out.Fingerprint += "s\"" + SL->getBytes().str() + "\"";
      return;
    }
    if (const auto *CL = dyn_cast<CharacterLiteral>(E)) {
      Out.Fingerprint += "c" + std::to_string(CL->getValue());
      return;
    }
    if (const auto *BL = dyn_cast<CXXBoolLiteralExpr>(E)) {
      Out.Fingerprint += BL->getValue() ? "true" : "false";
      return;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      print(ME->getBase(), Subst, Out, Depth + 1, InObject);
      Out.Fingerprint += (ME->isArrow() ? "->m" : ".m") +
                         std::to_string(reinterpret_cast<uintptr_t>(
                             ME->getMemberDecl()->getCanonicalDecl()));
      return;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      Out.Fingerprint += UnaryOperator::getOpcodeStr(UO->getOpcode()).str();
      print(UO->getSubExpr(), Subst, Out, Depth + 1, InObject);
      return;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      Out.Fingerprint += "(";
      print(BO->getLHS(), Subst, Out, Depth + 1, InObject);
      Out.Fingerprint += BO->getOpcodeStr().str();
      print(BO->getRHS(), Subst, Out, Depth + 1, InObject);
      Out.Fingerprint += ")";
      return;
    }
    if (const auto *ILE = dyn_cast<InitListExpr>(E)) {
      Out.Fingerprint += "{";
      for (const Expr *Init : ILE->inits()) {
        print(Init, Subst, Out, Depth + 1, InObject);
        Out.Fingerprint += ",";
      }
      Out.Fingerprint += "}";
      return;
    }
    if (isa<CallExpr, CXXConstructExpr>(E)) {
      const FunctionDecl *FD = calleeOf(E);
      if (!FD) {
        Out.Exact = false;
        Out.Fingerprint += "?call";
        return;
      }
      Out.Fingerprint += "f" + std::to_string(reinterpret_cast<uintptr_t>(
                                   FD->getCanonicalDecl()));
      if (const auto *Call = dyn_cast<CallExpr>(E)) {
        // Template arguments distinguish get<A>(k) from get<B>(k).
        if (const TemplateArgumentList *TArgs =
                FD->getTemplateSpecializationArgs()) {
          for (const TemplateArgument &TA : TArgs->asArray()) {
            std::string Arg;
            llvm::raw_string_ostream OS(Arg);
            TA.print(Ctx.getPrintingPolicy(), OS, /*IncludeType=*/true);
            Out.Fingerprint += "<" + Arg + ">";
          }
        }
        (void)Call;
      }
      if (const Expr *Obj = objectOf(E)) {
        Out.Fingerprint += "[";
        print(Obj, Subst, Out, Depth + 1, /*InObject=*/true);
        Out.Fingerprint += "]";
      }
      Out.Fingerprint += "(";
      for (const Expr *A : declaredArgs(E)) {
        print(A, Subst, Out, Depth + 1, InObject);
        Out.Fingerprint += ",";
      }
      Out.Fingerprint += ")";
      return;
    }
    if (const auto *DAE = dyn_cast<CXXDefaultArgExpr>(E)) {
      print(DAE->getExpr(), nullptr, Out, Depth + 1);
      return;
    }
    if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E)) {
      Out.Fingerprint += "null";
      return;
    }
    // Anything else: a structural hash, exact only when it needs no
    // substitution (no parameter of an expanded wrapper inside).
    llvm::FoldingSetNodeID ID;
    E->Profile(ID, Ctx, /*Canonical=*/true);
    Out.Fingerprint += "h" + std::to_string(ID.ComputeHash());
    if (Subst)
      Out.Exact = false;
  }

  /// How the user would have written the lookup: its source text, with the
  /// parameters of expanded wrappers replaced by the call site's arguments.
  std::string display(const Expr *E, const Substitution *Subst,
                      unsigned Depth = 0) {
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
    const FunctionDecl *FD = calleeOf(Bare);
    std::string Text;
    if (const Expr *Obj = objectOf(Bare); Obj && !isa<CXXOperatorCallExpr>(Bare)) {
      std::string ObjText = display(Obj, Subst, Depth + 1);
      if (!ObjText.empty() && !isa<CXXThisExpr>(ignoreWrappers(Obj)))
        Text = ObjText + (Obj->getType()->isPointerType() ? "->" : ".");
      Text += FD ? FD->getNameAsString() : "?";
    } else {
      Text = FD ? FD->getQualifiedNameAsString() : "?";
    }
    Text += "(";
    bool FirstArg = true;
    for (const Expr *A : declaredArgs(Bare)) {
      if (isa<CXXDefaultArgExpr>(A))
        continue;
      Text += FirstArg ? "" : ", ";
      FirstArg = false;
      Text += display(A, Subst, Depth + 1);
    }
    return Text + ")";
  }

  /// The key an operation at \p Site looks up: the lookup function, its
  /// object and its arguments, with wrapper parameters replaced by the call
  /// site's arguments.
  void keyOf(const Expr *Site, const Substitution *Subst, KeyText &Out,
             unsigned Depth = 0) {
    const FunctionDecl *FD = calleeOf(Site);
    if (!FD || Depth > 16) {
      Out.Exact = false;
      return;
    }
    if (Roles.roleOf(FD)) {
      print(Site, Subst, Out, Depth);
      Out.Display = display(Site, Subst);
      auto Args = declaredArgs(Site);
      if (Args.size() == 1) {
        KeyText Name;
        print(Args[0], Subst, Name, Depth);
        if (Name.Exact)
          Out.NameFingerprint = "name:" + Name.Fingerprint;
      }
      return;
    }
    const WrapperSummary *Summary = wrapperSummary(FD);
    if (!Summary) {
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

  //--- Per-function state ---------------------------------------------------

  struct KeyInfo {
    std::string Display;
    llvm::SmallVector<const VarDecl *, 4> Vars;
    /// The key of the bare name this key looks up, if any (see
    /// KeyText::NameFingerprint); NoKey otherwise.
    unsigned NameAlias;
  };
  static constexpr unsigned NoKey = ~0u;

  struct FunctionContext {
    std::vector<KeyInfo> Keys;
    llvm::StringMap<unsigned> KeyIds;
    llvm::DenseMap<const Expr *, unsigned> SiteKeys;
  };

  /// The expression as the user wrote it: for one that comes from a macro,
  /// its spelling inside the macro when that is one contiguous piece of text.
  std::string sourceText(const Expr *E) {
    const SourceManager &SM = Ctx.getSourceManager();
    SourceRange Range = E->getSourceRange();
    if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID()) {
      SourceLocation Begin = SM.getSpellingLoc(Range.getBegin());
      SourceLocation End = SM.getSpellingLoc(Range.getEnd());
      if (SM.getFileID(Begin) == SM.getFileID(End) &&
          !SM.isBeforeInTranslationUnit(End, Begin))
        return Lexer::getSourceText(CharSourceRange::getTokenRange(Begin, End),
                                    SM, Ctx.getLangOpts())
            .str();
    }
    CharSourceRange Expanded = CharSourceRange::getTokenRange(
        SM.getExpansionRange(Range).getAsRange());
    return Lexer::getSourceText(Expanded, SM, Ctx.getLangOpts()).str();
  }

  unsigned intern(FunctionContext &FC, const std::string &Fingerprint,
                  const std::string &Display,
                  llvm::ArrayRef<const VarDecl *> Vars, unsigned NameAlias) {
    auto [It, Inserted] = FC.KeyIds.try_emplace(Fingerprint, FC.Keys.size());
    if (Inserted)
      FC.Keys.push_back(
          {Display, llvm::SmallVector<const VarDecl *, 4>(Vars.begin(), Vars.end()),
           NameAlias});
    else if (FC.Keys[It->second].Display.empty())
      FC.Keys[It->second].Display = Display;
    return It->second;
  }

  unsigned keyIdOf(FunctionContext &FC, const Expr *Site) {
    auto Found = FC.SiteKeys.find(Site);
    if (Found != FC.SiteKeys.end())
      return Found->second;
    KeyText Text;
    keyOf(Site, nullptr, Text);
    // An inexact key never equals another site's key.
    if (!Text.Exact || Text.Fingerprint.empty()) {
      Text.Fingerprint = "site" + std::to_string(reinterpret_cast<uintptr_t>(Site));
      Text.NameFingerprint.clear();
    }
    unsigned Alias = NoKey;
    if (!Text.NameFingerprint.empty())
      Alias = intern(FC, Text.NameFingerprint, "", Text.Vars, NoKey);
    unsigned Id = intern(FC, Text.Fingerprint,
                         Text.Display.empty() ? sourceText(Site) : Text.Display,
                         Text.Vars, Alias);
    FC.SiteKeys[Site] = Id;
    return Id;
  }

  /// The key of a peer given by name to a monitor (no handle, no lookup).
  unsigned nameKeyOf(FunctionContext &FC, const Expr *Name) {
    KeyText Text;
    print(Name, nullptr, Text);
    if (!Text.Exact)
      return NoKey;
    return intern(FC, "name:" + Text.Fingerprint, sourceText(Name), Text.Vars,
                  NoKey);
  }

  /// One lookup's result: where it was looked up and under which key.
  using Origin = std::pair<const Expr *, unsigned>;

  struct HandleInfo {
    std::set<Origin> Origins;
    bool MaybeUnchecked = false;
    bool operator==(const HandleInfo &O) const {
      return Origins == O.Origins && MaybeUnchecked == O.MaybeUnchecked;
    }
  };

  struct State {
    bool Reached = false;
    std::map<const VarDecl *, HandleInfo> Handles;
    /// Keys monitored on every path to here.
    std::set<unsigned> MonitoredOnAllPaths;
    /// (key, site, role): calls made, on some path, while the key was not
    /// monitored; and lookups, which count as calls for edge monitors.
    std::set<std::tuple<unsigned, const Expr *, Role>> Unmonitored;
    /// (key, lookup site): lookups whose result fed an operation on some path.
    std::set<std::pair<unsigned, const Expr *>> FedLookups;

    bool operator==(const State &O) const {
      return Reached == O.Reached && Handles == O.Handles &&
             MonitoredOnAllPaths == O.MonitoredOnAllPaths &&
             Unmonitored == O.Unmonitored && FedLookups == O.FedLookups;
    }

    void join(const State &O) {
      if (!O.Reached)
        return;
      if (!Reached) {
        *this = O;
        return;
      }
      for (const auto &[VD, Info] : O.Handles) {
        HandleInfo &Mine = Handles[VD];
        Mine.Origins.insert(Info.Origins.begin(), Info.Origins.end());
        Mine.MaybeUnchecked |= Info.MaybeUnchecked;
      }
      std::set<unsigned> Both;
      std::set_intersection(MonitoredOnAllPaths.begin(),
                            MonitoredOnAllPaths.end(),
                            O.MonitoredOnAllPaths.begin(),
                            O.MonitoredOnAllPaths.end(),
                            std::inserter(Both, Both.begin()));
      MonitoredOnAllPaths = std::move(Both);
      Unmonitored.insert(O.Unmonitored.begin(), O.Unmonitored.end());
      FedLookups.insert(O.FedLookups.begin(), O.FedLookups.end());
    }
  };

  /// Findings are collected only in the final pass, after the fixpoint.
  struct Collector {
    bool Active = false;
    std::map<std::pair<FindingKind, const Expr *>, Finding> Findings;
  };

  //--- Transfer functions ---------------------------------------------------

  /// A write to \p VD: keys built over it now name something else.
  void invalidateKeysOver(FunctionContext &FC, State &S, const VarDecl *VD) {
    auto Mentions = [&](unsigned Key) {
      return llvm::is_contained(FC.Keys[Key].Vars, VD);
    };
    for (auto It = S.Unmonitored.begin(); It != S.Unmonitored.end();)
      It = Mentions(std::get<0>(*It)) ? S.Unmonitored.erase(It) : std::next(It);
    for (auto It = S.FedLookups.begin(); It != S.FedLookups.end();)
      It = Mentions(It->first) ? S.FedLookups.erase(It) : std::next(It);
    for (auto It = S.MonitoredOnAllPaths.begin();
         It != S.MonitoredOnAllPaths.end();)
      It = Mentions(*It) ? S.MonitoredOnAllPaths.erase(It) : std::next(It);
  }

  const VarDecl *assignedVar(const Expr *LHS) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParenImpCasts()))
      return dyn_cast<VarDecl>(DRE->getDecl());
    return nullptr;
  }

  /// The local variable a write to \p LHS changes: the variable itself, or
  /// the one whose member or element it is (k.shape = 2 changes k).
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
    return assignedVar(E);
  }

  /// An assignment, built-in or overloaded: what it writes, and for a plain
  /// '=' the value written (null for compound assignments).
  struct Assignment {
    const Expr *Target;
    const Expr *Value;
  };
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

  /// The local variable \p S writes in place (by assignment, ++ or --), if any.
  const VarDecl *writeTarget(const Stmt *S) {
    if (std::optional<Assignment> A = asAssignment(S))
      return writtenVar(A->Target);
    if (const auto *UO = dyn_cast<UnaryOperator>(S);
        UO && UO->isIncrementDecrementOp())
      return writtenVar(UO->getSubExpr());
    return nullptr;
  }

  /// \p VD now holds the value of \p Init.
  void assignHandle(FunctionContext &FC, State &S, const VarDecl *VD,
                    const Expr *Init) {
    S.Handles.erase(VD);
    if (!Init)
      return;
    const Expr *Source = ignoreHandleAccess(Init);
    if (isLookup(Source)) {
      HandleInfo Info;
      Info.Origins.insert({Source, keyIdOf(FC, Source)});
      Info.MaybeUnchecked = true;
      S.Handles[VD] = std::move(Info);
      return;
    }
    if (const VarDecl *From = assignedVar(Source)) {
      auto It = S.Handles.find(From);
      if (It != S.Handles.end()) {
        HandleInfo Copy = It->second;
        S.Handles[VD] = std::move(Copy);
      }
    }
  }

  void report(Collector &C, FindingKind Kind, const Expr *At, Role AtRole,
              const Expr *Earlier, Role EarlierRole, std::string PeerName) {
    if (!C.Active)
      return;
    auto [It, Inserted] = C.Findings.try_emplace({Kind, At});
    Finding &F = It->second;
    if (Inserted) {
      F.Kind = Kind;
      F.At = At;
      F.AtRole = AtRole;
      F.PeerName = std::move(PeerName);
    }
    if (!llvm::is_contained(F.Earlier, Earlier)) {
      F.Earlier.push_back(Earlier);
      F.EarlierRoles.push_back(EarlierRole);
    }
  }

  /// An operation of kind \p Kind on the peer found under \p Key (and under
  /// the bare name it was looked up by, if any).
  void operateOn(FunctionContext &FC, State &S, Collector &C, Role Kind,
                 unsigned Key, const Expr *Site, const std::string &PeerName) {
    operateOnKey(S, C, Kind, Key, Site, PeerName);
    if (unsigned Alias = FC.Keys[Key].NameAlias; Alias != NoKey)
      operateOnKey(S, C, Kind, Alias, Site, PeerName);
  }

  void operateOnKey(State &S, Collector &C, Role Kind, unsigned Key,
                    const Expr *Site, const std::string &PeerName) {
    switch (Kind) {
    case Role::Lookup:
      // Edge monitors must come before any lookup of their key.
      S.Unmonitored.insert({Key, Site, Role::Lookup});
      return;
    case Role::Call:
      if (!S.MonitoredOnAllPaths.count(Key))
        S.Unmonitored.insert({Key, Site, Role::Call});
      return;
    case Role::Monitor:
    case Role::EdgeMonitor:
    case Role::MonitoredCall:
      for (const auto &[K, Earlier, EarlierRole] : S.Unmonitored) {
        if (K != Key || Earlier == Site)
          continue;
        // Before a state-reporting monitor, only calls open a window; before
        // an edge monitor, so does any lookup of the key.
        if (EarlierRole == Role::Lookup && Kind != Role::EdgeMonitor)
          continue;
        report(C, FindingKind::MonitorAfterCall, Site, Kind, Earlier,
               EarlierRole, PeerName);
      }
      for (auto It = S.Unmonitored.begin(); It != S.Unmonitored.end();)
        It = std::get<0>(*It) == Key ? S.Unmonitored.erase(It) : std::next(It);
      S.MonitoredOnAllPaths.insert(Key);
      return;
    }
  }

  void checkRepeatedLookup(FunctionContext &FC, State &S, Collector &C,
                           unsigned Key, const Expr *Site, Role SiteRole) {
    for (const auto &[K, Earlier] : S.FedLookups)
      if (K == Key && Earlier != Site)
        report(C, FindingKind::RepeatedLookup, Site, SiteRole, Earlier,
               Role::Lookup, FC.Keys[Key].Display);
  }

  /// clang's CFG shows a co_await or co_yield as one element whose operand
  /// it does not break down; walk the operand in evaluation order here.
  void transferOperand(FunctionContext &FC, State &S, Collector &C,
                       const Stmt *St) {
    if (!St || isa<LambdaExpr>(St))
      return;
    for (const Stmt *Child : St->children())
      transferOperand(FC, S, C, Child);
    transfer(FC, S, C, St);
  }

  void transfer(FunctionContext &FC, State &S, Collector &C, const Stmt *St) {
    if (const auto *Suspend = dyn_cast<CoroutineSuspendExpr>(St)) {
      transferOperand(FC, S, C, Suspend->getOperand());
      return;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(St)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          invalidateKeysOver(FC, S, VD);
          assignHandle(FC, S, VD, VD->getInit());
        }
      return;
    }
    if (std::optional<Assignment> A = asAssignment(St)) {
      if (const VarDecl *VD = assignedVar(A->Target)) {
        // The variable itself now holds another value.
        invalidateKeysOver(FC, S, VD);
        if (A->Value)
          assignHandle(FC, S, VD, A->Value);
        else
          S.Handles.erase(VD);
        return;
      }
    }
    if (const VarDecl *Whole = writeTarget(St)) {
      // A member, an element, or ++/--: the key over it changes.
      invalidateKeysOver(FC, S, Whole);
      return;
    }
    if (!isa<CallExpr, CXXConstructExpr>(St))
      return;
    const auto *E = cast<Expr>(St);

    std::optional<Operation> Op = classify(E);
    if (!Op) {
      // Peer operations are declared to talk about peers, so their reference
      // parameters (the registry, the runtime) are not writes to the key.
      noteWritesThroughCalls(FC, S, E);
      return;
    }
    if (Op->Keyed) {
      unsigned Key = keyIdOf(FC, E);
      checkRepeatedLookup(FC, S, C, Key, E, Op->Kind);
      if (Op->Kind == Role::Lookup) {
        operateOn(FC, S, C, Role::Lookup, Key, E, FC.Keys[Key].Display);
        return;
      }
      S.FedLookups.insert({Key, E});
      operateOn(FC, S, C, Op->Kind, Key, E, FC.Keys[Key].Display);
      return;
    }

    // An operation on a handle: follow it back to its lookup.
    const Expr *Peer = ignoreHandleAccess(Op->PeerArg);
    std::set<Origin> Origins;
    bool Unchecked = false;
    std::string PeerName;
    if (const VarDecl *VD = assignedVar(Peer)) {
      auto It = S.Handles.find(VD);
      if (It == S.Handles.end())
        return; // not found by a lookup here: not our pattern
      Origins = It->second.Origins;
      Unchecked = It->second.MaybeUnchecked;
      PeerName = VD->getName().str();
    } else if (isLookup(Peer)) {
      Origins.insert({Peer, keyIdOf(FC, Peer)});
      Unchecked = true; // call(*lookup(k)): nothing could have tested it
      PeerName = FC.Keys[keyIdOf(FC, Peer)].Display;
    } else if (Op->Kind != Role::Call) {
      // A monitor given the peer's name: it watches whatever that name is
      // looked up as.
      unsigned Name = nameKeyOf(FC, Op->PeerArg);
      if (Name != NoKey)
        operateOnKey(S, C, Op->Kind, Name, E, FC.Keys[Name].Display);
      return;
    } else {
      return;
    }
    if (Unchecked && Op->Kind != Role::MonitoredCall)
      for (const auto &[Site, Key] : Origins)
        report(C, FindingKind::UncheckedLookup, E, Op->Kind, Site, Role::Lookup,
               PeerName);
    for (const auto &[Site, Key] : Origins) {
      S.FedLookups.insert({Key, Site});
      operateOn(FC, S, C, Op->Kind, Key, E, PeerName);
    }
  }

  /// Passing a variable by non-const reference or pointer may change it.
  void noteWritesThroughCalls(FunctionContext &FC, State &S, const Expr *E) {
    const FunctionDecl *FD = calleeOf(E);
    if (!FD)
      return;
    auto Args = declaredArgs(E);
    for (unsigned I = 0; I < Args.size() && I < FD->getNumParams(); ++I) {
      QualType T = FD->getParamDecl(I)->getType();
      bool MayWrite =
          (T->isReferenceType() && !T.getNonReferenceType().isConstQualified()) ||
          (T->isPointerType() && !T->getPointeeType().isConstQualified());
      if (!MayWrite)
        continue;
      const Expr *A = Args[I]->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(A); UO && UO->getOpcode() == UO_AddrOf)
        A = UO->getSubExpr()->IgnoreParenImpCasts();
      if (const VarDecl *VD = writtenVar(A))
        invalidateKeysOver(FC, S, VD);
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      if (const CXXMethodDecl *MD = MC->getMethodDecl(); MD && !MD->isConst())
        if (const VarDecl *VD = writtenVar(MC->getImplicitObjectArgument()))
          invalidateKeysOver(FC, S, VD);
  }

  /// What a branch condition proves about handles: the variables known to
  /// hold a peer when it is true, and those known to when it is false.
  struct ConditionFacts {
    llvm::SmallVector<const VarDecl *, 2> WhenTrue, WhenFalse;
  };

  ConditionFacts testedHandles(const Expr *Cond, unsigned Depth = 0) {
    ConditionFacts Facts;
    if (!Cond || Depth > 16)
      return Facts;
    Cond = ignoreWrappers(Cond);
    if (const auto *Cast = dyn_cast<ExplicitCastExpr>(Cond))
      return testedHandles(Cast->getSubExpr(), Depth + 1);
    auto Negate = [](ConditionFacts F) {
      std::swap(F.WhenTrue, F.WhenFalse);
      return F;
    };
    if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
        UO && UO->getOpcode() == UO_LNot)
      return Negate(testedHandles(UO->getSubExpr(), Depth + 1));
    // A handle class's own operator! (caf::actor has one).
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
        Op && Op->getOperator() == OO_Exclaim && Op->getNumArgs() == 1)
      return Negate(testedHandles(Op->getArg(0), Depth + 1));
    if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
      if (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr) {
        // a && b is true only when both are; a || b false only when both are.
        ConditionFacts L = testedHandles(BO->getLHS(), Depth + 1);
        ConditionFacts R = testedHandles(BO->getRHS(), Depth + 1);
        if (BO->getOpcode() == BO_LAnd) {
          Facts.WhenTrue = L.WhenTrue;
          Facts.WhenTrue.append(R.WhenTrue.begin(), R.WhenTrue.end());
        } else {
          Facts.WhenFalse = L.WhenFalse;
          Facts.WhenFalse.append(R.WhenFalse.begin(), R.WhenFalse.end());
        }
        return Facts;
      }
    }
    if (std::optional<std::pair<const VarDecl *, bool>> Atom = testedAtom(Cond))
      (Atom->second ? Facts.WhenTrue : Facts.WhenFalse).push_back(Atom->first);
    return Facts;
  }

  /// One handle test: which variable, and whether "true" means found.
  std::optional<std::pair<const VarDecl *, bool>> testedAtom(const Expr *Cond) {
    auto IsNullopt = [](const Expr *E) {
      const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      return DRE && DRE->getDecl()->getName() == "nullopt";
    };
    auto NullLike = [&](const Expr *E) {
      E = E->IgnoreParenImpCasts();
      if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E) || IsNullopt(E))
        return true;
      if (const auto *IL = dyn_cast<IntegerLiteral>(E))
        return IL->getValue() == 0;
      if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
        return CE->getNumArgs() == 0 ||
               (CE->getNumArgs() == 1 && IsNullopt(CE->getArg(0)));
      return false;
    };
    auto Compare = [&](const Expr *L, const Expr *R, bool Equal)
        -> std::optional<std::pair<const VarDecl *, bool>> {
      if (NullLike(R))
        std::swap(L, R);
      if (!NullLike(L))
        return std::nullopt;
      if (const VarDecl *VD = assignedVar(ignoreHandleAccess(R)))
        return std::make_pair(VD, !Equal);
      return std::nullopt;
    };
    if (const auto *BO = dyn_cast<BinaryOperator>(Cond)) {
      if (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)
        return Compare(BO->getLHS(), BO->getRHS(), BO->getOpcode() == BO_EQ);
      return std::nullopt;
    }
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond)) {
      if ((Op->getOperator() == OO_EqualEqual ||
           Op->getOperator() == OO_ExclaimEqual) &&
          Op->getNumArgs() == 2)
        return Compare(Op->getArg(0), Op->getArg(1),
                       Op->getOperator() == OO_EqualEqual);
      return std::nullopt;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (!MD)
        return std::nullopt;
      bool Tests = isa<CXXConversionDecl>(MD) ||
                   (MD->getDeclName().isIdentifier() &&
                    (MD->getName() == "has_value" || MD->getName() == "valid"));
      bool TestsEmpty = MD->getDeclName().isIdentifier() &&
                        (MD->getName() == "empty" || MD->getName() == "is_null");
      if (!Tests && !TestsEmpty)
        return std::nullopt;
      if (const VarDecl *VD =
              assignedVar(ignoreHandleAccess(MC->getImplicitObjectArgument())))
        return std::make_pair(VD, !TestsEmpty);
      return std::nullopt;
    }
    if (const VarDecl *VD = assignedVar(Cond))
      return std::make_pair(VD, true);
    return std::nullopt;
  }

  //--- The fixpoint ------------------------------------------------------------

  /// Blocks in reverse post-order from the entry. Written out because a
  /// CFG's successor lists hold null entries for edges pruned as
  /// unreachable, which llvm's generic traversal does not expect.
  static std::vector<const CFGBlock *> reversePostOrder(const CFG &Graph) {
    std::vector<const CFGBlock *> Order;
    std::vector<bool> Seen(Graph.getNumBlockIDs(), false);
    std::vector<std::pair<const CFGBlock *, CFGBlock::const_succ_iterator>> Stack;
    const CFGBlock *Entry = &Graph.getEntry();
    Seen[Entry->getBlockID()] = true;
    Stack.push_back({Entry, Entry->succ_begin()});
    while (!Stack.empty()) {
      auto &[Block, Next] = Stack.back();
      if (Next == Block->succ_end()) {
        Order.push_back(Block);
        Stack.pop_back();
        continue;
      }
      const CFGBlock *Succ = *Next;
      ++Next;
      if (Succ && !Seen[Succ->getBlockID()]) {
        Seen[Succ->getBlockID()] = true;
        Stack.push_back({Succ, Succ->succ_begin()});
      }
    }
    std::reverse(Order.begin(), Order.end());
    return Order;
  }

  std::vector<Finding> run(const FunctionDecl *FD, const Stmt *Body) {
    CFG::BuildOptions Options;
    Options.setAllAlwaysAdd();
    Options.AddInitializers = true;
    std::unique_ptr<CFG> Graph =
        CFG::buildCFG(FD, const_cast<Stmt *>(Body), &Ctx, Options);
    if (!Graph)
      return {};

    FunctionContext FC;
    CurrentBody = Body;
    BodyParents.reset();
    std::vector<State> In(Graph->getNumBlockIDs());
    In[Graph->getEntry().getBlockID()].Reached = true;

    std::vector<const CFGBlock *> Blocks = reversePostOrder(*Graph);

    auto Flow = [&](const CFGBlock *B, Collector &C,
                    std::vector<State> *Out) {
      State S = In[B->getBlockID()];
      if (!S.Reached)
        return;
      for (const CFGElement &El : *B)
        if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>())
          transfer(FC, S, C, CS->getStmt());
      if (!Out)
        return;
      ConditionFacts Tested;
      if (B->succ_size() == 2)
        if (const Stmt *Cond = B->getTerminatorCondition(/*StripParens=*/true))
          if (const auto *CondE = dyn_cast<Expr>(Cond))
            Tested = testedHandles(CondE);
      unsigned Index = 0;
      for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
        unsigned I = Index++;
        if (!Succ.isReachable())
          continue;
        State Edge = S;
        for (const VarDecl *VD : I == 0 ? Tested.WhenTrue : Tested.WhenFalse) {
          auto It = Edge.Handles.find(VD);
          if (It != Edge.Handles.end())
            It->second.MaybeUnchecked = false;
        }
        (*Out)[Succ->getBlockID()].join(Edge);
      }
    };

    // Round-robin in reverse post-order, joining into the successors' entry
    // states in place, until nothing changes. Joins only grow the may-sets
    // and only shrink the must-set, over the finite sites and keys of this
    // function, so this terminates; the bound guards pathological CFGs.
    Collector Silent;
    for (unsigned Round = 0; Round < 1000; ++Round) {
      std::vector<State> Before = In;
      for (const CFGBlock *B : Blocks)
        Flow(B, Silent, &In);
      if (Before == In)
        break;
    }

    Collector Final;
    Final.Active = true;
    for (const CFGBlock *B : Blocks)
      Flow(B, Final, nullptr);

    std::vector<Finding> Result;
    const SourceManager &SM = Ctx.getSourceManager();
    for (auto &[Key, F] : Final.Findings) {
      // Notes in source order.
      llvm::SmallVector<std::pair<const Expr *, Role>, 2> Pairs;
      for (size_t I = 0; I < F.Earlier.size(); ++I)
        Pairs.push_back({F.Earlier[I], F.EarlierRoles[I]});
      llvm::sort(Pairs, [&](const auto &A, const auto &B) {
        return SM.isBeforeInTranslationUnit(A.first->getBeginLoc(),
                                            B.first->getBeginLoc());
      });
      F.Earlier.clear();
      F.EarlierRoles.clear();
      for (auto &[E, R] : Pairs) {
        F.Earlier.push_back(E);
        F.EarlierRoles.push_back(R);
      }
      if (F.Kind == FindingKind::MonitorAfterCall)
        placeMove(F);
      Result.push_back(std::move(F));
    }
    llvm::sort(Result, [&](const Finding &A, const Finding &B) {
      if (A.At != B.At)
        return SM.isBeforeInTranslationUnit(A.At->getBeginLoc(),
                                            B.At->getBeginLoc());
      return A.Kind < B.Kind;
    });
    return Result;
  }

  //--- Where a monitor can move ------------------------------------------------

  /// Parents within the body being analysed. Built on demand, and over the
  /// body alone: ASTContext::getParents would map the whole translation unit.
  std::unique_ptr<ParentMap> BodyParents;
  const Stmt *CurrentBody = nullptr;

  /// The child of a CompoundStmt that contains \p S, and that CompoundStmt.
  std::pair<const Stmt *, const CompoundStmt *> enclosingStatement(const Stmt *S) {
    if (!BodyParents)
      BodyParents = std::make_unique<ParentMap>(const_cast<Stmt *>(CurrentBody));
    const Stmt *Child = S;
    while (const Stmt *Parent = BodyParents->getParent(Child)) {
      if (const auto *CS = dyn_cast<CompoundStmt>(Parent))
        return {Child, CS};
      Child = Parent;
    }
    return {nullptr, nullptr};
  }

  /// Fills AtStatement / InsertBefore when the monitor's statement can move,
  /// unchanged, to just before the first unmonitored call: both in the same
  /// compound statement, the monitor's statement is the monitor alone, and
  /// every variable it reads is declared before, and not written between,
  /// the two places.
  void placeMove(Finding &F) {
    auto [MonitorStmt, Block] = enclosingStatement(F.At);
    if (!MonitorStmt || !Block)
      return;
    // The statement must be the monitor expression (plus discarded result).
    const Stmt *Inner = MonitorStmt;
    if (const auto *E = dyn_cast<Expr>(Inner))
      Inner = ignoreWrappers(E);
    if (const auto *Cast = dyn_cast<CStyleCastExpr>(Inner))
      Inner = ignoreWrappers(Cast->getSubExpr());
    if (const auto *Await = dyn_cast<CoawaitExpr>(Inner))
      Inner = ignoreWrappers(Await->getOperand());
    if (Inner != F.At)
      return;

    const Stmt *Target = nullptr;
    for (const Expr *Call : F.Earlier) {
      auto [CallStmt, CallBlock] = enclosingStatement(Call);
      if (CallBlock == Block && CallStmt) {
        Target = CallStmt;
        break; // Earlier is sorted: the first one in this block
      }
    }
    if (!Target || Target == MonitorStmt)
      return;
    // Statements strictly between Target and MonitorStmt (Target included).
    llvm::SmallVector<const Stmt *, 8> Between;
    bool In = false;
    for (const Stmt *Child : Block->body()) {
      if (Child == Target)
        In = true;
      if (Child == MonitorStmt)
        break;
      if (In)
        Between.push_back(Child);
    }
    if (!In)
      return;
    llvm::SmallVector<const VarDecl *, 4> Reads;
    std::function<void(const Stmt *)> CollectReads = [&](const Stmt *S) {
      if (!S)
        return;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          if (VD->hasLocalStorage())
            Reads.push_back(VD);
      for (const Stmt *Child : S->children())
        CollectReads(Child);
    };
    CollectReads(MonitorStmt);
    bool Safe = true;
    std::function<void(const Stmt *)> CheckBetween = [&](const Stmt *S) {
      if (!S || !Safe)
        return;
      if (const auto *DS = dyn_cast<DeclStmt>(S))
        for (const Decl *D : DS->decls())
          if (llvm::is_contained(Reads, D))
            Safe = false;
      if (const VarDecl *VD = writeTarget(S))
        if (llvm::is_contained(Reads, VD))
          Safe = false;
      for (const Stmt *Child : S->children())
        CheckBetween(Child);
    };
    for (const Stmt *S : Between)
      CheckBetween(S);
    if (!Safe)
      return;
    F.AtStatement = MonitorStmt;
    F.InsertBefore = Target;
  }

  //--- Entry points -----------------------------------------------------------

  bool mentions(const Stmt *S) {
    if (!S)
      return false;
    if (isa<LambdaExpr>(S))
      return false; // analysed as a function of its own
    if (isa<CallExpr, CXXConstructExpr>(S) && classify(cast<Expr>(S)))
      return true;
    for (const Stmt *Child : S->children())
      if (mentions(Child))
        return true;
    return false;
  }
};

PeerAnalysis::PeerAnalysis(const RoleModel &Roles, ASTContext &Context)
    : P(std::make_unique<Impl>(Roles, Context)) {}

PeerAnalysis::~PeerAnalysis() = default;

bool PeerAnalysis::mentionsPeerOperations(const Stmt *Body) {
  return P->mentions(Body);
}

const std::vector<Finding> &PeerAnalysis::analyze(const FunctionDecl *FD) {
  auto It = P->Results.find(FD);
  if (It != P->Results.end())
    return It->second;
  std::vector<Finding> Findings;
  const Stmt *Body = FD->getBody();
  // A coroutine's CFG is built over the body the user wrote.
  if (const auto *CB = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    Body = CB->getBody();
  if (Body && P->mentions(Body))
    Findings = P->run(FD, Body);
  return P->Results[FD] = std::move(Findings);
}

} // namespace peer
