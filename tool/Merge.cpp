//===- Merge.cpp - peer-tidy merge: the shards' reports as one run's ------===//
//
// A shard's JSON report carries everything the writers use: each finding's
// check, level (and whether --warnings-as-errors promoted it), message,
// enclosing function, the unit that reported it, offsets and lengths with
// their lines and columns, notes, fixes and the flagged line's text; and the
// run's enabled checks, units and failed units. The merge rebuilds the
// findings from it, grouped by unit, and sends them through the same code as
// a run (Report.h: collectFindings deduplicates header findings and assigns
// fingerprints, FindingFilters applies the baseline, the JSON and SARIF
// writers), answering position questions from what was recorded, so the
// merged report is byte for byte the unsharded one, without the sources.
// Paths below a report's "root" are moved below the merge's root, so shards
// run in other checkouts merge as if run here.
//
//===----------------------------------------------------------------------===//
#include "Merge.h"

#include "Baseline.h"
#include "Compat.h"
#include "JsonLimits.h"
#include "Report.h"
#include "Shard.h"

#include "GlobList.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <map>
#include <set>

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace peer::tool {
namespace {

cl::SubCommand MergeCommand("merge",
                            "Merge the --format=json reports of --shard runs "
                            "into the report of one run");
cl::OptionCategory MergeCategory("peer-tidy merge options");

cl::list<std::string> Inputs(cl::Positional, cl::desc("<report.json>..."),
                             cl::sub(MergeCommand), cl::cat(MergeCategory));

cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format (default: text)."),
    cl::values(clEnumValN(OutputFormat::Text, "text",
                          "clang's diagnostics with source snippets"),
               clEnumValN(OutputFormat::Json, "json", "one JSON document"),
               clEnumValN(OutputFormat::Sarif, "sarif", "SARIF 2.1.0")),
    cl::init(OutputFormat::Text), cl::sub(MergeCommand),
    cl::cat(MergeCategory));

cl::opt<std::string> Output("output",
                            cl::desc("Write the merged report to this file "
                                     "instead of standard output."),
                            cl::value_desc("filename"), cl::sub(MergeCommand),
                            cl::cat(MergeCategory));

cl::opt<std::string> BaselineFile(
    "baseline", cl::desc("Do not report findings recorded in this baseline."),
    cl::value_desc("filename"), cl::sub(MergeCommand), cl::cat(MergeCategory));

cl::opt<std::string> WarningsAsErrors(
    "warnings-as-errors",
    cl::desc("Upgrades warnings of these checks to errors (globs, as "
             "--checks), in addition to what the shards promoted."),
    cl::sub(MergeCommand), cl::cat(MergeCategory));

cl::opt<std::string> SarifRoot(
    "sarif-root",
    cl::desc("Directory that paths in the merged report are relative to "
             "(default: the enclosing git work tree's top level)."),
    cl::value_desc("directory"), cl::sub(MergeCommand), cl::cat(MergeCategory));

cl::opt<bool> Quiet("quiet", cl::desc("Print no summary on standard error."),
                    cl::init(false), cl::sub(MergeCommand),
                    cl::cat(MergeCategory));

/// The merged contents of every report.
struct Merged {
  SourceFiles Sources{/*ReadFiles=*/false};
  // One entry per unit of each report: TranslationUnitResult only for its
  // findings, which collectFindings reads.
  std::vector<TranslationUnitResult> Units;
  std::vector<std::string> UnitKeys;
  std::vector<std::string> Checks;
  std::set<std::string> AllUnits, FailedUnits;
  // Shard "K/N" of each report that has one, and which report.
  std::map<std::string, std::string> Shards;
};

Error malformed(StringRef File, const Twine &What) {
  return createStringError(inconvertibleErrorCode(), "cannot merge '%s': %s",
                           File.str().c_str(), What.str().c_str());
}

/// Reads one report into Into; Root is the merge's repository root.
class ReportReader {
public:
  ReportReader(StringRef File, StringRef Root, Merged &Into)
      : File(File), Root(Root), Into(Into) {}

  Error read() {
    if (sys::fs::is_directory(File))
      return malformed(File, "it is a directory");
    sys::fs::file_status Status;
    if (!sys::fs::status(File, Status) &&
        (Status.type() == sys::fs::file_type::character_file ||
         Status.type() == sys::fs::file_type::block_file))
      return malformed(File, "it is a device, not a report");
    auto Buffer = MemoryBuffer::getFile(File, /*IsText=*/false,
                                        /*RequiresNullTerminator=*/false);
    if (!Buffer)
      return malformed(File, Buffer.getError().message());
    Expected<json::Value> Parsed = parseBoundedJson((*Buffer)->getBuffer());
    if (!Parsed)
      return malformed(File, "not JSON: " + toString(Parsed.takeError()));
    const json::Object *Document = Parsed->getAsObject();
    if (Document && Document->get("runs"))
      return malformed(File, "it is SARIF; merge reads the reports of "
                             "--format=json runs");
    if (!Document || Document->getInteger("version") != 1 ||
        !Document->getArray("findings"))
      return malformed(File, "not a peer-tidy JSON report (no \"version\": 1 "
                             "and \"findings\")");
    if (!Document->getString("root") || !Document->getArray("units"))
      return malformed(File, "written by a peer-tidy without shard support "
                             "(no \"root\" or \"units\"); run it again");
    InputRoot = Document->getString("root")->str();

    std::vector<std::string> Checks, Units, Failed;
    if (Error E = strings(*Document, "checks", Checks))
      return E;
    if (Error E = strings(*Document, "units", Units))
      return E;
    if (Error E = strings(*Document, "failedUnits", Failed))
      return E;
    for (std::string &C : Checks)
      if (!is_contained(Into.Checks, C))
        Into.Checks.push_back(std::move(C));
    Into.AllUnits.insert(Units.begin(), Units.end());
    Into.FailedUnits.insert(Failed.begin(), Failed.end());
    if (const json::Value *Shard = Document->get("shard")) {
      std::optional<StringRef> Text = Shard->getAsString();
      if (!Text || !parseShard(*Text))
        return malformed(File, "\"shard\" is not K/N");
      auto [It, New] = Into.Shards.try_emplace(Text->str(), File.str());
      if (!New)
        return malformed(File, "shard " + *Text + " was given twice (also '" +
                                   It->second + "')");
    }

    const json::Array &Findings = *Document->getArray("findings");
    std::map<std::string, size_t> UnitIndex;
    for (size_t I = 0; I < Findings.size(); ++I) {
      Expected<std::pair<std::string, Finding>> F = finding(Findings[I]);
      if (!F)
        return malformed(File, "finding " + Twine(I + 1) + ": " +
                                   toString(F.takeError()));
      auto [It, New] = UnitIndex.try_emplace(F->first, Into.Units.size());
      if (New) {
        Into.Units.emplace_back();
        Into.UnitKeys.push_back(F->first);
      }
      Into.Units[It->second].Findings.push_back(std::move(F->second));
    }
    return Error::success();
  }

private:
  Error strings(const json::Object &O, StringRef Key,
                std::vector<std::string> &Into) {
    const json::Array *A = O.getArray(Key);
    if (!A)
      return malformed(File, "no \"" + Key + "\" array");
    for (const json::Value &V : *A) {
      std::optional<StringRef> S = V.getAsString();
      if (!S)
        return malformed(File, "\"" + Key + "\" holds a non-string");
      Into.push_back(S->str());
    }
    return Error::success();
  }

  /// A path of the report, moved below the merge's root.
  std::string translate(StringRef Path) {
    std::string Relative = relativeTo(InputRoot, Path);
    if (Relative.empty() || Root.empty())
      return Path.str();
    return Root.str() + "/" + Relative;
  }

  static Error missing(StringRef Key) {
    return createStringError(inconvertibleErrorCode(), "no valid \"%s\"",
                             Key.str().c_str());
  }

  /// A place: file, offset and length, with the positions of both ends when
  /// recorded. Records the positions for the writers.
  Error place(const json::Object &O, std::string &Path, unsigned &Offset,
              unsigned &Length) {
    std::optional<StringRef> FileName = O.getString("file");
    std::optional<int64_t> Off = O.getInteger("offset");
    std::optional<int64_t> Len = O.getInteger("length");
    if (!FileName)
      return missing("file");
    if (!Off || *Off < 0 || *Off > UINT32_MAX)
      return missing("offset");
    if (!Len || *Len < 0 || *Len > UINT32_MAX - *Off)
      return missing("length");
    Path = translate(*FileName);
    Offset = *Off;
    Length = *Len;
    auto Record = [&](StringRef LineKey, StringRef ColumnKey, unsigned At) {
      std::optional<int64_t> Line = O.getInteger(LineKey);
      std::optional<int64_t> Column = O.getInteger(ColumnKey);
      if (Line && Column && *Line > 0 && *Column > 0 && *Line <= UINT32_MAX &&
          *Column <= UINT32_MAX)
        Into.Sources.recordPosition(Path, At, *Line, *Column);
    };
    Record("line", "column", Offset);
    Record("endLine", "endColumn", Offset + Length);
    return Error::success();
  }

  static tooling::FileByteRange range(StringRef Path, unsigned Offset,
                                      unsigned Length) {
    tooling::FileByteRange R;
    R.FilePath = Path.str();
    R.FileOffset = Offset;
    R.Length = Length;
    return R;
  }

  Expected<std::pair<std::string, Finding>> finding(const json::Value &V) {
    const json::Object *O = V.getAsObject();
    if (!O)
      return missing("finding");
    std::optional<StringRef> Check = O->getString("check");
    std::optional<StringRef> Level = O->getString("level");
    std::optional<bool> Promoted = O->getBoolean("warningAsError");
    std::optional<StringRef> Message = O->getString("message");
    std::optional<StringRef> Function = O->getString("function");
    std::optional<StringRef> Unit = O->getString("unit");
    std::optional<StringRef> Snippet = O->getString("snippet");
    for (auto [Value, Key] : {std::pair{Check, "check"},
                              {Level, "level"},
                              {Message, "message"},
                              {Function, "function"},
                              {Unit, "unit"},
                              {Snippet, "snippet"}})
      if (!Value)
        return missing(Key);
    if (!Promoted)
      return missing("warningAsError");
    std::optional<ClangTidyError::Level> DiagLevel =
        *Promoted ? ClangTidyError::Warning : levelFromName(*Level);
    if (!DiagLevel)
      return missing("level");

    Finding F{ClangTidyError(*Check, *DiagLevel, "", *Promoted),
              Function->str()};
    tooling::DiagnosticMessage &M = F.Error.Message;
    M.Message = Message->str();
    unsigned Length = 0;
    if (Error E = place(*O, M.FilePath, M.FileOffset, Length))
      return E;
    if (Length > 0)
      M.Ranges.push_back(range(M.FilePath, M.FileOffset, Length));
    if (std::optional<int64_t> Line = O->getInteger("line"); Line && *Line > 0)
      Into.Sources.recordLine(M.FilePath, *Line, *Snippet);

    const json::Array *Notes = O->getArray("notes");
    const json::Array *Fixes = O->getArray("fixes");
    if (!Notes)
      return missing("notes");
    if (!Fixes)
      return missing("fixes");
    for (const json::Value &NV : *Notes) {
      const json::Object *N = NV.getAsObject();
      std::optional<StringRef> Text =
          N ? N->getString("message") : std::nullopt;
      if (!Text)
        return missing("notes");
      tooling::DiagnosticMessage Note;
      Note.Message = Text->str();
      if (Error E = place(*N, Note.FilePath, Note.FileOffset, Length))
        return E;
      if (Length > 0)
        Note.Ranges.push_back(range(Note.FilePath, Note.FileOffset, Length));
      F.Error.Notes.push_back(std::move(Note));
    }
    for (const json::Value &FV : *Fixes) {
      const json::Object *X = FV.getAsObject();
      std::optional<StringRef> Text =
          X ? X->getString("replacement") : std::nullopt;
      if (!Text)
        return missing("fixes");
      std::string Path;
      unsigned Offset = 0;
      if (Error E = place(*X, Path, Offset, Length))
        return E;
      if (Error E = M.Fix[Path].add(
              tooling::Replacement(Path, Offset, Length, *Text)))
        return createStringError(inconvertibleErrorCode(),
                                 "conflicting fixes: %s",
                                 toString(std::move(E)).c_str());
    }
    return std::pair{Unit->str(), std::move(F)};
  }

  StringRef File;
  StringRef Root;
  Merged &Into;
  std::string InputRoot;
};

/// Every shard of a matrix, once: a missing report would silently drop its
/// units' findings.
Error checkShardsComplete(const Merged &M) {
  if (M.Shards.empty())
    return Error::success();
  unsigned Count = 0;
  std::set<unsigned> Seen;
  for (const auto &[Text, File] : M.Shards) {
    ShardSpec Spec = cantFail(parseShard(Text));
    if (Count && Spec.Count != Count)
      return createStringError(
          inconvertibleErrorCode(),
          "cannot merge: the reports are from different numbers of shards "
          "(%u and %u; '%s' is shard %s)",
          Count, Spec.Count, File.c_str(), Text.c_str());
    Count = Spec.Count;
    Seen.insert(Spec.Index);
  }
  for (unsigned K = 1; K <= Count; ++K)
    if (!Seen.count(K))
      return createStringError(inconvertibleErrorCode(),
                               "cannot merge: the report of shard %u/%u is "
                               "missing",
                               K, Count);
  return Error::success();
}

/// Writes the report to Output or standard output; false after a message.
bool writeReport(const std::vector<ReportedFinding> &Reported, Merged &M,
                 StringRef Root) {
  std::string Destination = Output.empty()
                                ? std::string("the report to standard output")
                                : "--output '" + Output + "'";
  if (Format == OutputFormat::Text) {
    std::optional<StandardOutputRedirect> Redirect;
    if (!Output.empty()) {
      Redirect.emplace(Output);
      if (!Redirect->ok())
        return false;
    }
    std::vector<ClangTidyError> Errors;
    for (const ReportedFinding &R : Reported)
      Errors.push_back(R.Source->Error);
    auto Provider = std::make_unique<DefaultOptionsProvider>(
        ClangTidyGlobalOptions(), ClangTidyOptions::getDefaults());
    std::unique_ptr<ClangTidyContext> Context =
        peer::compat::makeContext(std::move(Provider));
    unsigned Promoted = 0;
    handleErrors(Errors, *Context, FB_NoFix, Promoted,
                 vfs::getRealFileSystem());
    Redirect.reset();
    return !reportError(checkWritten(outs(), Destination));
  }
  return writeReportOutput(Output, [&](raw_ostream &OS) {
    if (Format == OutputFormat::Json)
      writeJson(OS, Reported, M.Sources,
                JsonReport{Root.str(),
                           M.Checks,
                           {M.AllUnits.begin(), M.AllUnits.end()},
                           {M.FailedUnits.begin(), M.FailedUnits.end()},
                           ""});
    else
      writeSarif(OS, Reported, M.Sources, SarifSettings{Root.str(), M.Checks});
  });
}

} // namespace

