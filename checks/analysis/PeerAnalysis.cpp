//===- PeerAnalysis.cpp - the lookup-call-monitor flow analysis -----------===//
//
// The driver: builds the CFG, runs the transfer function to a fixpoint with
// clang's ForwardDataflowWorklist (blocks in reverse post-order, a block
// revisited only when its input changed), then replays every block once more
// with findings switched on.
//
//===----------------------------------------------------------------------===//

#include "PeerAnalysis.h"
#include "Conditions.h"
#include "Expressions.h"
#include "KeyLiveness.h"
#include "Lattice.h"
#include "Liveness.h"
#include "Operations.h"
#include "PeerKeys.h"
#include "StoredScans.h"
#include "Transfer.h"

#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "clang/Analysis/CFG.h"
#include "clang/Analysis/FlowSensitive/DataflowWorklist.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace peer {

struct PeerAnalysis::Impl {
  const RoleModel &Roles;
  ASTContext &Ctx;
  Operations Ops;
  KeyBuilder Builder;
  StoredScans Lasting;
  llvm::DenseMap<const FunctionDecl *, std::vector<Finding>> Results;
  /// Reads of members and static variables to judge once the unit's record
  /// of stored scans is complete (analyzeUnit).
  llvm::MapVector<const FunctionDecl *, std::vector<FindingSink::StoredRead>>
      PendingReads;
  llvm::DenseMap<const FunctionDecl *, SkippedFunction> Skipped;
  unsigned MaxBlockVisits;

  Impl(const RoleModel &Roles, ASTContext &Ctx, unsigned MaxBlockVisits)
      : Roles(Roles), Ctx(Ctx), Ops(Roles), Builder(Ops, Ctx),
        MaxBlockVisits(MaxBlockVisits) {}

  /// Cheap pre-filter: does \p S contain any peer operation? Only then is a
  /// CFG worth building. Lambdas are analysed as functions of their own.
  bool mentionsOperations(const Stmt *S) {
    if (!S || isa<LambdaExpr>(S))
      return false;
    if (isa<CallExpr, CXXConstructExpr>(S) && Ops.classify(cast<Expr>(S)))
      return true;
    return llvm::any_of(S->children(),
                        [&](const Stmt *C) { return mentionsOperations(C); });
  }

  /// The findings of \p Body; records \p FD in Skipped when over budget.
  std::vector<Finding> run(const FunctionDecl *FD, const Stmt *Body);

  /// Adds the unpinned calls on values read from where the unit keeps
  /// scanned peers (StoredScans.h), for the functions analysed so far.
  void judgeStoredReads();

private:
  std::unique_ptr<CFG> buildGraph(const Decl *D, const Stmt *Body);
  unsigned budgetOf(const CFG &Graph) const {
    return MaxBlockVisits ? MaxBlockVisits
                          : defaultBlockVisits(Graph.getNumBlockIDs());
  }
  /// Runs \p T over \p Graph from \p Entry to a fixpoint, then once more
  /// reporting into \p Sink. False when the function is over its budget.
  bool solve(const CFG &Graph, State Entry, Transfer &T, FunctionKeys &Keys,
             FindingSink &Sink);

  Transfer *CurrentTransfer = nullptr;
  unsigned LambdaDepth = 0;
};

namespace {

/// Runs one function's blocks: the state after a block, and the state it
/// passes along each successor edge (refined by what the branch tested).
class BlockFlow {
public:
  BlockFlow(Transfer &T, std::vector<State> &In, const Liveness &Live,
            const KeyLiveness &LiveKeys)
      : T(T), In(In), Live(Live), LiveKeys(LiveKeys) {}

  /// Applies \p B to its input; calls \p Edge(successor, state) per
  /// reachable successor.
  template <typename EdgeFn> void run(const CFGBlock *B, EdgeFn Edge) {
    if (!In[B->getBlockID()].Reached)
      return;
    State S = In[B->getBlockID()];
    apply(B, S);
    ConditionFacts Tested;
    if (B->succ_size() == 2)
      if (const auto *Cond = dyn_cast_or_null<Expr>(
              B->getTerminatorCondition(/*StripParens=*/true)))
        Tested = testedHandles(Cond);
    // The last reachable successor takes the block's state itself: one copy
    // fewer per block (a long function's states are most of its cost).
    unsigned Last = 0, Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      if (Succ.isReachable())
        Last = Index;
      ++Index;
    }
    Index = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      unsigned I = Index++;
      if (!Succ.isReachable())
        continue;
      State Out = I == Last ? std::move(S) : S;
      for (const VarDecl *VD : I == 0 ? Tested.WhenTrue : Tested.WhenFalse) {
        auto It = Out.Handles.find(VD);
        if (It != Out.Handles.end())
          It->second.MaybeUnchecked = false;
      }
      // A handle no later block reads can reach no operation again.
      for (auto It = Out.Handles.begin(); It != Out.Handles.end();)
        It = Live.isLiveAfter(B, It->first) ? std::next(It)
                                            : Out.Handles.erase(It);
      // Nor can a fact about a key nothing after it names.
      LiveKeys.dropDeadKeys(B, Out);
      Edge(Succ.getReachableBlock(), std::move(Out));
    }
  }

  /// Applies \p B to its input for its findings alone (the final pass: the
  /// fixpoint is reached, what flows out is known already). In place: the
  /// pass reads each input once, and the exit's, read after it, has no
  /// elements to change it.
  void report(const CFGBlock *B) {
    State &S = In[B->getBlockID()];
    if (S.Reached)
      apply(B, S);
  }

  /// Blocks run so far (the function's budget).
  unsigned Visits = 0;

