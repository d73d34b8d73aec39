//===- Transfer.cpp - what each statement does to the state ---------------===//

#include "Transfer.h"
#include "Expressions.h"
#include "MatchRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace clang;

namespace peer {

void FindingSink::report(FindingKind Kind, const Expr *At, Role AtRole,
                         const Expr *Earlier, Role EarlierRole,
                         const std::string &PeerName) {
  if (!Active)
    return;
  auto [It, Inserted] = Findings.try_emplace({Kind, At});
  Finding &F = It->second;
  if (Inserted) {
    F.Kind = Kind;
    F.At = At;
    F.AtRole = AtRole;
    F.PeerName = PeerName;
  }
  if (!llvm::is_contained(F.Earlier, Earlier)) {
    F.Earlier.push_back(Earlier);
    F.EarlierRoles.push_back(EarlierRole);
  }
}

/// The member \p Target writes of \p Whole itself (r.f, not r.a.f, p->f or
/// a union's member), as keys record it (PeerKeys.h, KeyVar); null for any
/// other write, which changes all of \p Whole.
static const FieldDecl *directMember(const Expr *Target, const VarDecl *Whole) {
  const auto *ME = dyn_cast<MemberExpr>(Target->IgnoreParenImpCasts());
  const auto *Field = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  if (!Field || ME->isArrow() || Field->getParent()->isUnion() ||
      namedVar(ME->getBase()) != Whole)
    return nullptr;
  return Field;
}

void Transfer::forgetKeysOver(State &S, const VarDecl *VD,
                              const FieldDecl *Field) {
  S.forgetKeys([&](unsigned Key) { return Keys.reads(Key, VD, Field); });
  // A proxy made for the old value keeps talking to that value's peer, which
  // no expression names any more.
  for (auto It = S.Handles.begin(); It != S.Handles.end();)
    It = It->second.ProxyKey != NoKey && Keys.reads(It->second.ProxyKey, VD)
             ? S.Handles.erase(It)
             : std::next(It);
}

void Transfer::assignHandle(State &S, const VarDecl *VD, const Expr *Init) {
  S.Handles.erase(VD);
  if (!Init)
    return;
  if (const Expr *Named = Ops.proxiedPeer(ignoreHandleAccess(Init))) {
    HandleInfo Info;
    Info.ProxyKey = Keys.keyOfName(Named);
    if (Info.ProxyKey != NoKey)
      S.Handles[VD] = std::move(Info);
    return;
  }
  if (std::optional<HandleInfo> Info = handleOf(S, Init)) {
    // procinfo_t cur = {.pid = pid}: the members that now hold it.
    if (!Info->Fields.empty())
      noteKeptScans(nullptr, Info);
    S.Handles[VD] = std::move(*Info);
  }
}

/// Whether the lookup at \p Site has a value to say it found nothing with:
/// not one that returns a reference, or an operator-> (whose pointer is
/// dereferenced at once), as a directory iterator's *it and it-> do.
static bool mayFindNothing(const Expr *Site) {
  const auto *Call = dyn_cast<CallExpr>(Site);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  return !Callee || !(Callee->getReturnType()->isReferenceType() ||
                      Callee->getOverloadedOperator() == OO_Arrow);
}

std::optional<HandleInfo> Transfer::handleOf(const State &S,
                                             const Expr *Value) {
  // pid_of(d): the peer d names, as d->d_name would be.
  const Expr *Source = Ops.throughConversions(Value);
  // group ? -id : id: either branch's peer.
  if (const auto *Choice = dyn_cast<AbstractConditionalOperator>(Source))
    return eitherHandle(handleOf(S, Choice->getTrueExpr()),
                        handleOf(S, Choice->getFalseExpr()));
  if (Ops.isLookup(Source)) {
    HandleInfo Info;
    Info.Origins.insert({Source, Keys.keyOfSite(Source)});
    Info.MaybeUnchecked = mayFindNothing(Source);
    return Info;
  }
  if (const VarDecl *From = namedVar(Source)) {
    auto It = S.Handles.find(From);
    if (It != S.Handles.end())
      return It->second;
    return std::nullopt;
  }
  // {.pid = pid}: the record holds it in those members.
  if (auto Members = initializedMembers(Source); !Members.empty()) {
    std::optional<HandleInfo> Info;
    for (const auto &[Field, Value] : Members)
      if (std::optional<HandleInfo> Held = handleOf(S, Value);
          Held && Held->ProxyKey == NoKey) {
        if (!Info)
          Info.emplace();
        Info->Origins.insert(Held->Origins.begin(), Held->Origins.end());
        Info->Fields.insert(Field);
      }
    return Info;
  }
  // A member or element of a found record (d->d_name, stack->head[0].pid):
  // it names the same peer; whether the record was found was tested on it.
  if (const HandleInfo *Held =
          heldHandle(S, containingVar(Source), accessedField(Source))) {
    HandleInfo Info;
    Info.Origins = Held->Origins;
    return Info;
  }
  return std::nullopt;
}

std::optional<HandleInfo> Transfer::eitherHandle(std::optional<HandleInfo> A,
                                                 std::optional<HandleInfo> B) {
  if (!A || !B)
    return A ? A : B;
  A->Origins.insert(B->Origins.begin(), B->Origins.end());
  A->MaybeUnchecked |= B->MaybeUnchecked;
  A->Fields.clear();
  return A;
}

const HandleInfo *Transfer::heldHandle(const State &S, const VarDecl *Holder,
                                       const FieldDecl *Field) {
  auto It = Holder ? S.Handles.find(Holder) : S.Handles.end();
  if (It == S.Handles.end() || It->second.ProxyKey != NoKey ||
      !It->second.heldIn(Field))
    return nullptr;
  return &It->second;
}

void Transfer::storeHandle(State &S, const Expr *Target, const Expr *Value) {
  storeHandleInfo(S, Target, Value ? handleOf(S, Value) : std::nullopt);
}

void Transfer::storeHandleInfo(State &S, const Expr *Target,
                               std::optional<HandleInfo> Stored) {
  // p->pid = pid, procs[i].pid = pid: any object of that type may carry it
  // to another function.
  if (const ValueDecl *Lasting = lastingStorageOf(Target))
    noteKeptScans(Lasting, Stored);
  const VarDecl *Holder = containingVar(Target);
  if (!Holder || !Holder->hasLocalStorage() ||
      Holder->getType()->isReferenceType())
    return;
  const FieldDecl *Field = accessedField(Target);
  // c.pid = v replaces what c.pid held; list[i].pid = v and p->pid = v add
  // to what the other elements (or the pointee) hold.
  const auto *ME = dyn_cast<MemberExpr>(Target->IgnoreParenImpCasts());
  bool Replaces = ME && !ME->isArrow() && namedVar(ME->getBase()) == Holder;
  auto It = S.Handles.find(Holder);
  if (It != S.Handles.end() && It->second.ProxyKey != NoKey)
    return;
  if (!Stored) {
    if (Replaces && It != S.Handles.end() && It->second.Fields.erase(Field) &&
        It->second.Fields.empty())
      S.Handles.erase(It);
    return;
  }
  if (It == S.Handles.end()) {
    HandleInfo Info;
    Info.Origins = std::move(Stored->Origins);
    if (Field)
      Info.Fields.insert(Field);
    S.Handles[Holder] = std::move(Info);
    return;
  }
  HandleInfo &Held = It->second;
  if (Replaces && Held.Fields.size() == 1 && Held.Fields.count(Field))
    Held.Origins.clear();
  Held.Origins.insert(Stored->Origins.begin(), Stored->Origins.end());
  if (!Field)
    Held.Fields.clear();
  else if (!Held.Fields.empty())
    Held.Fields.insert(Field);
}

Role Transfer::originRole(const Expr *Site) {
  std::optional<Operation> Op = Ops.classify(Site);
  return Op && Op->Kind == Role::Scan ? Role::Scan : Role::Lookup;
}

void Transfer::noteKeptScans(const ValueDecl *Holder,
                             const std::optional<HandleInfo> &Kept) {
  // The final pass sees the fixpoint's states; lambdas run only in it.
  if (!Sink.Active || !Kept || Kept->ProxyKey != NoKey)
    return;
  for (const auto &[Site, Key] : Kept->Origins) {
    std::optional<Operation> Op = Ops.classify(Site);
    if (!Op || !findsPeer(Op->Kind))
      continue;
    bool ByScan = Op->Kind == Role::Scan;
    if (Holder)
      Lasting.noteStore(Holder, Site, ByScan);
    // A record that holds it in some members (a copy of one, {.pid = pid}):
    // any object of its type may carry it on in those.
    for (const FieldDecl *Field : Kept->Fields)
      Lasting.noteStore(Field, Site, ByScan);
  }
}

void Transfer::noteScansPassedOn(const State &S, const Expr *Call) {
  const auto *CE = dyn_cast<CallExpr>(Call);
  if (!Sink.Active || !CE || isa<CXXOperatorCallExpr>(CE) ||
      !CE->getDirectCallee())
    return;
  const ParameterStores *Stores = nullptr;
  for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
    std::optional<HandleInfo> Passed = handleOf(S, CE->getArg(I));
    if (!Passed)
      continue;
    if (!Stores &&
        !(Stores = Lasting.parameterStoresOf(CE->getDirectCallee(), Ops)))
      return;
    for (const auto &[Param, Holder] : Stores->Stores)
      if (Param == I)
        noteKeptScans(Holder, Passed);
  }
}

