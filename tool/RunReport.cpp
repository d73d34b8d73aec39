//===- RunReport.cpp - what a run does after the analysis ------------------===//
#include "RunReport.h"

#include "Baseline.h"
#include "Compat.h"
#include "RemoteCache.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"

using namespace clang;
using namespace clang::tidy;
using namespace llvm;
namespace compat = peer::compat;

namespace peer::tool {

bool reportWriteFailure(raw_fd_ostream &OS, const Twine &Destination) {
  return reportError(checkWritten(OS, Destination));
}

Expected<FindingFilters> loadFilters(const ReportFlags &Flags,
                                     StringRef RepositoryRoot) {
  FindingFilters Filters;
  if (!Flags.BaselineFile.empty()) {
    Expected<StringSet<>> Read = readBaseline(Flags.BaselineFile);
    if (!Read)
      return Read.takeError();
    Filters.Baseline = std::move(*Read);
  }
  if (!Flags.DiffRevision.empty()) {
    if (RepositoryRoot.empty())
      return createStringError(
          std::errc::invalid_argument,
          "--diff needs a git work tree (or --sarif-root)");
    Expected<ChangedLines> Diff =
        changedLinesSince(Flags.DiffRevision, RepositoryRoot);
    if (!Diff)
      return Diff.takeError();
    Filters.Changed = std::move(*Diff);
  }
  return Filters;
}

namespace {

/// Writes the file of an output flag (--export-fixes, ...) with Write. An
/// error when it cannot be created or written (exit 2).
Error writeFileOf(StringRef Flag, StringRef Path,
                  function_ref<void(raw_ostream &)> Write) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_None);
  if (EC)
    return createStringError(EC, "cannot write %s '%s': %s", Flag.str().c_str(),
                             Path.str().c_str(), EC.message().c_str());
  Write(OS);
  OS.close();
  return checkWritten(OS, Flag + " '" + Path + "'");
}

void printStats(const ClangTidyStats &Stats) {
  if (!Stats.errorsIgnored())
    return;
  errs() << "Suppressed " << Stats.errorsIgnored() << " warnings (";
  StringRef Separator;
  auto Part = [&](unsigned Count, StringRef What) {
    if (!Count)
      return;
    errs() << Separator << Count << " " << What;
    Separator = ", ";
  };
  Part(Stats.ErrorsIgnoredNonUserCode, "in non-user code");
  Part(Stats.ErrorsIgnoredLineFilter, "due to line filter");
  Part(Stats.ErrorsIgnoredNOLINT, "NOLINT");
  Part(Stats.ErrorsIgnoredCheckFilter, "with check filters");
  errs() << ").\n";
}

void addStats(ClangTidyStats &Total, const ClangTidyStats &Unit) {
  Total.ErrorsDisplayed += Unit.ErrorsDisplayed;
  Total.ErrorsIgnoredCheckFilter += Unit.ErrorsIgnoredCheckFilter;
  Total.ErrorsIgnoredNOLINT += Unit.ErrorsIgnoredNOLINT;
  Total.ErrorsIgnoredNonUserCode += Unit.ErrorsIgnoredNonUserCode;
  Total.ErrorsIgnoredLineFilter += Unit.ErrorsIgnoredLineFilter;
}

/// The report of one run, as its flags ask.
class RunReporter {
public:
  RunReporter(const ReportFlags &Flags, AnalysedRun &Run)
      : Flags(Flags), Run(Run) {}

  int report();

private:
  /// Where the report goes, for messages.
  std::string reportDestination() {
    return Flags.Output.empty() ? std::string("the report to standard output")
                                : "--output '" + Flags.Output + "'";
  }

  /// The lines after the findings: statistics, what the baseline, --diff and
  /// the caches did.
  void printRunSummary(const std::vector<TranslationUnitResult> &Units,
                       const ResultCache *Cache, unsigned InBaseline,
                       unsigned OutsideDiff, bool CompileFailed) {
    ClangTidyStats Stats;
    for (const TranslationUnitResult &Unit : Units)
      addStats(Stats, Unit.Stats);
    printStats(Stats);
    if (InBaseline)
      errs() << InBaseline << " finding" << (InBaseline == 1 ? "" : "s")
             << " accepted in the baseline not shown.\n";
    if (OutsideDiff)
      errs() << OutsideDiff << " finding" << (OutsideDiff == 1 ? "" : "s")
             << " on lines not changed since " << Flags.DiffRevision
             << " not shown.\n";
    if (Cache)
      errs() << "Cache: " << Cache->hits() << " of " << Units.size()
             << " translation units reused.\n";
    if (Cache && Cache->remote())
      errs() << "Remote cache: " << Cache->remoteHits() << " of "
             << Units.size() << " translation units fetched, "
             << Cache->remote()->stored() << " stored"
             << (Cache->remote()->disabled() ? " (unreachable)" : "") << ".\n";
    unsigned Again = count_if(Units, [](const TranslationUnitResult &Unit) {
      return !Unit.Imported.empty();
    });
    if (Again)
      errs() << "Cross-unit summaries: " << Again << " of " << Units.size()
             << " translation units analysed again with other units' "
                "summaries.\n";
    if (CompileFailed && (Flags.Fix || Flags.FixErrors || Flags.FixNotes) &&
        !Flags.FixErrors)
      errs() << "Found compiler errors, but -fix-errors was not specified.\n"
                "Fixes have NOT been applied.\n\n";
  }

  /// The fixes asked for, none when a unit failed without -fix-errors.
  FixBehaviour fixBehaviour(bool CompileFailed) {
    if (CompileFailed && !Flags.FixErrors)
      return FB_NoFix;
    return Flags.FixNotes                   ? FB_FixNotes
           : (Flags.Fix || Flags.FixErrors) ? FB_Fix
                                            : FB_NoFix;
  }

