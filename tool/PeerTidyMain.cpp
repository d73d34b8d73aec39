//===- PeerTidyMain.cpp - the standalone peer-tidy command ----------------===//
//
// peer-tidy embeds clang-tidy's own engine (options providers, .clang-tidy
// lookup, NOLINT handling, fix application, fix export) and registers only the
// peer-* checks by default. Its command line follows clang-tidy's, flag for
// flag, so that anyone who knows clang-tidy knows peer-tidy.
//
// Exit codes: 0 no findings at error level; 1 findings promoted by
// --warnings-as-errors; 2 usage or configuration error; 3 one or more
// translation units failed to compile (the others are still analysed).
//
// Longer than 600 lines because a third of it is the 32 flag definitions
// with their --help texts, kept together as clang-tidy's ClangTidyMain.cpp
// keeps them; the flow is run() and one function per step.
//
//===----------------------------------------------------------------------===//

#include "Baseline.h"
#include "Cache.h"
#include "Compat.h"
#include "Configuration.h"
#include "GitDiff.h"
#include "JsonLimits.h"
#include "Merge.h"
#include "RemoteCache.h"
#include "Report.h"
#include "Runner.h"
#include "ResourceDirCompilations.h"
#include "Shard.h"
#include "Version.h"
#include "lsp/Editor.h"

#include "GlobList.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace clang::tidy;
using namespace llvm;
namespace compat = peer::compat;
using namespace peer::tool;

namespace {

constexpr const char *DefaultChecks = "-*,peer-*";

cl::OptionCategory PeerTidyCategory("peer-tidy options");

const char Overview[] = R"(
peer-tidy finds lookup-call-monitor races: code that looks a peer (a process,
an actor, a service) up, talks to it, and only later starts watching it for
death, or looks it up again and may reach another incarnation.

Configuration is read from the nearest .clang-tidy file, exactly as
clang-tidy reads it; see docs/configuring.md. Exit codes: 0 clean, 1 warnings
treated as errors, 2 usage or configuration error, 3 a translation unit failed
to compile.
)";

cl::opt<std::string> Checks("checks", cl::desc(R"(
Comma-separated list of globs with optional '-' prefix; they add to the
checks of the configuration. clang-tidy's own checks are built in: when any
configuration (.clang-tidy, --config, --checks) sets the checks, they combine
as in this LLVM's clang-tidy (its defaults first), plus 'peer-*' unless the
configuration names a peer-* glob ('-peer-*' turns them off); with none, the
default is '-*,peer-*'.
)"),
                            cl::init(""), cl::cat(PeerTidyCategory));

cl::opt<std::string> WarningsAsErrors("warnings-as-errors", cl::desc(R"(
Upgrades warnings to errors. Same format as '-checks'.
)"),
                                      cl::init(""), cl::cat(PeerTidyCategory));

cl::opt<std::string> HeaderFilter("header-filter", cl::desc(R"(
Regular expression matching the names of the headers to output diagnostics
from. Diagnostics from the main file of each translation unit are always
displayed.
)"),
                                  cl::init(""), cl::cat(PeerTidyCategory));

cl::opt<std::string> ExcludeHeaderFilter("exclude-header-filter", cl::desc(R"(
Regular expression matching the names of the headers to exclude diagnostics
from, even when they match -header-filter.
)"),
                                         cl::init(""),
                                         cl::cat(PeerTidyCategory));

cl::opt<bool> SystemHeaders("system-headers",
                            cl::desc("Display the errors from system headers."),
                            cl::init(false), cl::cat(PeerTidyCategory));

cl::opt<std::string> LineFilter("line-filter", cl::desc(R"(
List of files with line ranges to filter the warnings, in clang-tidy's JSON
format: [{"name":"file1.cpp","lines":[[1,3],[5,7]]},{"name":"file2.h"}]
)"),
                                cl::init(""), cl::cat(PeerTidyCategory));

cl::opt<bool> Fix("fix", cl::desc("Apply suggested fixes."), cl::init(false),
                  cl::cat(PeerTidyCategory));

cl::opt<bool> FixErrors("fix-errors", cl::desc(R"(
Apply suggested fixes even if compilation errors were found.
)"),
                        cl::init(false), cl::cat(PeerTidyCategory));

cl::opt<bool> FixNotes("fix-notes", cl::desc(R"(
Also apply fix-its attached to notes (implies -fix).
)"),
                       cl::init(false), cl::cat(PeerTidyCategory));

cl::opt<std::string> FormatStyle("format-style", cl::desc(R"(
Style for formatting code around applied fixes (as clang-tidy: none, file,
llvm, google, ...).
)"),
                                 cl::init("none"), cl::cat(PeerTidyCategory));

cl::opt<bool> ListChecks("list-checks",
                         cl::desc("List the enabled checks and exit."),
                         cl::init(false), cl::cat(PeerTidyCategory));