void Transfer::operateOn(State &S, Role Kind, unsigned Key, const Expr *Site,
                         const std::string &PeerName) {
  operateOnKey(S, Kind, Key, Site, PeerName);
  if (unsigned Alias = Keys.info(Key).NameAlias; Alias != NoKey)
    operateOnKey(S, Kind, Alias, Site, PeerName);
}

void Transfer::operateOnKey(State &S, Role Kind, unsigned Key, const Expr *Site,
                            const std::string &PeerName) {
  switch (Kind) {
  case Role::Lookup:
  case Role::Scan:
  case Role::Caller:
    // Before an edge monitor, learning of the peer opens a window too.
    S.Unmonitored.insert(UnmonitoredEvent(Key, Site, Kind));
    return;
  case Role::Call:
  case Role::UnpinnedCall:
    if (!S.MonitoredOnAllPaths.count(Key))
      S.Unmonitored.insert(UnmonitoredEvent(Key, Site, Role::Call));
    return;
  case Role::Monitor:
  case Role::EdgeMonitor:
  case Role::MonitoredCall:
    monitor(S, Kind, Key, Site, PeerName);
    return;
  case Role::Proxy:
    return; // a class's role: its construction binds a handle (assignHandle)
  case Role::Convert:
    return; // no operation: classify never gives one
  case Role::Freeze:
  case Role::Thaw:
    return; // on no peer (applyCall)
  }
}

