//===- PeerCheck.h - what every peer-* check shares -------------*- C++ -*-===//
//
// The base of the three peer-* checks. It reads the role configuration (read
// with getLocalOrGlobal, so one CheckOptions entry serves all three checks and
// any check may override it), walks only the declarations whose findings can
// be reported, and asks the shared analysis for each function's findings.
// A subclass only words its diagnostics.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_PEERCHECK_H
#define PEER_TIDY_PEERCHECK_H

#include "ClangTidyCheck.h"
#include "analysis/PeerAnalysis.h"
#include "analysis/Roles.h"

namespace peer {

class PeerCheck : public clang::tidy::ClangTidyCheck {
public:
  PeerCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context,
            FindingKind Kind);

  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void
  check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;

protected:
  /// Emits the diagnostic (and notes, and fix-its) for one finding.
  virtual void diagnose(const Finding &F, clang::ASTContext &Context) = 0;

private:
  /// Adds the roles of wrappers defined in other units: from the tool
  /// (SummaryExchange) or from the PeerSummaryFile option.
  void importSummaries(std::vector<RoleEntry> &Entries);

  clang::tidy::ClangTidyContext *TidyContext;
  FindingKind Kind;
  std::string Lookups, Callers, Scans, Conversions, Calls, UnpinnedCalls,
      Monitors, EdgeMonitors, MonitoredCalls, Proxies, Profiles, SummaryFile;
  /// 0: PeerAnalysis's default budget per function.
  unsigned MaxBlockVisits;
  /// Remarks for functions over the budget (peer-tidy --verbose sets it).
  bool ReportSkipped;
  RoleModel Roles;
};

} // namespace peer

#endif
