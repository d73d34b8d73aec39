//===- Transfer.cpp - what each statement does to the state ---------------===//

#include "Transfer.h"
#include "Expressions.h"

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"

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

void Transfer::forgetKeysOver(State &S, const VarDecl *VD) {
  S.forgetKeys([&](unsigned Key) { return Keys.reads(Key, VD); });
}

void Transfer::assignHandle(State &S, const VarDecl *VD, const Expr *Init) {
  S.Handles.erase(VD);
  if (!Init)
    return;
  const Expr *Source = ignoreHandleAccess(Init);
  if (Ops.isLookup(Source)) {
    HandleInfo Info;
    Info.Origins.insert({Source, Keys.keyOfSite(Source)});
    Info.MaybeUnchecked = true;
    S.Handles[VD] = std::move(Info);
    return;
  }
  if (const VarDecl *From = namedVar(Source)) {
    auto It = S.Handles.find(From);
    if (It != S.Handles.end()) {
      HandleInfo Copy = It->second;
      S.Handles[VD] = std::move(Copy);
    }
  }
}

void Transfer::operateOn(State &S, Role Kind, unsigned Key, const Expr *Site,
                         const std::string &PeerName) {
  operateOnKey(S, Kind, Key, Site, PeerName);
  if (unsigned Alias = Keys.info(Key).NameAlias; Alias != NoKey)
    operateOnKey(S, Kind, Alias, Site, PeerName);
}

void Transfer::operateOnKey(State &S, Role Kind, unsigned Key,
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
      Sink.report(FindingKind::MonitorAfterCall, Site, Kind, Earlier,
                  EarlierRole, PeerName);
    }
    for (auto It = S.Unmonitored.begin(); It != S.Unmonitored.end();)
      It = std::get<0>(*It) == Key ? S.Unmonitored.erase(It) : std::next(It);
    S.MonitoredOnAllPaths.insert(Key);
    return;
  }
}

void Transfer::checkRepeatedLookup(State &S, unsigned Key, const Expr *Site,
                                   Role SiteRole) {
  for (const auto &[K, Earlier] : S.FedLookups)
    if (K == Key && Earlier != Site)
      Sink.report(FindingKind::RepeatedLookup, Site, SiteRole, Earlier,
                  Role::Lookup, Keys.info(Key).Display);
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
      return true;
    }
  }
  if (const VarDecl *Whole = writeTarget(St)) {
    // A member, an element, or ++/--: the key over it changes.
    forgetKeysOver(S, Whole);
    return true;
  }
  return false;
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

void Transfer::applyCall(State &S, const Expr *E) {
  std::optional<Operation> Op = Ops.classify(E);
  if (!Op) {
    // Peer operations are declared to talk about peers, so their reference
    // parameters (the registry, the runtime) are not writes to the key.
    noteWritesThroughCall(S, E);
    return;
  }
  if (!Op->Keyed) {
    applyHandleOperation(S, E, *Op);
    return;
  }
  unsigned Key = Keys.keyOfSite(E);
  checkRepeatedLookup(S, Key, E, Op->Kind);
  if (Op->Kind != Role::Lookup)
    S.FedLookups.insert({Key, E});
  operateOn(S, Op->Kind, Key, E, Keys.info(Key).Display);
}

/// An operation on a handle: follow it back to its lookup.
void Transfer::applyHandleOperation(State &S, const Expr *E,
                                    const Operation &Op) {
  const Expr *Peer = ignoreHandleAccess(Op.PeerArg);
  std::set<Origin> Origins;
  bool Unchecked = false;
  std::string PeerName;
  if (const VarDecl *VD = namedVar(Peer)) {
    auto It = S.Handles.find(VD);
    if (It == S.Handles.end())
      return; // not found by a lookup here: not our pattern
    Origins = It->second.Origins;
    Unchecked = It->second.MaybeUnchecked;
    PeerName = VD->getName().str();
  } else if (Ops.isLookup(Peer)) {
    Origins.insert({Peer, Keys.keyOfSite(Peer)});
    Unchecked = true; // call(*lookup(k)): nothing could have tested it
    PeerName = Keys.info(Keys.keyOfSite(Peer)).Display;
  } else if (Op.Kind != Role::Call) {
    // A monitor given the peer's name: it watches whatever that name is
    // looked up as.
    unsigned Name = Keys.keyOfName(Op.PeerArg);
    if (Name != NoKey)
      operateOnKey(S, Op.Kind, Name, E, Keys.info(Name).Display);
    return;
  } else {
    return;
  }
  if (Unchecked && Op.Kind != Role::MonitoredCall)
    for (const auto &[Site, Key] : Origins)
      Sink.report(FindingKind::UncheckedLookup, E, Op.Kind, Site,
                  Role::Lookup, PeerName);
  for (const auto &[Site, Key] : Origins) {
    S.FedLookups.insert({Key, Site});
    operateOn(S, Op.Kind, Key, E, PeerName);
  }
}

/// Passing a variable by non-const reference or pointer may change it.
void Transfer::noteWritesThroughCall(State &S, const Expr *E) {
  const FunctionDecl *FD = calleeOf(E);
  if (!FD)
    return;
  auto Args = declaredArgs(E);
  for (unsigned I = 0; I < Args.size() && I < FD->getNumParams(); ++I) {
    QualType T = FD->getParamDecl(I)->getType();
    bool MayWrite =
        (T->isReferenceType() &&
         !T.getNonReferenceType().isConstQualified()) ||
        (T->isPointerType() && !T->getPointeeType().isConstQualified());
    if (!MayWrite)
      continue;
    const Expr *A = Args[I]->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(A);
        UO && UO->getOpcode() == UO_AddrOf)
      A = UO->getSubExpr()->IgnoreParenImpCasts();
    if (const VarDecl *VD = writtenVar(A))
      forgetKeysOver(S, VD);
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const CXXMethodDecl *MD = MC->getMethodDecl(); MD && !MD->isConst())
      if (const VarDecl *VD = writtenVar(MC->getImplicitObjectArgument()))
        forgetKeysOver(S, VD);
}

} // namespace peer