void Transfer::monitor(State &S, Role Kind, unsigned Key, const Expr *Site,
                       const std::string &PeerName) {
  bool Edge = Kind == Role::EdgeMonitor;
  for (const UnmonitoredEvent &Earlier : S.Unmonitored) {
    if (Earlier.Key != Key || Earlier.Site == Site)
      continue;
    // Before a state-reporting monitor, only calls open a window; before an
    // edge monitor, so does learning of the peer (a lookup, a request).
    if (Earlier.Kind != Role::Call && !Edge)
      continue;
    if (Edge && !ApplyingDeferred) {
      S.Pending.insert({Key, Site, Earlier.Site, Earlier.Kind});
      MonitorNames.try_emplace(Site, PeerName);
    } else {
      Sink.report(FindingKind::MonitorAfterCall, Site, Kind, Earlier.Site,
                  Earlier.Kind, PeerName);
    }
  }
  S.Unmonitored.eraseIf(
      [&](const UnmonitoredEvent &E) { return E.Key == Key; });
  S.MonitoredOnAllPaths.insert(Key);
}

bool Transfer::hasOpenWindow(const State &S, unsigned Key) const {
  return Key != NoKey && llvm::any_of(S.Pending, [&](const PendingWindow &W) {
           return std::get<0>(W) == Key;
         });
}

void Transfer::closeWindows(State &S, unsigned Key) {
  for (auto It = S.Pending.begin(); It != S.Pending.end();)
    It = std::get<0>(*It) == Key ? S.Pending.erase(It) : std::next(It);
}

