//===- Transfer.h - what each statement does to the state ------*- C++ -*-===//
//
// The transfer function of the flow analysis. A peer is named two ways:
//   * by a handle: a variable (or a member or element of one) that holds a
//     lookup's result, followed back to that lookup and its key;
//   * by value: a name, a pid, a handle received as a parameter, a member,
//     a literal; its key is the value's structure (PeerKeys.h), valid while
//     no variable it reads is written.
// Declarations and assignments move handles between variables and end keys
// built over the written variable; peer operations record calls, monitors,
// callers and fed lookups, and report findings against the state they meet.
// An edge monitor after an open window is pending until a used state query
// of the same peer re-checks it ("watch, then re-check"), or the function
// ends. A lambda handed to another call is a callback that runs later: its
// body is analysed from the state at the point where it is handed over.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_TRANSFER_H
#define PEER_TIDY_ANALYSIS_TRANSFER_H

#include "Lattice.h"
#include "Operations.h"
#include "PeerAnalysis.h"
#include "PeerKeys.h"
#include "StoredScans.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "llvm/ADT/DenseSet.h"
#include <functional>
#include <map>
#include <memory>

namespace peer {

/// Findings are collected only in the final pass, after the fixpoint; one
/// finding per (kind, site), with every earlier event that leads to it.
class FindingSink {
public:
  bool Active = false;
  void report(FindingKind Kind, const clang::Expr *At, Role AtRole,
              const clang::Expr *Earlier, Role EarlierRole,
              const std::string &PeerName);
  std::map<std::pair<FindingKind, const clang::Expr *>, Finding> Findings;

  /// A raw-identity call on a value read from a member or a static variable
  /// (StoredScans.h): an unpinned call if some function of the unit keeps a
  /// scanned peer there, known only once the whole unit is analysed.
  struct StoredRead {
    const clang::Expr *At;
    const clang::ValueDecl *Holder;
    std::string PeerName;
  };
  void noteStoredRead(const clang::Expr *At, const clang::ValueDecl *Holder,
                      const std::string &PeerName) {
    if (Active)
      StoredReads.push_back({At, Holder, PeerName});
  }
  std::vector<StoredRead> StoredReads;
};

class Transfer {
public:
  /// Analyses a callback's body, run later from the given state.
  using RunLaterFn =
      std::function<void(const clang::LambdaExpr *, const State &)>;

  Transfer(Operations &Ops, FunctionKeys &Keys, FindingSink &Sink,
           StoredScans &Lasting, const clang::Stmt *Body, RunLaterFn RunLater)
      : Ops(Ops), Keys(Keys), Sink(Sink), Lasting(Lasting), Body(Body),
        RunLater(std::move(RunLater)) {}

  /// Applies the CFG element statement \p St to \p S.
  void apply(State &S, const clang::Stmt *St);
  /// Applies a constructor's member initializer (its expression was
  /// applied already, as statements before it).
  void applyInitializer(State &S, const clang::CXXCtorInitializer *Init);

  /// At the end of the body: reports the edge monitors whose window is
  /// still open on some path.
  void finish(const State &AtExit);

  /// At the entry of a handler whose parameter \p Caller holds the caller
  /// of the request it handles (RoleModel::callerParameterOf): the request
  /// has arrived. Its note goes to the parameter's first use in the body.
  void enterHandler(State &S, const clang::ParmVarDecl *Caller);

private:
  /// Where an operation's peer comes from.
  struct PeerRef {
    std::set<Origin> Origins;  ///< lookups whose handle it is
    bool Unchecked = false;    ///< some origin may have found nothing
    unsigned ValueKey = NoKey; ///< else: the peer named by value
    std::string Name;
  };