private:
  void apply(const CFGBlock *B, State &S) {
    for (const CFGElement &El : *B) {
      if (std::optional<CFGStmt> CS = El.getAs<CFGStmt>())
        T.apply(S, CS->getStmt());
      else if (std::optional<CFGInitializer> CI = El.getAs<CFGInitializer>())
        T.applyInitializer(S, CI->getInitializer());
    }
    ++Visits;
  }

  Transfer &T;
  std::vector<State> &In;
  const Liveness &Live;
  const KeyLiveness &LiveKeys;
};

/// Findings by position, then kind (a total order: findings are keyed by
/// kind and place).
std::vector<Finding> byPlace(std::vector<Finding> Result,
                             const SourceManager &SM) {
  // Sorted on positions decomposed once: isBeforeInTranslationUnit on every
  // comparison was a tenth of a long function's run.
  using Position = std::pair<FileID, unsigned>;
  std::vector<std::pair<Position, size_t>> Keys;
  Keys.reserve(Result.size());
  for (size_t I = 0; I < Result.size(); ++I)
    Keys.push_back({SM.getDecomposedLoc(Result[I].At->getBeginLoc()), I});
  llvm::sort(Keys, [&](const auto &A, const auto &B) {
    const Finding &FA = Result[A.second], &FB = Result[B.second];
    if (FA.At != FB.At) {
      if (A.first.first == B.first.first)
        return A.first.second < B.first.second;
      return SM.isBeforeInTranslationUnit(FA.At->getBeginLoc(),
                                          FB.At->getBeginLoc());
    }
    return FA.Kind < FB.Kind;
  });
  std::vector<Finding> Sorted;
  Sorted.reserve(Result.size());
  for (const auto &Key : Keys)
    Sorted.push_back(std::move(Result[Key.second]));
  return Sorted;
}

/// Notes in source order; findings by position, then kind.
std::vector<Finding>
ordered(std::map<std::pair<FindingKind, const Expr *>, Finding> &Findings,
        const SourceManager &SM, const Stmt *Body) {
  auto Before = [&](const Expr *A, const Expr *B) {
    return SM.isBeforeInTranslationUnit(A->getBeginLoc(), B->getBeginLoc());
  };
  std::vector<Finding> Result;
  for (auto &[Key, F] : Findings) {
    llvm::SmallVector<std::pair<const Expr *, Role>, 2> Pairs;
    for (size_t I = 0; I < F.Earlier.size(); ++I)
      Pairs.push_back({F.Earlier[I], F.EarlierRoles[I]});
    llvm::sort(Pairs, [&](const auto &A, const auto &B) {
      return Before(A.first, B.first);
    });
    F.Earlier.clear();
    F.EarlierRoles.clear();
    for (auto &[E, R] : Pairs) {
      F.Earlier.push_back(E);
      F.EarlierRoles.push_back(R);
    }
    F.Body = Body;
    Result.push_back(std::move(F));
  }
  return byPlace(std::move(Result), SM);
}

} // namespace

std::unique_ptr<CFG> PeerAnalysis::Impl::buildGraph(const Decl *D,
                                                    const Stmt *Body) {
  CFG::BuildOptions Options;
  Options.setAllAlwaysAdd();
  Options.AddInitializers = true;
  return CFG::buildCFG(D, const_cast<Stmt *>(Body), &Ctx, Options);
}

bool PeerAnalysis::Impl::solve(const CFG &Graph, State Entry, Transfer &T,
                               FunctionKeys &Keys, FindingSink &Sink) {
  std::vector<State> In(Graph.getNumBlockIDs());
  Entry.Reached = true;
  In[Graph.getEntry().getBlockID()] = std::move(Entry);
  Liveness Live(Graph);
  KeyLiveness LiveKeys(Graph, Ops, Keys);
  BlockFlow Flow(T, In, Live, LiveKeys);

  // Joins only grow the may-sets and only shrink the must-set, over the
  // finite sites and keys of this function, so the worklist empties.
  bool WasActive = Sink.Active;
  Sink.Active = false;
  PostOrderCFGView Order(&Graph);
  ForwardDataflowWorklist Worklist(Graph, &Order);
  Worklist.enqueueBlock(&Graph.getEntry());
  // A budget against pathological functions: beyond it the function is
  // skipped, never reported on from a state short of the fixpoint.
  const unsigned Budget = budgetOf(Graph);
  while (const CFGBlock *B = Worklist.dequeue()) {
    if (Flow.Visits > Budget) {
      Sink.Active = WasActive;
      return false;
    }
    Flow.run(B, [&](const CFGBlock *Succ, State Out) {
      State &Target = In[Succ->getBlockID()];
      if (!Target.Reached) {
        Target = std::move(Out);
        Worklist.enqueueBlock(Succ);
        return;
      }
      State Joined = Target;
      Joined.join(Out);
      if (Joined == Target)
        return;
      Target = std::move(Joined);
      Worklist.enqueueBlock(Succ);
    });
  }

  // The final pass, with findings on.
  Sink.Active = true;
  for (const CFGBlock *B : Order)
    Flow.report(B);
  T.finish(In[Graph.getExit().getBlockID()]);
  Sink.Active = WasActive;
  return true;
}

