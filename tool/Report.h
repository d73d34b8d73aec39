//===- Report.h - one run's findings, located and written -------*- C++ -*-===//
//
// After the units ran: merge their findings (a header finding once, not once
// per unit that includes the header), give each its place in the repository
// and a fingerprint, filter (baseline, diff), and write them out as text,
// JSON or SARIF.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_REPORT_H
#define PEER_TIDY_REPORT_H

#include "GitDiff.h"
#include "Runner.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace peer::tool {

/// peer-tidy's exit codes (docs/ci.md), for a run and for a merge alike.
enum ExitCode : int {
  ExitClean = 0,
  ExitWarningsAsErrors = 1,
  ExitUsage = 2,
  ExitCompileFailure = 3,
};

/// The formats of a report: of a run (--format) and of a merge alike.
enum class OutputFormat { Text, Json, Sarif };

/// peer-tidy's one way of saying what went wrong: each error in E on its
/// own line of stderr, as "peer-tidy: error: ..."; true when there was any.
bool reportError(llvm::Error E);
/// The same as a warning (the run goes on).
bool reportWarning(llvm::Error E);

/// docs/ci.md's exit code of a run or a merge, most severe first; says on
/// stderr that a unit failed, and (unless Quiet) how many warnings were
/// treated as errors.
int exitCodeOf(bool ConfigurationError, bool CompileFailed,
               unsigned WarningsAsErrors, bool Quiet);

/// A position in a file, 1-based, columns in bytes (as clang counts them).
struct Position {
  std::string Path; ///< Canonical: absolute, symlinks resolved.
  unsigned Line = 0;
  unsigned Column = 0;
};

/// Reads each source file once and answers position questions about it.
/// peer-tidy merge has no sources to read: there, every answer was recorded
/// in a shard's report (recordPosition, recordLine) and nothing is read.
class SourceFiles {
public:
  explicit SourceFiles(bool ReadFiles = true) : ReadFiles(ReadFiles) {}
  /// The canonical path of a diagnostic's file (relative paths are relative
  /// to the unit's build directory).
  static std::string canonicalPath(llvm::StringRef FilePath,
                                   llvm::StringRef BuildDirectory);
  std::optional<Position> position(llvm::StringRef CanonicalPath,
                                   unsigned Offset);
  /// The text of a 1-based line, without its line break.
  llvm::StringRef lineText(llvm::StringRef CanonicalPath, unsigned Line);

  void recordPosition(llvm::StringRef CanonicalPath, unsigned Offset,
                      unsigned Line, unsigned Column);
  void recordLine(llvm::StringRef CanonicalPath, unsigned Line,
                  llvm::StringRef Text);

private:
  struct Contents {
    std::unique_ptr<llvm::MemoryBuffer> Buffer;
    std::vector<unsigned> LineStarts;
  };
  const Contents *load(llvm::StringRef Path);
  llvm::StringMap<std::optional<Contents>> Files;
  bool ReadFiles;
  llvm::StringMap<std::map<unsigned, std::pair<unsigned, unsigned>>>
      RecordedPositions;
  llvm::StringMap<std::map<unsigned, std::string>> RecordedLines;
};

/// A finding ready for any output.
struct ReportedFinding {
  const Finding *Source = nullptr;
  Position Where;
  std::string RelativePath; ///< To the repository root; "" when outside.
  std::string Fingerprint;
  /// The unit that reported it (unitKey): of all units that did, the first
  /// in path order.
  std::string Unit;
};

struct ReportSettings {
  std::string RepositoryRoot; ///< Absolute; git top-level or --sarif-root.
  /// The key of each unit, when the caller knows it (merge); otherwise
  /// computed with unitKey.
  const std::vector<std::string> *UnitKeys = nullptr;
};

/// How reports name a translation unit: its main file relative to the
/// repository root (absolute when outside it), the same on every checkout.
std::string unitKey(llvm::StringRef File, llvm::StringRef RepositoryRoot);

/// Findings of all units, each once, ordered by file, offset, and at one
/// offset by the reporting unit's key and then the engine's order; located
/// and fingerprinted. Nothing depends on the order of the units, so the
/// findings of shards, merged, come out as those of one run.
std::vector<ReportedFinding>
collectFindings(const std::vector<TranslationUnitResult> &Units,
                SourceFiles &Sources, const ReportSettings &Settings);

/// The nearest directory above Start that holds .git, or "".
std::string findRepositoryRoot(llvm::StringRef Start);
/// Path relative to Root, with '/' separators; "" when not inside Root.
std::string relativeTo(llvm::StringRef Root, llvm::StringRef Path);

