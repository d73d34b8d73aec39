//===- Wrappers.cpp - functions that perform a peer operation -------------===//

#include "Wrappers.h"
#include "Expressions.h"
#include "MatchRules.h"
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
/// (through copies, conversions and handle access); or, with \p Field, of
/// the parameter whose member \p Arg reads (c->pid, c.pid: *Field = pid).
int parameterIndex(const Expr *Arg, const FunctionDecl *FD,
                   const FieldDecl **Field = nullptr) {
  const Expr *E = ignoreNameConversions(ignoreHandleAccess(Arg));
  const VarDecl *VD = namedVar(E);
  if (const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
      ME && Field) {
    *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!*Field)
      return -1;
    // c->pid, and deeper (row->head[EU_PID].result.s_int, libproc2's
    // PIDS_VAL): the member read last names it, as the flow records a
    // record's members.
    VD = containingVar(ME->getBase());
  }
  if (const auto *PVD = dyn_cast_or_null<ParmVarDecl>(VD))
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
    if (!ByParameter && !KeySource)
      walkCallbacks();
    if (ByParameter)
      return ByParameter;
    if (!KeySource)
      return std::nullopt;
    // The wrapper is what it does first with the peer: a wrapper that
    // monitors and then calls is a keyed monitor (and safe), one that calls
    // first is a keyed call.
    // A scan that goes on to act on what it found is no wrapper: its
    // findings are its own, and its callers find nothing.
    if (ScanSource)
      return Returned && !First
                 ? std::optional(WrapperSummary{Role::Scan, KeySource, FD})
                 : std::nullopt;
    if (First)
      return WrapperSummary{*First, KeySource, FD};
    // A lookup whose answer goes to a callback (asked asynchronously) looks
    // the key up for the wrapper's caller too, who hears the answer through
    // the callback it hands the wrapper (Transfer: answersToCallback).
    if (Returned || AnswersLater) {
      WrapperSummary Lookup{Role::Lookup, KeySource, FD};
      Lookup.KeyParam = KeyParam;
      return Lookup;
    }
    return std::nullopt;
  }

