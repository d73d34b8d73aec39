//===- PeerAnalysis.h - the lookup-call-monitor flow analysis ---*- C++ -*-===//
//
// One forward dataflow analysis over clang's CFG answers the three questions
// the peer-* checks ask about a function body:
//   * was a peer called, on some path, before the monitor that watches it?
//   * was a key looked up again after an earlier lookup already fed an
//     operation on the peer?
//   * was a looked-up handle used without being tested for "not found" on
//     every path from the lookup?
// Peers are identified by the key they were looked up under, so the analysis
// follows handles through variables and through wrapper functions that look a
// key up themselves (inferred on demand, memoised).
//
// The checks are thin: they ask analyze() for a function's findings and word
// the diagnostics. The parts, each in its own file: Expressions (syntax),
// Operations and Wrappers (what a call site does), PeerKeys (identity),
// Lattice (the state), Conditions (what a branch proves), Transfer (what a
// statement does), StoredScans (what the unit keeps of its scans); this file
// drives them over the CFG to a fixpoint.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_PEERANALYSIS_H
#define PEER_TIDY_ANALYSIS_PEERANALYSIS_H

#include "Conversions.h"
#include "Roles.h"
#include "Wrappers.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <string>
#include <vector>

namespace peer {

enum class FindingKind {
  MonitorAfterCall,
  RepeatedLookup,
  UncheckedLookup,
  UnpinnedCall,
};

/// One finding: a warning at \c At, a note at \c Earlier.
struct Finding {
  FindingKind Kind;
  /// The later operation (the monitor, the repeated lookup, the unchecked use).
  const clang::Expr *At = nullptr;
  /// The earlier events, in source order: the unmonitored calls, the earlier
  /// lookups, or the lookup whose result is used unchecked.
  llvm::SmallVector<const clang::Expr *, 2> Earlier;
  /// The body that was analysed (a fix-it looks for statements in it).
  const clang::Stmt *Body = nullptr;
  /// The peer as written: a handle variable's name or the key expression.
  std::string PeerName;
  /// What the operation at \c At is ("call", "monitor", "edge monitor", ...).
  Role AtRole = Role::Call;
  /// What each earlier event was (parallel to \c Earlier).
  llvm::SmallVector<Role, 2> EarlierRoles;
  /// An unpinned call on a value read from where the unit keeps scanned
  /// peers: that member or static variable (the scan, in \c Earlier, is
  /// in another function).
  const clang::ValueDecl *KeptIn = nullptr;
};

/// A function the analysis gave up on. It gets no findings: never ones from
/// a state short of the fixpoint, nor ones that code clang could not make
/// sense of may contradict.
struct SkippedFunction {
  enum class Reason {
    OverBudget,     ///< Its fixpoint took more block visits than its budget.
    ContainsErrors, ///< A compile error in it may hide an operation.
  };
  Reason Why = Reason::OverBudget;
  unsigned Blocks = 0; ///< Blocks of its CFG (over budget).
  unsigned Budget = 0; ///< Block visits allowed (over budget).
};

class PeerAnalysis {
public:
  /// \p MaxBlockVisits bounds one function's fixpoint; 0 means the default,
  /// defaultBlockVisits() of its CFG.
  PeerAnalysis(const RoleModel &Roles, clang::ASTContext &Context,
               unsigned MaxBlockVisits = 0);

  /// The default budget of a function of \p Blocks CFG blocks: generous
  /// (each block may be revisited 64 times), linear in its size.
  static unsigned defaultBlockVisits(unsigned Blocks) {
    return 64 * Blocks + 10000;
  }
  ~PeerAnalysis();

  /// All findings in the body of \p FD (a function, a method, a lambda's call
  /// operator or a coroutine). Memoised.
  const std::vector<Finding> &analyze(const clang::FunctionDecl *FD);

  /// Analyses every function of \p Functions (the unit's), then adds to
  /// their findings those that depend on the whole unit: unpinned calls on
  /// values read from members or static variables where some function keeps
  /// a scanned peer (StoredScans.h). Call it before analyze() is asked for
  /// their findings.
  void analyzeUnit(llvm::ArrayRef<const clang::FunctionDecl *> Functions);

  /// Why \p FD got no findings, if analyze() gave up on it.
  const SkippedFunction *skipped(const clang::FunctionDecl *FD) const;

  /// The role model the analysis reads (the first check's, when the checks
  /// share one configuration).
  const RoleModel &roles() const;

  /// The inferred summary of \p FD if it is a wrapper (Wrappers.h).
  const WrapperSummary *wrapperOf(const clang::FunctionDecl *FD);

  /// The inferred summary of \p FD if it is a conversion (Conversions.h).
  const ConversionSummary *conversionOf(const clang::FunctionDecl *FD);

  struct Impl;

private:
  std::unique_ptr<Impl> P;
};

} // namespace peer

#endif