namespace {

/// LLVM's parser falls back to the main command's options; they mean
/// nothing here.
Error checkOnlyMergeOptions() {
  // A StringMap before LLVM 21, a DenseMap since: both have count().
  auto &Own = cl::getRegisteredOptions(MergeCommand);
  for (const auto &[Name, Option] : cl::getRegisteredOptions())
    if (Option->getNumOccurrences() > 0 && !Own.count(Name))
      return createStringError(inconvertibleErrorCode(),
                               "merge: unknown option '--%s' (see "
                               "peer-tidy merge --help)",
                               Name.str().c_str());
  if (Inputs.empty())
    return createStringError(inconvertibleErrorCode(),
                             "merge: no reports to merge (name the "
                             "--format=json reports of the shards)");
  return Error::success();
}

/// --warnings-as-errors, as the engine applies it: to warnings only.
void promoteWarnings(Merged &M) {
  if (WarningsAsErrors.empty())
    return;
  CachedGlobList Promote(WarningsAsErrors);
  for (TranslationUnitResult &Unit : M.Units)
    for (Finding &F : Unit.Findings)
      if (F.Error.DiagLevel == ClangTidyError::Warning &&
          Promote.contains(F.Error.DiagnosticName))
        F.Error.IsWarningAsError = true;
}

/// The exit code a single run with these findings would have had.
int exitCodeOf(const std::vector<ReportedFinding> &Reported, const Merged &M) {
  bool ConfigurationError = any_of(Reported, [](const ReportedFinding &R) {
    return isConfigurationError(R.Source->Error);
  });
  unsigned Promoted = count_if(Reported, [](const ReportedFinding &R) {
    return R.Source->Error.IsWarningAsError;
  });
  return peer::tool::exitCodeOf(ConfigurationError, !M.FailedUnits.empty(),
                                Promoted, Quiet);
}

} // namespace