  /// Text goes through clang-tidy's own reporter, which also applies fixes;
  /// it writes to standard output, so --output and the other formats point
  /// standard output elsewhere while it runs. False when the report could not
  /// be written (said).
  bool
  printTextAndApplyFixes(std::vector<ClangTidyError> &Errors,
                         std::unique_ptr<ClangTidyOptionsProvider> Provider,
                         StringRef FirstFile, FixBehaviour Behaviour,
                         IntrusiveRefCntPtr<vfs::OverlayFileSystem> BaseFS) {
    std::unique_ptr<ClangTidyContext> ReportContext =
        compat::makeContext(std::move(Provider));
    ReportContext->setCurrentFile(FirstFile);
    std::optional<StandardOutputRedirect> Redirect;
    if (Flags.Format != OutputFormat::Text)
      Redirect.emplace("/dev/null");
    else if (!Flags.Output.empty())
      Redirect.emplace(Flags.Output);
    if (Redirect && !Redirect->ok())
      return false;
    unsigned WarningsAsErrorsCount = 0;
    handleErrors(Errors, *ReportContext, Behaviour, WarningsAsErrorsCount,
                 BaseFS);
    Redirect.reset();
    return !reportWriteFailure(outs(), Flags.Format == OutputFormat::Text
                                           ? reportDestination()
                                           : std::string("/dev/null"));
  }

  /// --export-summaries and --export-fixes; an error when one failed.
  Error writeExports(const std::vector<TranslationUnitResult> &Units,
                     const std::vector<ClangTidyError> &Errors,
                     StringRef FirstFile) {
    if (!Flags.ExportSummaries.empty())
      if (Error E =
              writeFileOf("--export-summaries", Flags.ExportSummaries,
                          [&](raw_ostream &OS) {
                            OS << peer::summaryFileText(mergedSummaries(Units));
                          }))
        return E;
    if (Flags.ExportFixes.empty())
      return Error::success();
    return writeFileOf("--export-fixes", Flags.ExportFixes,
                       [&](raw_ostream &OS) {
                         exportReplacements(FirstFile.str(), Errors, OS);
                       });
  }

  /// --format=sarif or json (with what a merge of shards needs).
  void writeStructuredReport(raw_ostream &OS,
                             const std::vector<ReportedFinding> &Reported,
                             SourceFiles &Sources,
                             const std::vector<TranslationUnitResult> &Units,
                             const std::string &RepositoryRoot,
                             const std::vector<std::string> &Enabled,
                             const std::optional<ShardSpec> &ShardOf) {
    if (Flags.Format == OutputFormat::Sarif) {
      writeSarif(OS, Reported, Sources, SarifSettings{RepositoryRoot, Enabled});
      return;
    }
    JsonReport Info{RepositoryRoot, Enabled, {}, {}, ""};
    for (const TranslationUnitResult &Unit : Units) {
      Info.Units.push_back(unitKey(Unit.File, RepositoryRoot));
      if (Unit.CompileFailed)
        Info.FailedUnits.push_back(Info.Units.back());
    }
    llvm::sort(Info.Units);
    llvm::sort(Info.FailedUnits);
    if (ShardOf)
      Info.Shard = formatShard(*ShardOf);
    writeJson(OS, Reported, Sources, Info);
  }

  const ReportFlags &Flags;
  AnalysedRun &Run;
};

int RunReporter::report() {
  SourceFiles Sources;
  std::vector<ReportedFinding> All =
      collectFindings(Run.Units, Sources, ReportSettings{Run.RepositoryRoot});
  if (!Flags.WriteBaselineFile.empty())
    if (reportError(writeBaseline(Flags.WriteBaselineFile, All)))
      return ExitUsage;

  unsigned InBaseline = 0, OutsideDiff = 0;
  std::vector<ReportedFinding> Reported =
      Run.Filters.select(std::move(All), InBaseline, OutsideDiff);
  std::vector<ClangTidyError> Errors;
  for (const ReportedFinding &R : Reported)
    Errors.push_back(R.Source->Error);

  bool CompileFailed = any_of(Run.Units, [](const TranslationUnitResult &U) {
    return U.CompileFailed;
  });
  FixBehaviour Behaviour = fixBehaviour(CompileFailed);

  if ((Flags.Format == OutputFormat::Text || Behaviour != FB_NoFix) &&
      !printTextAndApplyFixes(Errors, std::move(Run.Provider), Run.FirstFile,
                              Behaviour, Run.BaseFS))
    return ExitUsage;
  // Counted here rather than by the reporter, which only runs for text.
  unsigned WarningsAsErrorsCount = count_if(
      Errors, [](const ClangTidyError &E) { return E.IsWarningAsError; });
  if (Flags.Format != OutputFormat::Text &&
      !writeReportOutput(Flags.Output, [&](raw_ostream &OS) {
        writeStructuredReport(OS, Reported, Sources, Run.Units,
                              Run.RepositoryRoot, Run.Enabled, Run.Shard);
      }))
    return ExitUsage;

  if (reportError(writeExports(Run.Units, Errors, Run.FirstFile)))
    return ExitUsage;

  if (!Flags.Quiet)
    printRunSummary(Run.Units, Run.Cache, InBaseline, OutsideDiff,
                    CompileFailed);
  return exitCodeOf(any_of(Errors, isConfigurationError), CompileFailed,
                    WarningsAsErrorsCount, Flags.Quiet);
}

} // namespace

int reportRun(const ReportFlags &Flags, AnalysedRun Run) {
  return RunReporter(Flags, Run).report();
}

} // namespace peer::tool