cl::opt<std::string> Config("config", cl::desc(R"(
Configuration in YAML/JSON format, e.g. -config="{Checks: 'peer-*'}".
Takes precedence over .clang-tidy files.
)"),
                            cl::init(""), cl::cat(PeerTidyCategory));

cl::opt<std::string> ConfigFile("config-file", cl::desc(R"(
Read the configuration from this file instead of .clang-tidy files.
)"),
                                cl::init(""), cl::cat(PeerTidyCategory));

cl::opt<bool> DumpConfig("dump-config", cl::desc(R"(
Dump the effective configuration (for the first input file) and exit.
)"),
                         cl::init(false), cl::cat(PeerTidyCategory));

cl::opt<bool> VerifyConfig("verify-config", cl::desc(R"(
Check the configuration files for unknown checks and options, and exit.
)"),
                           cl::init(false), cl::cat(PeerTidyCategory));

cl::opt<bool> CrossUnitSummaries("cross-unit-summaries", cl::desc(R"(
Give wrappers defined in one .cpp their roles in the others: units that call
such a function are analysed again with its summary (default: on; =false
analyses each unit on its own).
)"),
                                  cl::init(true), cl::cat(PeerTidyCategory));

cl::opt<std::string> ExportSummaries("export-summaries", cl::desc(R"(
JSON file to write the merged summaries of the analysed units to: the roles
of wrappers defined in one .cpp and called from others. clang-tidy --load
reads it through the PeerSummaryFile option (docs/configuring.md).
)"),
                                     cl::value_desc("filename"),
                                     cl::cat(PeerTidyCategory));

cl::opt<std::string> ExportFixes("export-fixes", cl::desc(R"(
YAML file to store suggested fixes in, for clang-apply-replacements.
)"),
                                 cl::value_desc("filename"),
                                 cl::cat(PeerTidyCategory));

cl::opt<bool> Quiet("quiet", cl::desc(R"(
Do not print statistics about suppressed warnings.
)"),
                    cl::init(false), cl::cat(PeerTidyCategory));

cl::opt<bool> Verbose("verbose", cl::desc(R"(
Also report, as remarks, the functions the analysis skipped because they were
over its budget (the PeerReportSkippedFunctions option; PeerMaxBlockVisits
sets the budget).
)"),
                      cl::init(false), cl::cat(PeerTidyCategory));

cl::opt<std::string> VfsOverlay("vfsoverlay", cl::desc(R"(
Overlay the virtual file system described by this file over the real one.
)"),
                                cl::value_desc("filename"),
                                cl::cat(PeerTidyCategory));

cl::opt<bool> UseColor("use-color", cl::desc(R"(
Use colors in diagnostics (default: when the output is a terminal).
)"),
                       cl::cat(PeerTidyCategory));

cl::opt<unsigned> Jobs("j", cl::desc(R"(
Translation units analysed in parallel (default: one per hardware thread).
)"),
                       cl::init(0), cl::value_desc("N"),
                       cl::cat(PeerTidyCategory));

enum class OutputFormat { Text, Json, Sarif };
cl::opt<OutputFormat> Format(
    "format", cl::desc("Output format (default: text)."),
    cl::values(clEnumValN(OutputFormat::Text, "text",
                          "clang's diagnostics with source snippets"),
               clEnumValN(OutputFormat::Json, "json", "one JSON document"),
               clEnumValN(OutputFormat::Sarif, "sarif",
                          "SARIF 2.1.0, as GitHub code scanning reads it")),
    cl::init(OutputFormat::Text), cl::cat(PeerTidyCategory));

cl::opt<std::string> Output("output", cl::desc(R"(
Write the findings to this file instead of standard output.
)"),
                            cl::value_desc("filename"),
                            cl::cat(PeerTidyCategory));