int runMerge(int argc, const char **argv) {
  InitLLVM Init(argc, argv);
  std::string ParseErrors;
  raw_string_ostream ParseErrorStream(ParseErrors);
  if (!cl::ParseCommandLineOptions(argc, argv, "peer-tidy merge",
                                   &ParseErrorStream)) {
    errs() << ParseErrors;
    return ExitUsage;
  }
  auto Fail = [](Error E) {
    reportError(std::move(E));
    return ExitUsage;
  };
  if (Error E = checkOnlyMergeOptions())
    return Fail(std::move(E));

  std::string Root = repositoryRootFor(SarifRoot);
  Merged M;
  for (const std::string &Input : Inputs)
    if (Error E = ReportReader(Input, Root, M).read())
      return Fail(std::move(E));
  if (Error E = checkShardsComplete(M))
    return Fail(std::move(E));
  FindingFilters Filters;
  if (!BaselineFile.empty()) {
    Expected<StringSet<>> Read = readBaseline(BaselineFile);
    if (!Read)
      return Fail(Read.takeError());
    Filters.Baseline = std::move(*Read);
  }
  promoteWarnings(M);

  ReportSettings Settings{Root, &M.UnitKeys};
  std::vector<ReportedFinding> All =
      collectFindings(M.Units, M.Sources, Settings);
  unsigned InBaseline = 0, OutsideDiff = 0;
  std::vector<ReportedFinding> Reported =
      Filters.select(std::move(All), InBaseline, OutsideDiff);
  if (!writeReport(Reported, M, Root))
    return ExitUsage;
  if (!Quiet) {
    errs() << "Merged " << Inputs.size() << " report"
           << (Inputs.size() == 1 ? "" : "s") << ": " << M.AllUnits.size()
           << " translation unit" << (M.AllUnits.size() == 1 ? "" : "s") << ", "
           << Reported.size() << " finding" << (Reported.size() == 1 ? "" : "s")
           << ".\n";
    if (InBaseline)
      errs() << InBaseline << " finding" << (InBaseline == 1 ? "" : "s")
             << " accepted in the baseline not shown.\n";
  }
  return exitCodeOf(Reported, M);
}

} // namespace peer::tool