std::vector<Finding> PeerAnalysis::Impl::run(const FunctionDecl *FD,
                                             const Stmt *Body) {
  std::unique_ptr<CFG> Graph = buildGraph(FD, Body);
  if (!Graph)
    return {};
  BodyVariables Vars = bodyVariables(Body);
  Builder.setBody(&Vars);
  FunctionKeys Keys(Builder);
  FindingSink Sink;
  // A callback's body, analysed from the state where it is handed over.
  Transfer T(Ops, Keys, Sink, Lasting, Body,
             [&](const LambdaExpr *Lambda, const State &From) {
               const CXXMethodDecl *Op = Lambda->getCallOperator();
               if (!Op || !Op->getBody() || LambdaDepth > 4 ||
                   Ops.errorsMayHideOperations(Op->getBody()))
                 return;
               std::unique_ptr<CFG> Inner = buildGraph(Op, Op->getBody());
               if (!Inner)
                 return;
               ++LambdaDepth;
               solve(*Inner, From, *CurrentTransfer, Keys, Sink);
               --LambdaDepth;
             });
  CurrentTransfer = &T;
  State Entry;
  if (std::optional<unsigned> Caller = Roles.callerParameterOf(FD))
    T.enterHandler(Entry, FD->getParamDecl(*Caller));
  bool Solved = solve(*Graph, std::move(Entry), T, Keys, Sink);
  CurrentTransfer = nullptr;
  Builder.setBody(nullptr);
  if (!Solved) {
    Skipped[FD] = {SkippedFunction::Reason::OverBudget, Graph->getNumBlockIDs(),
                   budgetOf(*Graph)};
    return {};
  }
  if (!Sink.StoredReads.empty())
    PendingReads[FD] = std::move(Sink.StoredReads);
  return ordered(Sink.Findings, Ctx.getSourceManager(), Body);
}

void PeerAnalysis::Impl::judgeStoredReads() {
  for (auto &[FD, Reads] : PendingReads) {
    std::vector<Finding> &Findings = Results[FD];
    size_t Before = Findings.size();
    for (const FindingSink::StoredRead &Read : Reads) {
      std::optional<StoredScans::Find> Found =
          Lasting.findStoredIn(Read.Holder);
      if (!Found || llvm::any_of(Findings, [&](const Finding &F) {
            return F.Kind == FindingKind::UnpinnedCall && F.At == Read.At;
          }))
        continue;
      Finding F;
      F.Kind = FindingKind::UnpinnedCall;
      F.At = Read.At;
      F.AtRole = Role::UnpinnedCall;
      F.Earlier.push_back(Found->Site);
      F.EarlierRoles.push_back(Found->ByScan ? Role::Scan : Role::Lookup);
      F.PeerName = Read.PeerName;
      F.KeptIn = Read.Holder;
      F.Body = FD->getBody();
      Findings.push_back(std::move(F));
    }
    if (Findings.size() != Before)
      Findings = byPlace(std::move(Findings), Ctx.getSourceManager());
  }
  PendingReads.clear();
}

PeerAnalysis::PeerAnalysis(const RoleModel &Roles, ASTContext &Context,
                           unsigned MaxBlockVisits)
    : P(std::make_unique<Impl>(Roles, Context, MaxBlockVisits)) {}

PeerAnalysis::~PeerAnalysis() = default;

const RoleModel &PeerAnalysis::roles() const { return P->Roles; }

const SkippedFunction *PeerAnalysis::skipped(const FunctionDecl *FD) const {
  auto It = P->Skipped.find(FD);
  return It == P->Skipped.end() ? nullptr : &It->second;
}

const WrapperSummary *PeerAnalysis::wrapperOf(const FunctionDecl *FD) {
  return P->Ops.wrapperOf(FD);
}

const ConversionSummary *PeerAnalysis::conversionOf(const FunctionDecl *FD) {
  return P->Ops.inferredConversionOf(FD);
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
  if (Body && P->mentionsOperations(Body)) {
    // A re-check or a watch that did not compile is missing from the body
    // clang recovered: the function would be reported for what it lacks.
    if (P->Ops.errorsMayHideOperations(Body))
      P->Skipped[FD] = {SkippedFunction::Reason::ContainsErrors};
    else
      Findings = P->run(FD, Body);
  }
  return P->Results[FD] = std::move(Findings);
}

void PeerAnalysis::analyzeUnit(llvm::ArrayRef<const FunctionDecl *> Functions) {
  for (const FunctionDecl *FD : Functions)
    analyze(FD);
  P->judgeStoredReads();
}

} // namespace peer