cl::opt<std::string> SarifRoot("sarif-root", cl::desc(R"(
Directory that paths in SARIF, JSON and baselines are relative to
(default: the enclosing git work tree's top level).
)"),
                               cl::value_desc("directory"),
                               cl::cat(PeerTidyCategory));

cl::opt<std::string> BaselineFile("baseline", cl::desc(R"(
Do not report findings recorded in this baseline (see --write-baseline).
)"),
                                  cl::value_desc("filename"),
                                  cl::cat(PeerTidyCategory));

cl::opt<std::string> WriteBaselineFile("write-baseline", cl::desc(R"(
Record every current finding in this baseline file.
)"),
                                       cl::value_desc("filename"),
                                       cl::cat(PeerTidyCategory));

cl::opt<std::string> DiffRevision("diff", cl::desc(R"(
Report only findings on lines changed since this git revision (the work
tree against it, as `git diff REV`), in sources and headers alike.
)"),
                                  cl::value_desc("revision"),
                                  cl::cat(PeerTidyCategory));

cl::opt<std::string> CacheDir("cache-dir", cl::desc(R"(
Keep results here and skip translation units none of whose inputs (files
read, compile command, configuration, peer-tidy build) changed.
Default: $PEER_TIDY_CACHE_DIR; no cache when neither is set.
)"),
                              cl::value_desc("directory"),
                              cl::cat(PeerTidyCategory));

cl::opt<std::string> Shard("shard", cl::desc(R"(
Analyse only part K of N of the translation units (1 <= K <= N), for a CI
matrix of N jobs: the parts are disjoint, cover every unit, are balanced by
file size and computed from paths relative to the -p directory, so every
job agrees. Merge the jobs' --format=json reports with 'peer-tidy merge'.
)"),
                           cl::value_desc("K/N"), cl::cat(PeerTidyCategory));

cl::opt<std::string> CacheUrl("cache-url", cl::desc(R"(
A shared cache behind --cache-dir (or alone): entries are fetched with
HTTP GET and stored with PUT under this prefix (http://host[:port]/prefix,
as Bazel's HTTP cache and ccache's http storage). Network errors are one
warning and a miss. Default: $PEER_TIDY_CACHE_URL.
)"),
                              cl::value_desc("url"),
                              cl::cat(PeerTidyCategory));

/// The options provider of the command line; parse errors of .clang-tidy
/// files it finds go to FileErrors. nullptr (after saying why) when the
/// command line's own configuration is wrong.
std::unique_ptr<ClangTidyOptionsProvider>
createOptionsProvider(IntrusiveRefCntPtr<vfs::FileSystem> FS,
                      std::shared_ptr<ConfigurationErrors> FileErrors) {
  ClangTidyGlobalOptions GlobalOptions;
  if (Error Deep = checkNestingDepth(LineFilter, "--line-filter")) {
    WithColor::error(errs(), "peer-tidy") << toString(std::move(Deep)) << "\n";
    return nullptr;
  }
  if (std::error_code Err = parseLineFilter(LineFilter, GlobalOptions)) {
    WithColor::error(errs(), "peer-tidy")
        << "invalid --line-filter: " << Err.message() << "\n";
    return nullptr;
  }

  ClangTidyOptions DefaultOptions = ClangTidyOptions::getDefaults();
  DefaultOptions.Checks = DefaultChecks;
  DefaultOptions.WarningsAsErrors = "";
  DefaultOptions.HeaderFilterRegex = HeaderFilter;
  DefaultOptions.ExcludeHeaderFilterRegex = ExcludeHeaderFilter;
  DefaultOptions.SystemHeaders = SystemHeaders;
  DefaultOptions.FormatStyle = FormatStyle;
  DefaultOptions.User = sys::Process::GetEnv("USER");

  ClangTidyOptions OverrideOptions;
  if (Checks.getNumOccurrences() > 0)
    OverrideOptions.Checks = Checks;
  if (WarningsAsErrors.getNumOccurrences() > 0)
    OverrideOptions.WarningsAsErrors = WarningsAsErrors;
  if (HeaderFilter.getNumOccurrences() > 0)
    OverrideOptions.HeaderFilterRegex = HeaderFilter;
  if (ExcludeHeaderFilter.getNumOccurrences() > 0)
    OverrideOptions.ExcludeHeaderFilterRegex = ExcludeHeaderFilter;
  if (SystemHeaders.getNumOccurrences() > 0)
    OverrideOptions.SystemHeaders = SystemHeaders;
  if (FormatStyle.getNumOccurrences() > 0)
    OverrideOptions.FormatStyle = FormatStyle;
  if (UseColor.getNumOccurrences() > 0)
    OverrideOptions.UseColor = UseColor;
  if (Verbose)
    OverrideOptions.CheckOptions["PeerReportSkippedFunctions"] =
        ClangTidyOptions::ClangTidyValue("true");

  auto FromText = [&](StringRef Text, StringRef Source)
      -> std::unique_ptr<ClangTidyOptionsProvider> {
    Expected<ClangTidyOptions> Parsed = parseConfigurationText(Text, Source);
    if (!Parsed) {
      WithColor::error(errs(), "peer-tidy") << toString(Parsed.takeError())
                                            << "\n";
      return nullptr;
    }
    return std::make_unique<RecordingProvider<ConfigOptionsProvider>>(
        std::move(FileErrors), std::move(GlobalOptions),
        std::move(DefaultOptions), std::move(*Parsed),
        std::move(OverrideOptions), std::move(FS));
  };

  if (ConfigFile.getNumOccurrences() > 0) {
    if (Config.getNumOccurrences() > 0) {
      WithColor::error(errs(), "peer-tidy")
          << "--config-file and --config are mutually exclusive\n";
      return nullptr;
    }
    ErrorOr<std::unique_ptr<MemoryBuffer>> Text =
        MemoryBuffer::getFile(ConfigFile);
    if (!Text) {
      WithColor::error(errs(), "peer-tidy")
          << "cannot read --config-file '" << ConfigFile
          << "': " << Text.getError().message() << "\n";
      return nullptr;
    }
    return FromText((*Text)->getBuffer(), ConfigFile);
  }
  if (Config.getNumOccurrences() > 0)
    return FromText(Config, "--config");

  return std::make_unique<RecordingProvider<FileOptionsProvider>>(
      std::move(FileErrors), std::move(GlobalOptions),
      std::move(DefaultOptions), std::move(OverrideOptions), std::move(FS));
}

/// The file system units are compiled through: Base (the real one), with the
/// --vfsoverlay on top.
IntrusiveRefCntPtr<vfs::OverlayFileSystem>
createBaseFS(IntrusiveRefCntPtr<vfs::FileSystem> Base) {
  IntrusiveRefCntPtr<vfs::OverlayFileSystem> BaseFS(
      new vfs::OverlayFileSystem(Base));
  if (VfsOverlay.empty())
    return BaseFS;
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer =
      BaseFS->getBufferForFile(VfsOverlay);
  if (!Buffer) {
    WithColor::error(errs(), "peer-tidy")
        << "cannot read --vfsoverlay '" << VfsOverlay
        << "': " << Buffer.getError().message() << "\n";
    return nullptr;
  }
  if (Error Deep = checkNestingDepth((*Buffer)->getBuffer(),
                                     "--vfsoverlay '" + VfsOverlay + "'")) {
    WithColor::error(errs(), "peer-tidy") << toString(std::move(Deep)) << "\n";
    return nullptr;
  }
  IntrusiveRefCntPtr<vfs::FileSystem> Overlay =
      vfs::getVFSFromYAML(std::move(*Buffer), nullptr, VfsOverlay, nullptr,
                          Base);
  if (!Overlay) {
    WithColor::error(errs(), "peer-tidy")
        << "invalid --vfsoverlay '" << VfsOverlay << "'\n";
    return nullptr;
  }
  BaseFS->pushOverlay(std::move(Overlay));
  return BaseFS;
}

SmallString<256> makeAbsolute(StringRef Path) {
  SmallString<256> Result(Path);
  sys::fs::make_absolute(Result);
  return Result;
}

/// Prints each configuration error once; true when there was any.
bool reportConfigurationErrors(Error Problems) {
  bool Any = false;
  handleAllErrors(std::move(Problems), [&](const ErrorInfoBase &Info) {
    WithColor::error(errs(), "peer-tidy") << Info.message() << "\n";
    Any = true;
  });
  return Any;
}

/// The regular expressions given as flags compile.
Error checkFilterFlags() {
  return joinErrors(
      checkRegularExpression(HeaderFilter, "--header-filter"),
      checkRegularExpression(ExcludeHeaderFilter, "--exclude-header-filter"));
}

/// Warns about check globs and options that match nothing registered; returns
/// true when anything was wrong.
bool verifyConfiguration(ClangTidyOptionsProvider &Provider,
                         StringRef FileName) {
  compat::KnownChecksAndOptions Known = compat::allChecksAndOptions();
  bool AnyInvalid = false;
  for (const auto &[Options, Source] : Provider.getRawOptions(FileName)) {
    if (Options.Checks) {
      GlobList Globs(*Options.Checks);
      for (const auto &Item : Globs.getItems()) {
        if (StringRef(Item.Text).starts_with("clang-diagnostic"))
          continue;
        bool Matches = any_of(Known.Checks.keys(), [&](StringRef Name) {
          return Item.Regex.match(Name);
        });
        if (!Matches) {
          AnyInvalid = true;
          WithColor::warning(errs(), Source)
              << "unknown check '" << Item.Text << "' [-verify-config]\n";
        }
      }
    }
    for (const auto &Option : Options.CheckOptions) {
      if (Known.Options.contains(Option.getKey()))
        continue;
      AnyInvalid = true;
      WithColor::warning(errs(), Source)
          << "unknown check option '" << Option.getKey()
          << "' [-verify-config]\n";
    }
  }
  return AnyInvalid;
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

/// Paths in SARIF, JSON and baselines are relative to this: --sarif-root, or
/// the git work tree around the working directory ("" when there is none).
std::string repositoryRoot() { return repositoryRootFor(SarifRoot); }

/// The -p directory given, or empty.
StringRef buildPath() {
  auto *BuildPath = static_cast<cl::opt<std::string> *>(
      cl::getRegisteredOptions().lookup("p"));
  return BuildPath ? StringRef(*BuildPath) : StringRef();
}

/// The result cache of --cache-dir and --cache-url (or their environment
/// variables): nullptr when there is none; nullopt (after saying why) when
/// --cache-url is wrong. An unusable directory is a warning.
std::optional<std::unique_ptr<ResultCache>> openResultCache(std::string Salt) {
  auto Setting = [](cl::opt<std::string> &Flag, const char *Variable) {
    return Flag.getNumOccurrences()
               ? std::string(Flag)
               : sys::Process::GetEnv(Variable).value_or("");
  };
  std::string Directory = Setting(CacheDir, "PEER_TIDY_CACHE_DIR");
  std::string Url = Setting(CacheUrl, "PEER_TIDY_CACHE_URL");
  std::unique_ptr<RemoteCache> Remote;
  if (!Url.empty()) {
    Expected<std::unique_ptr<RemoteCache>> Opened = RemoteCache::open(Url);
    if (!Opened) {
      WithColor::error(errs(), "peer-tidy")
          << toString(Opened.takeError()) << "\n";
      return std::nullopt;
    }
    Remote = std::move(*Opened);
  }
  if (Directory.empty() && !Remote)
    return nullptr;
  // Keys and entries name paths relative to these, so that a checkout at
  // another path shares them (Cache.cpp).
  std::vector<CheckoutRoot> Roots;
  SmallString<256> Here;
  sys::fs::current_path(Here);
  Roots.push_back({"repository", findRepositoryRoot(Here)});
  if (StringRef BuildPath = buildPath(); !BuildPath.empty()) {
    SmallString<256> Database = makeAbsolute(BuildPath);
    if (!sys::fs::is_directory(Database))
      sys::path::remove_filename(Database);
    Roots.push_back({"database", std::string(Database)});
  }
  Roots.push_back({"working-directory", std::string(Here)});
  Expected<std::unique_ptr<ResultCache>> Opened =
      ResultCache::open(Directory, Salt, Roots, std::move(Remote));
  if (Opened)
    return std::move(*Opened);
  WithColor::warning(errs(), "peer-tidy")
      << toString(Opened.takeError())
      << (Url.empty() ? "; running without a cache\n"
                      : "; running with the remote cache alone\n");
  if (Url.empty())
    return nullptr;
  // No directory to check: this cannot fail.
  return cantFail(ResultCache::open("", std::move(Salt), std::move(Roots),
                                    cantFail(RemoteCache::open(Url))));
}

/// Reads the baseline and runs git diff; nullopt (after saying why) when
/// either fails.
std::optional<FindingFilters> loadFilters(StringRef RepositoryRoot) {
  FindingFilters Filters;
  if (!BaselineFile.empty()) {
    Expected<StringSet<>> Read = readBaseline(BaselineFile);
    if (!Read) {
      WithColor::error(errs(), "peer-tidy") << toString(Read.takeError())
                                            << "\n";
      return std::nullopt;
    }
    Filters.Baseline = std::move(*Read);
  }
  if (!DiffRevision.empty()) {
    if (RepositoryRoot.empty()) {
      WithColor::error(errs(), "peer-tidy")
          << "--diff needs a git work tree (or --sarif-root)\n";
      return std::nullopt;
    }
    Expected<ChangedLines> Diff =
        changedLinesSince(DiffRevision, RepositoryRoot);
    if (!Diff) {
      WithColor::error(errs(), "peer-tidy") << toString(Diff.takeError())
                                            << "\n";
      return std::nullopt;
    }
    Filters.Changed = std::move(*Diff);
  }
  return Filters;
}

/// Where the report goes, for messages.
std::string reportDestination() {
  return Output.empty() ? std::string("the report to standard output")
                        : "--output '" + Output + "'";
}

/// Says so, once, when a write to OS failed; true then.
bool reportWriteFailure(raw_fd_ostream &OS, const Twine &Destination) {
  if (Error E = checkWritten(OS, Destination)) {
    WithColor::error(errs(), "peer-tidy") << toString(std::move(E)) << "\n";
    return true;
  }
  return false;
}

/// Writes the file of an output flag (--export-fixes, ...) with Write. False,
/// after one message, when it cannot be created or written: exit 2.
bool writeFileOf(StringRef Flag, StringRef Path,
                 function_ref<void(raw_ostream &)> Write) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_None);
  if (EC) {
    WithColor::error(errs(), "peer-tidy") << "cannot write " << Flag << " '"
                                          << Path << "': " << EC.message()
                                          << "\n";
    return false;
  }
  Write(OS);
  OS.close();
  return !reportWriteFailure(OS, Flag + " '" + Path + "'");
}