/// The first reference to \p VD in \p S, in source order (lambdas are
/// bodies of their own).
static const DeclRefExpr *firstReference(const Stmt *S, const VarDecl *VD) {
  if (!S || isa<LambdaExpr>(S))
    return nullptr;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(S); Ref && Ref->getDecl() == VD)
    return Ref;
  for (const Stmt *Child : S->children())
    if (const DeclRefExpr *Found = firstReference(Child, VD))
      return Found;
  return nullptr;
}

void Transfer::enterHandler(State &S, const ParmVarDecl *Caller) {
  const DeclRefExpr *Use = firstReference(Body, Caller);
  if (!Use)
    return;
  unsigned Key = Keys.keyOfName(Use);
  if (Key != NoKey)
    operateOnKey(S, Role::Caller, Key, Use, Keys.info(Key).Display);
}

void Transfer::finish(const State &AtExit) {
  if (!AtExit.Reached)
    return;
  for (const auto &[Key, Monitor, Earlier, EarlierRole] : AtExit.Pending)
    Sink.report(FindingKind::MonitorAfterCall, Monitor, Role::EdgeMonitor,
                Earlier, EarlierRole, MonitorNames[Monitor]);
}

void Transfer::checkRepeatedLookup(State &S, unsigned Key, const Expr *Site,
                                   Role SiteRole) {
  for (const FedLookup &Earlier : S.FedLookups)
    if (Earlier.Key == Key && Earlier.Site != Site)
      Sink.report(FindingKind::RepeatedLookup, Site, SiteRole, Earlier.Site,
                  Role::Lookup, Keys.info(Key).Display);
}

/// A result is used when it feeds anything but a discarded statement.
bool Transfer::isResultUsed(const Expr *E) {
  if (!Parents)
    Parents = std::make_unique<ParentMap>(const_cast<Stmt *>(Body));
  const Stmt *Child = E;
  const Stmt *Parent = Parents->getParent(Child);
  while (Parent &&
         (isa<ImplicitCastExpr, ParenExpr, ExprWithCleanups,
              MaterializeTemporaryExpr, CXXBindTemporaryExpr>(Parent))) {
    Child = Parent;
    Parent = Parents->getParent(Child);
  }
  if (!Parent || isa<CompoundStmt>(Parent))
    return false;
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(Parent))
    return !Cast->getType()->isVoidType();
  return true;
}

/// clang's CFG shows a co_await or co_yield as one element whose operand it
/// does not break down; walk the operand in evaluation order here.
void Transfer::applyOperand(State &S, const Stmt *St) {
  if (!St || isa<LambdaExpr>(St))
    return;
  for (const Stmt *Child : St->children())
    applyOperand(S, Child);
  apply(S, St);
}

/// Declarations, assignments, ++/--: returns true when \p St was one.
bool Transfer::applyWrite(State &S, const Stmt *St) {
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D)) {
        forgetKeysOver(S, VD);
        assignHandle(S, VD, VD->getInit());
      }
    return true;
  }
  if (std::optional<Assignment> A = asAssignment(St)) {
    if (const VarDecl *VD = namedVar(A->Target)) {
      // The variable itself now holds another value.
      forgetKeysOver(S, VD);
      if (A->Value)
        assignHandle(S, VD, A->Value);
      else
        S.Handles.erase(VD);
      // A static variable (target = pid): what assignHandle found it holds.
      if (auto It = S.Handles.find(VD);
          !VD->hasLocalStorage() && It != S.Handles.end())
        noteKeptScans(VD, It->second);
      noteStoredCaller(S, A->Value, [&] { return Keys.keyOfName(A->Target); });
      return true;
    }
    // A member or an element: the keys over it change (over that member
    // only, for r.f of a local record r), before what it now holds counts.
    const VarDecl *Whole = writeTarget(St);
    if (Whole)
      forgetKeysOver(S, Whole, directMember(A->Target, Whole));
    // A member of this object or of a local (m_caller = r.dbusid =
    // message().service()).
    if (isa<MemberExpr>(A->Target->IgnoreParenImpCasts()))
      noteStoredCaller(S, A->Value, [&] { return Keys.keyOfName(A->Target); });
    // A member or an element (also through a pointer) may now hold what
    // was found.
    storeHandle(S, A->Target, A->Value);
    return Whole != nullptr;
  }
  if (const VarDecl *Whole = writeTarget(St)) {
    // ++/--: the key over it changes.
    forgetKeysOver(S, Whole);
    return true;
  }
  return false;
}