private:
  /// Whether \p E is the result of the key's lookup, a variable holding
  /// it, or (for a scan) a member or element of one.
  bool holdsLookup(const Expr *E) const {
    // pid_of(d): what a conversion gives back of it (Conversions.h).
    E = Ops.throughConversions(E);
    if (E == KeySource)
      return true;
    if (const VarDecl *VD = namedVar(E))
      return Holders.contains(VD);
    if (const VarDecl *VD = ScanSource ? containingVar(E) : nullptr)
      return Holders.contains(VD);
    // {.pid = strtol(d->d_name, ...)}: a record one of whose members holds it.
    if (ScanSource)
      for (const auto &[Field, Value] : initializedMembers(E))
        if (holdsLookup(Value))
          return true;
    return false;
  }

  void walk(const Stmt *S) {
    if (!S || isa<LambdaExpr>(S))
      return;
    if (isa<CallExpr, CXXConstructExpr>(S))
      llvm::append_range(Callbacks, callbacksOf(cast<Expr>(S)));
    for (const Stmt *Child : S->children())
      walk(Child);
    visit(S);
  }

  /// The lambdas the body hands over as callbacks (a timer's, a reply's, a
  /// slot), which run after it returns: a helper that only watches its
  /// parameter there is a deferred edge monitor of it. Nothing else in them
  /// gives it a role.
  void walkCallbacks() {
    InCallback = true;
    // Lambdas inside callbacks are callbacks too (the vector grows).
    for (size_t I = 0; I < Callbacks.size() && !CallbackDecided; ++I)
      walk(Callbacks[I]->getBody());
    InCallback = false;
  }

  void visit(const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D)) {
          if (KeySource && VD->getInit() && holdsLookup(VD->getInit()))
            Holders.insert(VD);
          noteCopy(VD, nullptr, VD->getInit());
        }
      return;
    }
    if (std::optional<Assignment> A = asAssignment(S)) {
      auto [VD, Field] = placeOf(A->Target);
      noteCopy(VD, Field, A->Value);
      // found = strtol(d->d_name, ...), list[n].pid = ...: for a scan,
      // what a variable (or its member, its element) is given later.
      if (ScanSource && A->Value && holdsLookup(A->Value))
        if (const VarDecl *VD = containingVar(A->Target))
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

  /// The variable \p E names, or the variable and member it reads
  /// (pn->owner, c.pid): where a copy of a parameter may be kept.
  static std::pair<const VarDecl *, const FieldDecl *> placeOf(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return {containingVar(ME->getBase()),
              dyn_cast<FieldDecl>(ME->getMemberDecl())};
    return {namedVar(E), nullptr};
  }

  /// A local variable (or a member of one: pn->owner of a record the
  /// function made) given a copy of a parameter (g_strdup(owner), pid)
  /// holds that parameter's peer; given anything else, it no longer does.
  void noteCopy(const VarDecl *VD, const FieldDecl *Field, const Expr *Value) {
    if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD))
      return;
    if (!Field) { // a new value for the whole variable: its members too
      llvm::SmallVector<std::pair<const VarDecl *, const FieldDecl *>, 4> Gone;
      for (const auto &[Place, Index] : ParameterCopies)
        if (Place.first == VD)
          Gone.push_back(Place);
      for (const auto &Place : Gone)
        ParameterCopies.erase(Place);
    }
    int Index = Value ? parameterIndex(Value, FD) : -1;
    if (Index >= 0)
      ParameterCopies[{VD, Field}] = Index;
    else
      ParameterCopies.erase({VD, Field});
  }

  /// The parameter \p Arg names (and the member of it it reads), directly
  /// or through a local copy (noteCopy); -1 if none.
  int ourParameter(const Expr *Arg, const FieldDecl **Field) const {
    int Index = parameterIndex(Arg, FD, Field);
    if (Index >= 0)
      return Index;
    *Field = nullptr;
    auto Copy = ParameterCopies.find(
        placeOf(ignoreNameConversions(ignoreHandleAccess(Arg))));
    return Copy == ParameterCopies.end() ? -1 : Copy->second;
  }

  /// The parameter (and member of it) an operation on a peer argument acts
  /// on, if it is one of ours.
  std::optional<std::pair<int, const FieldDecl *>>
  parameterOperand(const Expr *E, const Operation &Op) const {
    if (Op.Keyed || Op.Kind == Role::Caller)
      return std::nullopt;
    // For a match rule, the name the rule was built from.
    const Expr *Peer = Op.PeerArg;
    if (Op.InMatchRule) {
      std::optional<RulePeer> Watched =
          peerOfMatchRule(Op.PeerArg, FD->getBody(), E);
      Peer = Watched ? Watched->Arg : nullptr;
    }
    const FieldDecl *Field = nullptr;
    int Index = Peer ? ourParameter(Peer, &Field) : -1;
    // A member of the parameter, or the member the operation itself reads
    // of the parameter it is given (kill_verbose(c) calling
    // kill_with_timeout(c), which signals c->pid).
    if (Index < 0 || (Field && Op.PeerField))
      return std::nullopt;
    return std::make_pair(Index, Field ? Field : Op.PeerField);
  }

  /// An edge watch of the parameter, then a query of its state: the helper
  /// watches and re-checks, so it misses nothing that happened before it
  /// (the fix of the race): to its callers, a state-reporting monitor.
  void noteRecheck(const Expr *E, const Operation &Op) {
    if (!ByParameter || ByParameter->Kind != Role::EdgeMonitor ||
        Op.Kind != Role::Lookup || !Op.Keyed)
      return;
    for (const Expr *Arg : declaredArgs(E)) {
      const FieldDecl *Field = nullptr;
      if (ourParameter(Arg, &Field) == ByParameter->PeerParam &&
          Field == ByParameter->PeerField) {
        ByParameter->Kind = Role::Monitor;
        ByParameter->Deferred = false;
        return;
      }
    }
  }

  void visitCall(const Expr *E) {
    std::optional<Operation> Op = Ops.classify(E);
    if (!Op) {
      // sscanf(d->d_name, "%d", &pid) in a scan: pid holds what d found.
      llvm::SmallVector<const VarDecl *, 2> Outs;
      if (const auto *Call = ScanSource ? dyn_cast<CallExpr>(E) : nullptr)
        if (const Expr *Text = parsedText(Call, Outs);
            Text && holdsLookup(Text))
          Holders.insert(Outs.begin(), Outs.end());
      // get_pid(d, &pid) likewise.
      if (std::optional<Conversion> C =
              ScanSource ? Ops.conversionOf(E) : std::nullopt;
          C && C->Out && llvm::any_of(C->Sources, [&](const Expr *From) {
            return holdsLookup(From);
          }))
        if (const VarDecl *VD = containingVar(ignoreHandleAccess(C->Out)))
          Holders.insert(VD);
      return;
    }
    if (InCallback) {
      // The first operation there on a parameter decides.
      if (CallbackDecided) {
        noteRecheck(E, *Op);
        return;
      }
      if (auto Operand = parameterOperand(E, *Op)) {
        CallbackDecided = true;
        if (Op->Kind == Role::EdgeMonitor) {
          ByParameter = WrapperSummary{Op->Kind, nullptr, FD, Operand->first,
                                       Operand->second};
          ByParameter->Deferred = true;
        }
      }
      return;
    }
    if (ByParameter) {
      noteRecheck(E, *Op);
      // What it does first decides its role; a raw-identity call on the
      // same peer on any path (the fallback when it does not pin) is one
      // its callers make too.
      if (Op->Kind == Role::UnpinnedCall || Op->AlsoUnpinned)
        if (auto Operand = parameterOperand(E, *Op);
            Operand && Operand->first == ByParameter->PeerParam &&
            Operand->second == ByParameter->PeerField)
          ByParameter->AlsoUnpinned = true;
      return;
    }
    if (!KeySource)
      if (auto Operand = parameterOperand(E, *Op)) {
        // The first operation on a parameter, before any lookup.
        ByParameter = WrapperSummary{Op->Kind, nullptr, FD, Operand->first,
                                     Operand->second};
        ByParameter->AlsoUnpinned = Op->AlsoUnpinned;
        return;
      }
    if (!KeySource && Op->Keyed && Op->Kind == Role::Scan) {
      // A scan takes no key: what it finds is what the function returns.
      KeySource = E;
      ScanSource = true;
      if (Op->ResultArg)
        if (const VarDecl *Out = namedVar(ignoreHandleAccess(Op->ResultArg)))
          Holders.insert(Out);
      return;
    }
    if (!KeySource) {
      // The first keyed operation on a key built from our parameters.
      if (Op->Keyed && Op->Kind != Role::Caller && builtFromParameters(E, FD)) {
        KeySource = E;
        AnswersLater = Op->Kind == Role::Lookup && answersToCallback(E);
        if (Op->Kind == Role::Lookup && Op->LookupName)
          KeyParam = parameterIndex(Op->LookupName, FD);
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
  /// The key source is a scan (Role::Scan), not a lookup.
  bool ScanSource = false;
  llvm::DenseSet<const VarDecl *> Holders;
  std::optional<Role> First;
  bool Returned = false;
  /// The key's lookup answers a callback it is handed (answersToCallback).
  bool AnswersLater = false;
  /// The parameter that is the name the key's lookup looks up, if one is.
  int KeyParam = -1;
  /// Local variables (and members of them) holding a copy of a parameter.
  llvm::DenseMap<std::pair<const VarDecl *, const FieldDecl *>, int>
      ParameterCopies;
  std::optional<WrapperSummary> ByParameter;
  llvm::SmallVector<const LambdaExpr *, 4> Callbacks;
  bool InCallback = false;
  bool CallbackDecided = false;
};

} // namespace

const WrapperSummary *WrapperInference::summaryOf(const FunctionDecl *FD,
                                                  Operations &Ops) {
  return Summaries.get(FD,
                       [&](const FunctionDecl *Def,
                           const Stmt *Body) -> std::optional<WrapperSummary> {
                         // What a body with compile errors wraps is not known.
                         if (Ops.errorsMayHideOperations(Body))
                           return std::nullopt;
                         return WrapperBodyWalker(Def, Ops).summarise(Body);
                       });
}

} // namespace peer