  void applyOperand(State &S, const clang::Stmt *St);
  bool applyWrite(State &S, const clang::Stmt *St);
  void applyCall(State &S, const clang::Expr *E);
  void applyParse(State &S, const clang::Expr *E);
  void applyKeyed(State &S, const clang::Expr *E, Role Kind);
  void applyOnPeer(State &S, const clang::Expr *E, const Operation &Op);
  void applyOnOnePeer(State &S, const clang::Expr *E, Role Kind,
                      const clang::Expr *PeerArg,
                      const clang::FieldDecl *Field = nullptr,
                      bool AlsoUnpinned = false);
  /// A raw-identity call \p E on a value read from a member or a static
  /// variable: a finding if the unit keeps scanned peers there.
  void noteStoredRead(const clang::Expr *E, const clang::Expr *PeerArg,
                      const clang::FieldDecl *Field, const std::string &Name);
  /// What the body does to lasting storage and to its locals, in any
  /// order: the members and static variables it assigns, and the locals
  /// (or their members or elements) handed to calls.
  struct BodyFacts {
    llvm::DenseSet<const clang::ValueDecl *> WrittenHolders;
    llvm::DenseSet<const clang::VarDecl *> Escaping;
  };
  const BodyFacts &bodyFacts();
  std::optional<PeerRef> resolvePeer(const State &S, const clang::Expr *Arg,
                                     const clang::FieldDecl *Field = nullptr);
  bool isOwned(const clang::Expr *Peer);
  void runCallbacks(const State &S, const clang::Expr *Call);
  /// Forgets the facts about keys over \p VD (over its member \p Field
  /// only, when given).
  void forgetKeysOver(State &S, const clang::VarDecl *VD,
                      const clang::FieldDecl *Field = nullptr);
  /// If \p Value is a caller's identity stored into a variable or member
  /// (whose key \p StoredKey gives): the request arrived for that name too.
  void noteStoredCaller(State &S, const clang::Expr *Value,
                        llvm::function_ref<unsigned()> StoredKey);
  void assignHandle(State &S, const clang::VarDecl *VD,
                    const clang::Expr *Init);
  /// The handle \p Value evaluates to, if any: a lookup's or scan's result,
  /// a variable holding one, or a member or element of one.
  std::optional<HandleInfo> handleOf(const State &S, const clang::Expr *Value);
  /// What holds either of two handles (of a conditional's branches).
  static std::optional<HandleInfo> eitherHandle(std::optional<HandleInfo> A,
                                                std::optional<HandleInfo> B);
  /// The handle variable \p Holder holds in member \p Field (null: the
  /// whole), if any; never a proxy.
  static const HandleInfo *heldHandle(const State &S,
                                      const clang::VarDecl *Holder,
                                      const clang::FieldDecl *Field);
  /// list[i].pid = found(), c.pid = found(): the variable holds it there.
  void storeHandle(State &S, const clang::Expr *Target,
                   const clang::Expr *Value);
  void storeHandleInfo(State &S, const clang::Expr *Target,
                       std::optional<HandleInfo> Stored);
  /// The role of the operation that found an origin (a lookup or a scan).
  Role originRole(const clang::Expr *Site);
  /// Records, in the final pass, that \p Holder (a member or a static
  /// variable; may be null) now keeps what the scans among \p Kept's
  /// origins found, and so do the members of a record that hold them.
  void noteKeptScans(const clang::ValueDecl *Holder,
                     const std::optional<HandleInfo> &Kept);
  /// f(pid), with pid scanned: where f keeps its parameters keeps it too.
  void noteScansPassedOn(const State &S, const clang::Expr *Call);
  void operateOn(State &S, Role Kind, unsigned Key, const clang::Expr *Site,
                 const std::string &PeerName);
  void operateOnKey(State &S, Role Kind, unsigned Key, const clang::Expr *Site,
                    const std::string &PeerName);
  void monitor(State &S, Role Kind, unsigned Key, const clang::Expr *Site,
               const std::string &PeerName);
  void closeWindows(State &S, unsigned Key);
  bool hasOpenWindow(const State &S, unsigned Key) const;
  void checkRepeatedLookup(State &S, unsigned Key, const clang::Expr *Site,
                           Role SiteRole);
  bool isResultUsed(const clang::Expr *E);

  Operations &Ops;
  FunctionKeys &Keys;
  FindingSink &Sink;
  /// Where the unit keeps scanned peers beyond their function.
  StoredScans &Lasting;
  const clang::Stmt *Body;
  RunLaterFn RunLater;
  std::unique_ptr<clang::ParentMap> Parents;
  /// The operation being applied is a deferred edge monitor (its windows
  /// cannot be closed by what follows: they are reported at once).
  bool ApplyingDeferred = false;
  /// How each edge monitor names its peer, for findings reported at exit.
  std::map<const clang::Expr *, std::string> MonitorNames;
  std::optional<BodyFacts> Facts;
};

} // namespace peer

#endif