void Transfer::noteStoredCaller(State &S, const Expr *Value,
                                llvm::function_ref<unsigned()> StoredKey) {
  if (!Value)
    return;
  const Expr *Source = ignoreNameConversions(Value)->IgnoreParenImpCasts();
  if (!isa<CallExpr>(Source)) {
    // A copy of a name that holds a caller (priv->owner = g_strdup(owner)):
    // the copy is that caller too, its request arrived where the name's did.
    if (!isa<DeclRefExpr, MemberExpr>(Source) || !isNameType(Source->getType()))
      return;
    unsigned From = Keys.keyOfName(Source);
    if (From == NoKey)
      return;
    llvm::SmallVector<const Expr *, 2> Requests;
    for (const UnmonitoredEvent &E : S.Unmonitored)
      if (E.Key == From && E.Kind == Role::Caller)
        Requests.push_back(E.Site);
    if (Requests.empty())
      return;
    if (unsigned Key = StoredKey(); Key != NoKey && Key != From)
      for (const Expr *Site : Requests)
        operateOnKey(S, Role::Caller, Key, Site, Keys.info(Key).Display);
    return;
  }
  std::optional<Operation> Op = Ops.classify(Source);
  if (!Op || Op->Kind != Role::Caller)
    return;
  // Only now: most assignments store no caller, and a key is interned.
  if (unsigned Key = StoredKey(); Key != NoKey)
    operateOnKey(S, Role::Caller, Key, Source, Keys.info(Key).Display);
}

void Transfer::applyInitializer(State &S, const CXXCtorInitializer *Init) {
  if (const FieldDecl *Field = Init->getMember())
    noteStoredCaller(S, Init->getInit(),
                     [&] { return Keys.keyOfField(Field); });
}

void Transfer::apply(State &S, const Stmt *St) {
  if (const auto *Suspend = dyn_cast<CoroutineSuspendExpr>(St)) {
    applyOperand(S, Suspend->getOperand());
    return;
  }
  if (applyWrite(S, St))
    return;
  if (isa<CallExpr, CXXConstructExpr>(St))
    applyCall(S, cast<Expr>(St));
}

/// A lambda handed to a call (not called in place) is a callback: it runs
/// after everything done so far, including the call it is handed to.
void Transfer::runCallbacks(const State &S, const Expr *Call) {
  if (!Sink.Active || !RunLater)
    return;
  for (const LambdaExpr *Lambda : callbacksOf(Call)) {
    // The windows of edge monitors here are this function's to close.
    State Later = S;
    Later.Pending.clear();
    RunLater(Lambda, Later);
  }
}

void Transfer::applyCall(State &S, const Expr *E) {
  std::optional<Operation> Op = Ops.classify(E);
  if (Op && (Op->Kind == Role::Freeze || Op->Kind == Role::Thaw)) {
    // kill(-1, SIGSTOP) ... kill(-1, SIGCONT): scans between them find peers
    // that stay where they are until the thaw.
    S.Frozen = Op->Kind == Role::Freeze;
    S.FrozenScans.clear();
    return;
  }
  // Also a wrapper's call (pid_check(pid) probes the pid, then records it).
  noteScansPassedOn(S, E);
  if (!Op) {
    // Peer operations are declared to talk about peers, so their reference
    // parameters (the registry, the runtime) are not writes to the key.
    for (const VarDecl *VD : variablesWrittenByCall(E))
      forgetKeysOver(S, VD);
    applyParse(S, E);
    runCallbacks(S, E);
    return;
  }
  if (Op->ResultArg) {
    // lookup(key, &pid): pid now holds what was found. Whether it was is
    // the call's result, tested apart from the handle: not an unchecked one.
    const Expr *Target = ignoreHandleAccess(Op->ResultArg);
    const VarDecl *Out = namedVar(Target);
    if (const VarDecl *Whole = Out ? Out : containingVar(Target))
      forgetKeysOver(S, Whole);
    applyKeyed(S, E, Op->Kind);
    HandleInfo Info;
    Info.Origins.insert({E, Keys.keyOfSite(E)});
    if (Out)
      S.Handles[Out] = std::move(Info);
    else // get_pid(d, &ctl.pid): a member or element holds it
      storeHandleInfo(S, Target, std::move(Info));
  } else if (Op->Keyed)
    applyKeyed(S, E, Op->Kind);
  else
    applyOnPeer(S, E, *Op);
  runCallbacks(S, E);
}