int run(int argc, const char **argv);

} // namespace

int main(int argc, const char **argv) {
  int Code = run(argc, argv);
  // Whatever went to standard output (the report, --list-checks,
  // --dump-config) must have arrived; a failure is exit 2, never the code of
  // a result nobody could read.
  if (reportWriteFailure(outs(), "to standard output"))
    return ExitUsage;
  return Code;
}

namespace {

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
           << " on lines not changed since " << DiffRevision
           << " not shown.\n";
  if (Cache)
    errs() << "Cache: " << Cache->hits() << " of " << Units.size()
           << " translation units reused.\n";
  if (Cache && Cache->remote())
    errs() << "Remote cache: " << Cache->remoteHits() << " of "
           << Units.size() << " translation units fetched, "
           << Cache->remote()->stored() << " stored"
           << (Cache->remote()->disabled() ? " (unreachable)" : "")
           << ".\n";
  unsigned Again = count_if(Units, [](const TranslationUnitResult &Unit) {
    return !Unit.Imported.empty();
  });
  if (Again)
    errs() << "Cross-unit summaries: " << Again << " of " << Units.size()
           << " translation units analysed again with other units' "
              "summaries.\n";
  if (CompileFailed && (Fix || FixErrors || FixNotes) && !FixErrors)
    errs() << "Found compiler errors, but -fix-errors was not specified.\n"
              "Fixes have NOT been applied.\n\n";
}

