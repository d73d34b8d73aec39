//===- RunReport.h - what a run does after the analysis ---------*- C++ -*-===//
//
// The second half of peer-tidy's main: the findings of the analysed units
// filtered (--baseline, --diff), written (text through clang-tidy's own
// reporter, which also applies fixes; JSON; SARIF), exported
// (--export-fixes, --export-summaries, --write-baseline), summed up on
// stderr, and the exit code (docs/ci.md). main keeps the flags and the flow
// up to the analysis.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_RUN_REPORT_H
#define PEER_TIDY_RUN_REPORT_H

#include "Cache.h"
#include "Report.h"
#include "Runner.h"
#include "Shard.h"

#include "ClangTidyOptions.h"
#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace peer::tool {

/// The flags of the report (PeerTidyMain.cpp's --help says what each does).
struct ReportFlags {
  OutputFormat Format = OutputFormat::Text;
  std::string Output;
  std::string BaselineFile, WriteBaselineFile, DiffRevision;
  std::string ExportSummaries, ExportFixes;
  bool Fix = false, FixErrors = false, FixNotes = false;
  bool Quiet = false;
};

/// What the analysis leaves for the report.
struct AnalysedRun {
  std::vector<TranslationUnitResult> Units;
  /// The command line's, for clang-tidy's text reporter.
  std::unique_ptr<clang::tidy::ClangTidyOptionsProvider> Provider;
  std::string FirstFile;
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS;
  std::string RepositoryRoot;
  /// The checks enabled for the first file (for the structured reports;
  /// empty with text output).
  std::vector<std::string> Enabled;
  std::optional<ShardSpec> Shard;
  const ResultCache *Cache = nullptr;
  FindingFilters Filters;
};

/// Reads the baseline and runs git diff, before the (long) analysis; an
/// error when either fails.
llvm::Expected<FindingFilters> loadFilters(const ReportFlags &Flags,
                                           llvm::StringRef RepositoryRoot);

/// Reports Run as Flags ask; the exit code.
int reportRun(const ReportFlags &Flags, AnalysedRun Run);

/// Says so, once, when a write to OS failed; true then.
bool reportWriteFailure(llvm::raw_fd_ostream &OS,
                        const llvm::Twine &Destination);

} // namespace peer::tool

#endif
