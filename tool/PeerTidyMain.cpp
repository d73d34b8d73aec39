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
// A third of it is the 32 flag definitions with their --help texts, kept
// together as clang-tidy's ClangTidyMain.cpp keeps them; the flow is run()
// and one function per step up to the analysis. What follows the analysis
// (filters, formats, exports, exit code) is RunReport.h's.
//
//===----------------------------------------------------------------------===//

#include "Cache.h"
#include "Compat.h"
#include "Configuration.h"
#include "Merge.h"
#include "Report.h"
#include "ResourceDirCompilations.h"
#include "RunReport.h"
#include "Runner.h"
#include "Shard.h"
#include "Version.h"
#include "lsp/Editor.h"

#include "clang/Tooling/CommonOptionsParser.h"
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
                              cl::value_desc("url"), cl::cat(PeerTidyCategory));

/// The options provider of the command line (Configuration.h); parse errors
/// of .clang-tidy files it finds go to FileErrors. An error when the command
/// line's own configuration is wrong.
Expected<std::unique_ptr<ClangTidyOptionsProvider>>
createOptionsProvider(IntrusiveRefCntPtr<vfs::FileSystem> FS,
                      std::shared_ptr<ConfigurationErrors> FileErrors) {
  OptionsSettings Settings;
  Settings.LineFilter = LineFilter;
  Settings.HeaderFilter = HeaderFilter;
  Settings.ExcludeHeaderFilter = ExcludeHeaderFilter;
  Settings.SystemHeaders = SystemHeaders;
  Settings.FormatStyle = FormatStyle;

  ClangTidyOptions &OverrideOptions = Settings.Overrides;
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

  if (ConfigFile.getNumOccurrences() > 0) {
    if (Config.getNumOccurrences() > 0)
      return createStringError(
          std::errc::invalid_argument,
          "--config-file and --config are mutually exclusive");
    ErrorOr<std::unique_ptr<MemoryBuffer>> Text =
        MemoryBuffer::getFile(ConfigFile);
    if (!Text)
      return createStringError(
          Text.getError(), "cannot read --config-file '%s': %s",
          ConfigFile.c_str(), Text.getError().message().c_str());
    Settings.ConfigText = (*Text)->getBuffer().str();
    Settings.ConfigSource = ConfigFile;
  } else if (Config.getNumOccurrences() > 0) {
    Settings.ConfigText = Config;
    Settings.ConfigSource = "--config";
  }

  return peer::tool::createOptionsProvider(std::move(Settings), std::move(FS),
                                           std::move(FileErrors));
}

SmallString<256> makeAbsolute(StringRef Path) {
  SmallString<256> Result(Path);
  sys::fs::make_absolute(Result);
  return Result;
}