/// The length of a diagnostic's own range (the one starting at its offset),
/// 0 when it has none.
unsigned primaryLength(const clang::tooling::DiagnosticMessage &M,
                       llvm::StringRef BuildDirectory);

/// What a JSON report records besides the findings, so that the reports of
/// shards can be merged into the report of one run (Merge.h).
struct JsonReport {
  std::string RepositoryRoot;
  std::vector<std::string> EnabledChecks;
  std::vector<std::string> Units;       ///< unitKey of each, sorted.
  std::vector<std::string> FailedUnits; ///< unitKey of each, sorted.
  std::string Shard;                    ///< "K/N", or "" when not sharded.
};

void writeJson(llvm::raw_ostream &OS,
               const std::vector<ReportedFinding> &Findings,
               SourceFiles &Sources, const JsonReport &Info);

struct SarifSettings {
  std::string RepositoryRoot;
  std::vector<std::string> EnabledChecks;
};
void writeSarif(llvm::raw_ostream &OS,
                const std::vector<ReportedFinding> &Findings,
                SourceFiles &Sources, const SarifSettings &Settings);

/// --baseline and --diff: which findings are not reported.
struct FindingFilters {
  std::optional<llvm::StringSet<>> Baseline;
  std::optional<ChangedLines> Changed;

  /// The findings to report: not accepted in the baseline and, with --diff,
  /// on a changed line. Compile errors are always reported.
  std::vector<ReportedFinding> select(std::vector<ReportedFinding> All,
                                      unsigned &InBaseline,
                                      unsigned &OutsideDiff) const;
};

/// Writes a report with Write to OutputPath (--output), or to standard output
/// when it is empty. False, after one message naming where it went, when it
/// could not be created or written whole (exit 2).
bool writeReportOutput(llvm::StringRef OutputPath,
                       llvm::function_ref<void(llvm::raw_ostream &)> Write);

/// Paths in SARIF, JSON and baselines are relative to this: SarifRoot
/// (--sarif-root) when given, or the git work tree around the working
/// directory ("" when there is none). Canonical.
std::string repositoryRootFor(llvm::StringRef SarifRoot);

/// How severe a finding is: the one mapping of clang-tidy's levels that
/// every output uses (text and JSON "error"/"warning"/"remark", SARIF
/// "error"/"warning"/"note", LSP 1/2/3). A warning promoted by
/// --warnings-as-errors (or WarningsAsErrors) is an error.
enum class Severity { Error, Warning, Remark };
inline Severity severityOf(const clang::tidy::ClangTidyError &E) {
  if (E.IsWarningAsError || E.DiagLevel == clang::tidy::ClangTidyError::Error)
    return Severity::Error;
  if (E.DiagLevel == clang::tidy::ClangTidyError::Remark)
    return Severity::Remark;
  return Severity::Warning;
}

/// The text and JSON name of a severity: "error", "warning" or "remark".
inline llvm::StringRef severityName(Severity S) {
  switch (S) {
  case Severity::Error:
    return "error";
  case Severity::Remark:
    return "remark";
  case Severity::Warning:
    break;
  }
  return "warning";
}

/// The clang-tidy level a JSON report's "level" names (the inverse of
/// severityName; a promoted warning is written as "error" and read back
/// through its warningAsError flag).
inline std::optional<clang::tidy::ClangTidyError::Level>
levelFromName(llvm::StringRef Name) {
  if (Name == "warning")
    return clang::tidy::ClangTidyError::Warning;
  if (Name == "error")
    return clang::tidy::ClangTidyError::Error;
  if (Name == "remark")
    return clang::tidy::ClangTidyError::Remark;
  return std::nullopt;
}

/// A check rejected its options (an unknown profile, a malformed list).
inline bool isConfigurationError(const clang::tidy::ClangTidyError &Error) {
  return Error.DiagLevel == clang::tidy::ClangTidyError::Error &&
         Error.DiagnosticName == "clang-tidy-config";
}

/// Points standard output (file descriptor 1, which llvm::outs() and
/// clang-tidy's reporter write to) at a file for as long as it lives.
class StandardOutputRedirect {
public:
  explicit StandardOutputRedirect(const std::string &Path);
  ~StandardOutputRedirect();
  bool ok() const { return Saved >= 0; }

private:
  int Saved = -1;
};

/// Flushes OS and tells whether everything written to it arrived: an error
/// naming Destination if not (a full disk, /dev/full, a closed pipe). The
/// stream's error is cleared either way, so that LLVM does not abort with
/// "IO failure on output stream" when the stream is destroyed.
llvm::Error checkWritten(llvm::raw_fd_ostream &OS,
                         const llvm::Twine &Destination);

} // namespace peer::tool

#endif