/// sscanf(d->d_name, "%d", &pid), get_pid(d, &pid): pid is the peer the
/// text (the entry) names.
void Transfer::applyParse(State &S, const Expr *E) {
  if (std::optional<Conversion> C = Ops.conversionOf(E); C && C->Out) {
    std::optional<HandleInfo> Info;
    for (const Expr *From : C->Sources)
      if (std::optional<HandleInfo> Named = handleOf(S, From)) {
        if (!Info)
          Info.emplace();
        Info->Origins.insert(Named->Origins.begin(), Named->Origins.end());
      }
    const Expr *Target = ignoreHandleAccess(C->Out);
    if (const VarDecl *Out = namedVar(Target)) {
      if (Info)
        S.Handles[Out] = std::move(*Info);
      else
        S.Handles.erase(Out);
    } else {
      storeHandleInfo(S, Target, std::move(Info));
    }
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  llvm::SmallVector<const VarDecl *, 2> Outs;
  const Expr *Text = Call ? parsedText(Call, Outs) : nullptr;
  if (!Text)
    return;
  std::optional<HandleInfo> Info = handleOf(S, Text);
  for (const VarDecl *VD : Outs) {
    if (Info)
      S.Handles[VD] = *Info;
    else
      S.Handles.erase(VD);
  }
}

/// A lookup, a caller query, or a wrapper that looks its key up itself.
void Transfer::applyKeyed(State &S, const Expr *E, Role Kind) {
  if (Kind == Role::Scan) {
    if (S.Frozen)
      S.FrozenScans.insert(E);
    // Each scan finds anew: never repeated, and it re-checks no watch.
    unsigned Key = Keys.keyOfSite(E);
    operateOnKey(S, Role::Scan, Key, E, Keys.info(Key).Display);
    return;
  }
  if (Kind == Role::Caller) {
    // The peer is the value returned: never empty, never stale, so neither
    // unchecked nor repeated; but it may be gone already.
    unsigned Key = Keys.keyOfName(E);
    if (Key != NoKey)
      operateOnKey(S, Role::Caller, Key, E, Keys.info(Key).Display);
    return;
  }
  unsigned Key = Keys.keyOfSite(E);
  unsigned Alias = Keys.info(Key).NameAlias;
  // A state query after an edge watch, whose answer is acted on (where it
  // returns, or in the callback it is given), re-checks the watched peer:
  // the fix of the race, and no repeated lookup.
  bool Rechecks = Kind == Role::Lookup &&
                  (hasOpenWindow(S, Key) || hasOpenWindow(S, Alias)) &&
                  (isResultUsed(E) || answersToCallback(E));
  if (!Rechecks)
    checkRepeatedLookup(S, Key, E, Kind);
  if (Kind != Role::Lookup)
    S.FedLookups.insert(FedLookup(Key, E));
  operateOn(S, Kind, Key, E, Keys.info(Key).Display);
  if (Rechecks) {
    closeWindows(S, Key);
    closeWindows(S, Alias);
  }
}

/// A local variable made by a call that is no lookup (spawn, fork, a
/// factory) holds what this function created: it was not found under a
/// name, cannot have been replaced, and is not tracked. Names (strings) are
/// values wherever they come from.
bool Transfer::isOwned(const Expr *Peer) {
  const VarDecl *VD = namedVar(Peer);
  if (!VD || isa<ParmVarDecl>(VD) || !VD->hasLocalStorage() || !VD->getInit() ||
      isNameType(VD->getType()))
    return false;
  const Expr *Init = ignoreHandleAccess(VD->getInit());
  if (!isa<CallExpr, CXXConstructExpr>(Init))
    return false;
  std::optional<Operation> Op = Ops.classify(Init);
  return !Op || !namesPeer(Op->Kind);
}

std::optional<Transfer::PeerRef>
Transfer::resolvePeer(const State &S, const Expr *Arg, const FieldDecl *Field) {
  PeerRef Ref;
  const Expr *Peer = Ops.throughConversions(Arg);
  // kill(group ? -id : id, sig): the peers found of either branch.
  if (const auto *Choice = dyn_cast<AbstractConditionalOperator>(Peer);
      Choice && !Field)
    if (std::optional<HandleInfo> Either = handleOf(S, Choice)) {
      Ref.Origins = Either->Origins;
      Ref.Unchecked = Either->MaybeUnchecked;
      Ref.Name = Keys.textOf(Arg);
      return Ref;
    }
  if (Field) {
    // kill_verbose(&ctl), which signals ctl->pid, nice_or_kill(&rows[i]):
    // only a handle held in that member of a variable (or of its
    // elements) is followed.
    const VarDecl *VD = namedVar(Peer);
    const HandleInfo *Held =
        heldHandle(S, VD ? VD : containingVar(Peer), Field);
    if (!Held)
      return std::nullopt;
    Ref.Origins = Held->Origins;
    Ref.Name = (Keys.textOf(Peer) + "." + Field->getName()).str();
    return Ref;
  }
  if (const VarDecl *VD = namedVar(Peer)) {
    auto It = S.Handles.find(VD);
    if (It != S.Handles.end() && It->second.ProxyKey != NoKey) {
      // A proxy: it talks to the peer it was made for.
      Ref.ValueKey = It->second.ProxyKey;
      Ref.Name = Keys.info(Ref.ValueKey).Display;
      return Ref;
    }
    if (It != S.Handles.end()) {
      Ref.Origins = It->second.Origins;
      Ref.Unchecked = It->second.MaybeUnchecked;
      Ref.Name = VD->getName().str();
      return Ref;
    }
  } else if (const HandleInfo *Held =
                 heldHandle(S, containingVar(Peer), accessedField(Peer))) {
    // A field or element of a looked-up record (procs[i].num).
    Ref.Origins = Held->Origins;
    Ref.Name = Keys.textOf(Peer);
    return Ref;
  }
  if (isa<CallExpr, CXXConstructExpr>(Peer) && Ops.isLookup(Peer)) {
    unsigned Key = Keys.keyOfSite(Peer);
    Ref.Origins.insert({Peer, Key});
    // call(*lookup(k)): nothing could have tested it
    Ref.Unchecked = mayFindNothing(Peer);
    Ref.Name = Keys.info(Key).Display;
    return Ref;
  }
  if (isOwned(Peer))
    return std::nullopt;
  Ref.ValueKey = Keys.keyOfName(Arg);
  if (Ref.ValueKey == NoKey)
    return std::nullopt;
  Ref.Name = Keys.textOf(Arg);
  return Ref;
}

void Transfer::noteStoredRead(const Expr *E, const Expr *PeerArg,
                              const FieldDecl *Field, const std::string &Name) {
  const Expr *Peer = Ops.throughConversions(PeerArg);
  const ValueDecl *Holder = Field ? Field : lastingStorageOf(Peer);
  if (!Holder)
    return;
  if (const VarDecl *Root = containingVar(Peer)) {
    // What a parameter carries in is its caller's to judge: a wrapper's
    // summary takes the call there (Wrappers.h).
    if (isa<ParmVarDecl>(Root))
      return;
    // A record or array of this function's own: the flow saw every write
    // to it, unless it was handed to a call to fill.
    if (Root->hasLocalStorage() && !Root->getType()->isPointerType() &&
        !Root->getType()->isReferenceType() &&
        !bodyFacts().Escaping.contains(Root))
      return;
  }
  // Written here: what this function put there is what the flow followed.
  if (bodyFacts().WrittenHolders.contains(Holder))
    return;
  Sink.noteStoredRead(E, Holder, Name);
}

const Transfer::BodyFacts &Transfer::bodyFacts() {
  if (Facts)
    return *Facts;
  Facts.emplace();
  llvm::SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *St = Work.pop_back_val();
    if (!St || isa<LambdaExpr>(St))
      continue;
    // A constant written (p->pid = 0 after a failed kill) is a reset, no
    // peer of this function's.
    if (std::optional<Assignment> A = asAssignment(St);
        A && !(A->Value && isa<IntegerLiteral, CharacterLiteral>(
                               A->Value->IgnoreParenImpCasts())))
      if (const ValueDecl *Holder = lastingStorageOf(A->Target))
        Facts->WrittenHolders.insert(Holder);
    if (const auto *Call = dyn_cast<CallExpr>(St))
      for (const Expr *Arg : Call->arguments()) {
        const Expr *Handed = Arg->IgnoreParenImpCasts();
        if (const auto *UO = dyn_cast<UnaryOperator>(Handed);
            UO && UO->getOpcode() == UO_AddrOf)
          Handed = UO->getSubExpr();
        if (const VarDecl *VD = containingVar(Handed))
          Facts->Escaping.insert(VD);
      }
    Work.append(St->child_begin(), St->child_end());
  }
  return *Facts;
}