/// The regular expressions given as flags compile.
Error checkFilterFlags() {
  return joinErrors(
      checkRegularExpression(HeaderFilter, "--header-filter"),
      checkRegularExpression(ExcludeHeaderFilter, "--exclude-header-filter"));
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
/// variables), Cache.h's openForRun.
Expected<std::unique_ptr<ResultCache>> openResultCache(std::string Salt) {
  auto Setting = [](cl::opt<std::string> &Flag, const char *Variable) {
    return Flag.getNumOccurrences()
               ? std::string(Flag)
               : sys::Process::GetEnv(Variable).value_or("");
  };
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
  return ResultCache::openForRun(Setting(CacheDir, "PEER_TIDY_CACHE_DIR"),
                                 Setting(CacheUrl, "PEER_TIDY_CACHE_URL"),
                                 std::move(Salt), std::move(Roots));
}

/// The report's flags, as given.
ReportFlags reportFlags() {
  ReportFlags Flags;
  Flags.Format = Format;
  Flags.Output = Output;
  Flags.BaselineFile = BaselineFile;
  Flags.WriteBaselineFile = WriteBaselineFile;
  Flags.DiffRevision = DiffRevision;
  Flags.ExportSummaries = ExportSummaries;
  Flags.ExportFixes = ExportFixes;
  Flags.Fix = Fix;
  Flags.FixErrors = FixErrors;
  Flags.FixNotes = FixNotes;
  Flags.Quiet = Quiet;
  return Flags;
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

/// Says why, as peer-tidy's error; the usage exit code.
int reportUsageError(Error E) {
  reportError(std::move(E));
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
    Expected<std::unique_ptr<ClangTidyOptionsProvider>> Provider =
        createOptionsProvider(std::move(FS),
                              std::make_shared<ConfigurationErrors>());
    if (!Provider) {
      reportError(Provider.takeError());
      return std::unique_ptr<ClangTidyOptionsProvider>();
    }
    return std::move(*Provider);
  };
  Settings.MakeFileSystem = [](IntrusiveRefCntPtr<vfs::FileSystem> Base)
      -> IntrusiveRefCntPtr<vfs::OverlayFileSystem> {
    Expected<IntrusiveRefCntPtr<vfs::OverlayFileSystem>> FS =
        createBaseFS(std::move(Base), VfsOverlay);
    if (!FS) {
      reportError(FS.takeError());
      return nullptr;
    }
    return *FS;
  };
  Settings.Jobs = Jobs;
  Settings.ApplyAnyFix = FixNotes;
  Settings.Quiet = Quiet;
  Settings.ShowProgress = sys::Process::StandardErrIsDisplayed();
  Settings.Cache = Cache;
  Settings.CrossUnitSummaries = CrossUnitSummaries;
  return Settings;
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

/// The units of one --shard, said on stderr.
std::vector<std::string> shardFiles(std::vector<std::string> Files,
                                    StringRef BuildPath,
                                    const ShardSpec &ShardOf) {
  size_t Total = Files.size();
  Files = selectShard(Files, BuildPath.empty() ? StringRef(".") : BuildPath,
                      ShardOf);
  if (!Quiet)
    errs() << "Shard " << formatShard(ShardOf) << ": " << Files.size() << " of "
           << Total << " translation units.\n";
  return Files;
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
  if (reportError(checkFilterFlags()))
    return ExitUsage;
  Expected<IntrusiveRefCntPtr<vfs::OverlayFileSystem>> CreatedFS =
      createBaseFS(vfs::getRealFileSystem(), VfsOverlay);
  if (!CreatedFS)
    return reportUsageError(CreatedFS.takeError());
  IntrusiveRefCntPtr<vfs::OverlayFileSystem> BaseFS = *CreatedFS;
  auto ConfigFileErrors = std::make_shared<ConfigurationErrors>();
  Expected<std::unique_ptr<ClangTidyOptionsProvider>> CreatedProvider =
      createOptionsProvider(BaseFS, ConfigFileErrors);
  if (!CreatedProvider)
    return reportUsageError(CreatedProvider.takeError());
  std::unique_ptr<ClangTidyOptionsProvider> Provider =
      std::move(*CreatedProvider);

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
  size_t ChecksOfFirstFile = 0;
  Error ConfigurationProblems = validateConfiguration(
      *Provider, *ConfigFileErrors, Configured, &ChecksOfFirstFile);
  if (VerifyConfig) {
    bool Invalid = reportError(std::move(ConfigurationProblems));
    if (verifyConfiguration(*Provider, FirstFile) || Invalid)
      return ExitUsage;
    outs() << "No config errors detected.\n";
    return ExitClean;
  }
  if (reportError(std::move(ConfigurationProblems)))
    return ExitUsage;
  ClangTidyOptions Effective = Provider->getOptions(FirstFile);
  // Naming the enabled checks matches every registered name against the
  // globs again (a third of a small file's fixed cost): done only where the
  // names are shown, or where the validation constructed no check and only
  // the names can tell whether anything (an analyzer check) is enabled.
  std::vector<std::string> Enabled;
  if (ListChecks || DumpConfig || ChecksOfFirstFile == 0 ||
      reportFlags().Format != OutputFormat::Text)
    Enabled = compat::enabledChecks(Effective);
  if (std::optional<int> Answered =
          answerQuery(ListChecks, DumpConfig, Effective, Enabled))
    return *Answered;

  if (ChecksOfFirstFile == 0 && Enabled.empty())
    return reportUsageError(createStringError(
        std::errc::invalid_argument, "no checks enabled (checks: '%s')",
        Effective.Checks.value_or("").c_str()));
  if (Files.empty())
    return reportUsageError(createStringError(
        std::errc::invalid_argument,
        "no input files (name them, or give -p with a compilation database)"));

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
  peer::ResourceDirCompilations Compilations(
      Database ? *Database : Parser->getCompilations());

  std::string RepositoryRoot = repositoryRoot();
  // Read everything that can fail before the (long) analysis.
  Expected<FindingFilters> Filters = loadFilters(reportFlags(), RepositoryRoot);
  if (!Filters)
    return reportUsageError(Filters.takeError());
  Expected<std::unique_ptr<ResultCache>> OpenedCache =
      openResultCache("line-filter=" + LineFilter +
                      (CrossUnitSummaries ? "" : "\nsingle-units"));
  if (!OpenedCache)
    return reportUsageError(OpenedCache.takeError());
  std::unique_ptr<ResultCache> Cache = std::move(*OpenedCache);

  AnalysedRun Run;
  Run.Units = analyseAll(runSettings(Compilations, Cache.get()), Files);
  Run.Provider = std::move(Provider);
  Run.FirstFile = std::string(FirstFile);
  Run.BaseFS = BaseFS;
  Run.RepositoryRoot = RepositoryRoot;
  Run.Enabled = Enabled;
  Run.Shard = ShardOf;
  Run.Cache = Cache.get();
  Run.Filters = std::move(*Filters);
  return reportRun(reportFlags(), std::move(Run));
}

} // namespace