/// CommonOptionsParser loads no compilation database when no file is named;
/// with -p and no files, peer-tidy loads it and takes all of its files.
Expected<std::unique_ptr<tooling::CompilationDatabase>>
loadWholeDatabase(StringRef BuildPath) {
  std::string Error;
  std::unique_ptr<tooling::CompilationDatabase> Database =
      tooling::CompilationDatabase::autoDetectFromDirectory(BuildPath, Error);
  if (!Database)
    return createStringError(inconvertibleErrorCode(),
                             "cannot load the compilation database from -p "
                             "'%s': %s",
                             BuildPath.str().c_str(), Error.c_str());
  return Database;
}

/// Says why, as peer-tidy's error; the usage exit code.
int reportUsageError(Error E) {
  WithColor::error(errs(), "peer-tidy") << toString(std::move(E)) << "\n";
  return ExitUsage;
}

/// How each unit is analysed.
RunSettings runSettings(const tooling::CompilationDatabase &Compilations,
                        ResultCache *Cache) {
  RunSettings Settings;
  Settings.Compilations = &Compilations;
  // Every unit gets its own file systems and options provider: ClangTool
  // changes the working directory of the file system it runs on, and the
  // providers cache without locks.
  // Their configuration was validated before.
  Settings.MakeOptionsProvider = [](IntrusiveRefCntPtr<vfs::FileSystem> FS) {
    return createOptionsProvider(std::move(FS),
                                 std::make_shared<ConfigurationErrors>());
  };
  Settings.MakeFileSystem = [](IntrusiveRefCntPtr<vfs::FileSystem> Base) {
    return createBaseFS(std::move(Base));
  };
  Settings.Jobs = Jobs;
  Settings.ApplyAnyFix = FixNotes;
  Settings.Quiet = Quiet;
  Settings.ShowProgress = sys::Process::StandardErrIsDisplayed();
  Settings.Cache = Cache;
  Settings.CrossUnitSummaries = CrossUnitSummaries;
  return Settings;
}