/// An operation on a peer given as an argument (on each, for a list).
void Transfer::applyOnPeer(State &S, const Expr *E, const Operation &Op) {
  llvm::SaveAndRestore Deferred(ApplyingDeferred, Op.Deferred);
  if (Op.InMatchRule) {
    std::optional<RulePeer> Watched = peerOfMatchRule(Op.PeerArg, Body, E);
    if (Watched && Watched->Arg) {
      applyOnOnePeer(S, E, Op.Kind, Watched->Arg);
    } else if (Watched) {
      unsigned Key = Keys.keyOfLiteralName(Watched->Literal);
      operateOnKey(S, Op.Kind, Key, E, Keys.info(Key).Display);
    }
    return;
  }
  llvm::SmallVector<const Expr *, 4> Elements = listElements(Op.PeerArg);
  if (Elements.empty()) {
    applyOnOnePeer(S, E, Op.Kind, Op.PeerArg, Op.PeerField, Op.AlsoUnpinned);
    return;
  }
  for (const Expr *Element : Elements)
    applyOnOnePeer(S, E, Op.Kind, Element);
}

void Transfer::applyOnOnePeer(State &S, const Expr *E, Role Kind,
                              const Expr *PeerArg, const FieldDecl *Field,
                              bool AlsoUnpinned) {
  std::optional<PeerRef> Ref = resolvePeer(S, PeerArg, Field);
  // Not found here: perhaps read from where another function keeps what
  // its scan found (stop_one(p) with p from a global list of pids).
  if ((!Ref || Ref->ValueKey != NoKey) &&
      (Kind == Role::UnpinnedCall || AlsoUnpinned) && !S.Frozen)
    noteStoredRead(E, PeerArg, Field, Ref ? Ref->Name : Keys.textOf(PeerArg));
  if (!Ref)
    return;
  if (Ref->ValueKey != NoKey) {
    operateOnKey(S, Kind, Ref->ValueKey, E, Ref->Name);
    return;
  }
  if (Ref->Unchecked && Kind != Role::MonitoredCall)
    for (const auto &[Site, Key] : Ref->Origins)
      Sink.report(FindingKind::UncheckedLookup, E, Kind, Site, originRole(Site),
                  Ref->Name);
  // A raw identity found by a lookup may name another peer by now, found or
  // not, monitored or not: only a pinned handle is sure to reach the same one.
  if (Kind == Role::UnpinnedCall || AlsoUnpinned)
    for (const auto &[Site, Key] : Ref->Origins)
      // Found while every process is stopped, used before they run again:
      // it cannot have gone (the killall5 technique).
      if (!S.Frozen || !S.FrozenScans.count(Site))
        Sink.report(FindingKind::UnpinnedCall, E, Role::UnpinnedCall, Site,
                    originRole(Site), Ref->Name);
  for (const auto &[Site, Key] : Ref->Origins) {
    S.FedLookups.insert(FedLookup(Key, Site));
    operateOn(S, Kind, Key, E, Ref->Name);
  }
}

} // namespace peer