/// The fixes asked for, none when a unit failed without -fix-errors.
FixBehaviour fixBehaviour(bool CompileFailed) {
  if (CompileFailed && !FixErrors)
    return FB_NoFix;
  return FixNotes ? FB_FixNotes : (Fix || FixErrors) ? FB_Fix : FB_NoFix;
}

/// Text goes through clang-tidy's own reporter, which also applies fixes;
/// it writes to standard output, so --output and the other formats point
/// standard output elsewhere while it runs. False when the report could not
/// be written (said).
bool printTextAndApplyFixes(std::vector<ClangTidyError> &Errors,
                            std::unique_ptr<ClangTidyOptionsProvider> Provider,
                            StringRef FirstFile, FixBehaviour Behaviour,
                            IntrusiveRefCntPtr<vfs::OverlayFileSystem> BaseFS) {
  std::unique_ptr<ClangTidyContext> ReportContext =
      compat::makeContext(std::move(Provider));
  ReportContext->setCurrentFile(FirstFile);
  std::optional<StandardOutputRedirect> Redirect;
  if (Format != OutputFormat::Text)
    Redirect.emplace("/dev/null");
  else if (!Output.empty())
    Redirect.emplace(Output);
  if (Redirect && !Redirect->ok())
    return false;
  unsigned WarningsAsErrorsCount = 0;
  handleErrors(Errors, *ReportContext, Behaviour, WarningsAsErrorsCount,
               BaseFS);
  Redirect.reset();
  return !reportWriteFailure(outs(), Format == OutputFormat::Text
                                         ? reportDestination()
                                         : std::string("/dev/null"));
}

/// The editor deliveries are subcommands: peer-tidy lsp, peer-tidy clangd;
/// so is the merge of shards' reports (Merge.h).
std::optional<int> runSubcommand(int argc, const char **argv) {
  StringRef Name = argc > 1 ? StringRef(argv[1]) : StringRef();
  if (Name == "lsp")
    return peer::editor::runLanguageServer(argc - 1, argv + 1);
  if (Name == "clangd")
    return peer::editor::runClangdProxy(argc - 1, argv + 1);
  if (Name == "merge")
    return runMerge(argc, argv);
  return std::nullopt;
}

/// --export-summaries and --export-fixes; false when one failed (said).
bool writeExports(const std::vector<TranslationUnitResult> &Units,
                  const std::vector<ClangTidyError> &Errors,
                  StringRef FirstFile) {
  if (!ExportSummaries.empty() &&
      !writeFileOf("--export-summaries", ExportSummaries, [&](raw_ostream &OS) {
        OS << peer::summaryFileText(mergedSummaries(Units));
      }))
    return false;
  return ExportFixes.empty() ||
         writeFileOf("--export-fixes", ExportFixes, [&](raw_ostream &OS) {
           exportReplacements(FirstFile.str(), Errors, OS);
         });
}

/// The units of one --shard, said on stderr.
std::vector<std::string> shardFiles(std::vector<std::string> Files,
                                    StringRef BuildPath,
                                    const ShardSpec &ShardOf) {
  size_t Total = Files.size();
  Files = selectShard(Files, BuildPath.empty() ? StringRef(".") : BuildPath,
                      ShardOf);
  if (!Quiet)
    errs() << "Shard " << formatShard(ShardOf) << ": " << Files.size()
           << " of " << Total << " translation units.\n";
  return Files;
}

/// --format=sarif or json (with what a merge of shards needs).
void writeStructuredReport(raw_ostream &OS,
                           const std::vector<ReportedFinding> &Reported,
                           SourceFiles &Sources,
                           const std::vector<TranslationUnitResult> &Units,
                           const std::string &RepositoryRoot,
                           const std::vector<std::string> &Enabled,
                           const std::optional<ShardSpec> &ShardOf) {
  if (Format == OutputFormat::Sarif) {
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

/// --list-checks and --dump-config: the exit code once answered.
std::optional<int> answerQuery(ClangTidyOptions Effective,
                               const std::vector<std::string> &Enabled) {
  if (ListChecks) {
    if (Enabled.empty()) {
      errs() << "No checks enabled.\n";
      return ExitUsage;
    }
    outs() << "Enabled checks:";
    for (const std::string &Name : Enabled)
      outs() << "\n    " << Name;
    outs() << "\n\n";
    return ExitClean;
  }
  if (DumpConfig) {
    Effective.CheckOptions = compat::enabledCheckOptions(Effective);
    outs() << configurationAsText(ClangTidyOptions::getDefaults().merge(
                  Effective, 0))
           << "\n";
    return ExitClean;
  }
  return std::nullopt;
}

/// docs/ci.md's exit codes, most severe first.
int exitCodeOf(const std::vector<ClangTidyError> &Errors, bool CompileFailed,
               unsigned WarningsAsErrorsCount) {
  if (any_of(Errors, isConfigurationError))
    return ExitUsage;
  if (CompileFailed) {
    WithColor::error(errs(), "peer-tidy")
        << "one or more translation units failed to compile\n";
    return ExitCompileFailure;
  }
  if (!WarningsAsErrorsCount)
    return ExitClean;
  if (!Quiet)
    errs() << WarningsAsErrorsCount << " warning"
           << (WarningsAsErrorsCount == 1 ? "" : "s") << " treated as error"
           << (WarningsAsErrorsCount == 1 ? "" : "s") << "\n";
  return ExitWarningsAsErrors;
}

int run(int argc, const char **argv) {
  if (std::optional<int> Ran = runSubcommand(argc, argv))
    return *Ran;

  InitLLVM Init(argc, argv);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "peer-tidy " << peer::Version << " (LLVM " << compat::LLVMMajor
       << ")\n";
  });

  // Usage errors must exit 2, not cl's default of 1.
  auto Parser = tooling::CommonOptionsParser::create(
      argc, argv, PeerTidyCategory, cl::ZeroOrMore, Overview);
  if (!Parser) {
    WithColor::error(errs(), "peer-tidy") << toString(Parser.takeError());
    return ExitUsage;
  }

  std::optional<ShardSpec> ShardOf;
  if (Shard.getNumOccurrences() > 0) {
    Expected<ShardSpec> Parsed = parseShard(Shard);
    if (!Parsed)
      return reportUsageError(Parsed.takeError());
    ShardOf = *Parsed;
  }
  if (reportConfigurationErrors(checkFilterFlags()))
    return ExitUsage;
  IntrusiveRefCntPtr<vfs::OverlayFileSystem> BaseFS =
      createBaseFS(vfs::getRealFileSystem());
  if (!BaseFS)
    return ExitUsage;
  auto ConfigFileErrors = std::make_shared<ConfigurationErrors>();
  std::unique_ptr<ClangTidyOptionsProvider> Provider =
      createOptionsProvider(BaseFS, ConfigFileErrors);
  if (!Provider)
    return ExitUsage;

  std::vector<std::string> Files = Parser->getSourcePathList();
  std::unique_ptr<tooling::CompilationDatabase> WholeDatabase;
  StringRef BuildPath = buildPath();
  if (Files.empty() && !BuildPath.empty()) {
    Expected<std::unique_ptr<tooling::CompilationDatabase>> Loaded =
        loadWholeDatabase(BuildPath);
    if (!Loaded)
      return reportUsageError(Loaded.takeError());
    WholeDatabase = std::move(*Loaded);
    Files = WholeDatabase->getAllFiles();
  }
  const tooling::CompilationDatabase *Database =
      WholeDatabase ? WholeDatabase.get() : nullptr;
  SmallString<256> FirstFile = makeAbsolute(Files.empty() ? "dummy" : Files[0]);
  // One validation for every mode, --verify-config included, before anything
  // is analysed: each error once, exit 2.
  std::vector<std::string> Configured =
      Files.empty() ? std::vector<std::string>{FirstFile.str().str()} : Files;
  Error ConfigurationProblems =
      validateConfiguration(*Provider, *ConfigFileErrors, Configured);
  if (VerifyConfig) {
    bool Invalid = reportConfigurationErrors(std::move(ConfigurationProblems));
    if (verifyConfiguration(*Provider, FirstFile) || Invalid)
      return ExitUsage;
    outs() << "No config errors detected.\n";
    return ExitClean;
  }
  if (reportConfigurationErrors(std::move(ConfigurationProblems)))
    return ExitUsage;
  ClangTidyOptions Effective = Provider->getOptions(FirstFile);
  std::vector<std::string> Enabled = compat::enabledChecks(Effective);
  if (std::optional<int> Answered = answerQuery(Effective, Enabled))
    return *Answered;

  if (Enabled.empty()) {
    WithColor::error(errs(), "peer-tidy")
        << "no checks enabled (checks: '" << Effective.Checks.value_or("")
        << "')\n";
    return ExitUsage;
  }
  if (Files.empty()) {
    WithColor::error(errs(), "peer-tidy")
        << "no input files (name them, or give -p with a compilation "
           "database)\n";
    return ExitUsage;
  }

  // The configuration above came from the whole list (its first file), so
  // that every shard reports with the same one.
  if (ShardOf)
    Files = shardFiles(std::move(Files), BuildPath, *ShardOf);

  InitializeAllTargetInfos();
  InitializeAllTargetMCs();
  InitializeAllAsmParsers();

  // Point the embedded engine at the real clang resource directory, found at
  // configure time; inserted first so that the user's own flags still win.
  // With -p and no files, clang-tidy would do nothing; we took the whole
  // compilation database above, which is what a CI job means.
  peer::ResourceDirCompilations Compilations(Database ? *Database
                                                : Parser->getCompilations());

  std::string RepositoryRoot = repositoryRoot();
  // Read everything that can fail before the (long) analysis.
  std::optional<FindingFilters> Filters = loadFilters(RepositoryRoot);
  if (!Filters)
    return ExitUsage;
  std::optional<std::unique_ptr<ResultCache>> OpenedCache =
      openResultCache("line-filter=" + LineFilter +
                      (CrossUnitSummaries ? "" : "\nsingle-units"));
  if (!OpenedCache)
    return ExitUsage;
  std::unique_ptr<ResultCache> Cache = std::move(*OpenedCache);

  std::vector<TranslationUnitResult> Units =
      analyseAll(runSettings(Compilations, Cache.get()), Files);

  SourceFiles Sources;
  std::vector<ReportedFinding> All =
      collectFindings(Units, Sources, ReportSettings{RepositoryRoot});
  if (!WriteBaselineFile.empty())
    if (Error E = writeBaseline(WriteBaselineFile, All))
      return reportUsageError(std::move(E));

  unsigned InBaseline = 0, OutsideDiff = 0;
  std::vector<ReportedFinding> Reported =
      Filters->select(std::move(All), InBaseline, OutsideDiff);
  std::vector<ClangTidyError> Errors;
  for (const ReportedFinding &R : Reported)
    Errors.push_back(R.Source->Error);

  bool CompileFailed = any_of(Units, [](const TranslationUnitResult &U) {
    return U.CompileFailed;
  });
  FixBehaviour Behaviour = fixBehaviour(CompileFailed);

  if ((Format == OutputFormat::Text || Behaviour != FB_NoFix) &&
      !printTextAndApplyFixes(Errors, std::move(Provider), FirstFile,
                              Behaviour, BaseFS))
    return ExitUsage;
  // Counted here rather than by the reporter, which only runs for text.
  unsigned WarningsAsErrorsCount = count_if(
      Errors, [](const ClangTidyError &E) { return E.IsWarningAsError; });
  if (Format != OutputFormat::Text &&
      !writeReportOutput(Output, [&](raw_ostream &OS) {
        writeStructuredReport(OS, Reported, Sources, Units, RepositoryRoot,
                              Enabled, ShardOf);
      }))
    return ExitUsage;

  if (!writeExports(Units, Errors, FirstFile))
    return ExitUsage;

  if (!Quiet)
    printRunSummary(Units, Cache.get(), InBaseline, OutsideDiff,
                    CompileFailed);
  return exitCodeOf(Errors, CompileFailed, WarningsAsErrorsCount);
}

} // namespace
