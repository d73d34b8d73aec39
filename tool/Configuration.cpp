//===- Configuration.cpp - one validation of the configuration ------------===//
#include "Configuration.h"

#include "Compat.h"
#include "JsonLimits.h"
#include "Report.h"

#include "ClangTidyCheck.h"
#include "ClangTidyModule.h"
#include "GlobList.h"
#include "TidyModuleRegistry.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <set>

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace peer::tool {

void ConfigurationErrors::add(std::string Message) {
  std::lock_guard<std::mutex> Lock(Mutex);
  if (Seen.insert(Message).second)
    Messages.push_back(std::move(Message));
}

void ConfigurationErrors::add(Error Problem) {
  handleAllErrors(std::move(Problem),
                  [&](const ErrorInfoBase &Info) { add(Info.message()); });
}

Error ConfigurationErrors::take() {
  std::lock_guard<std::mutex> Lock(Mutex);
  Error All = Error::success();
  for (std::string &Message : Messages)
    All = joinErrors(std::move(All),
                     createStringError(inconvertibleErrorCode(), Message));
  Messages.clear();
  Seen.clear();
  return All;
}

Expected<ClangTidyOptions> parseConfigurationText(StringRef Text,
                                                  StringRef Source) {
  if (Error Deep = checkNestingDepth(Text, Source))
    return createStringError(std::errc::invalid_argument,
                             "invalid configuration: %s",
                             toString(std::move(Deep)).c_str());
  std::string FirstProblem;
  auto Remember = [&](const SMDiagnostic &Diag) {
    if (FirstProblem.empty())
      FirstProblem = (Source + ":" + Twine(Diag.getLineNo()) + ":" +
                      Twine(Diag.getColumnNo() + 1) + ": " + Diag.getMessage())
                         .str();
  };
  ErrorOr<ClangTidyOptions> Parsed =
      parseConfigurationWithDiags(MemoryBufferRef(Text, Source), Remember);
  if (Parsed)
    return std::move(*Parsed);
  if (FirstProblem.empty())
    FirstProblem = (Source + ": " + Parsed.getError().message()).str();
  return createStringError(Parsed.getError(), "invalid configuration in %s",
                           FirstProblem.c_str());
}

Error checkRegularExpression(StringRef Pattern, StringRef Where) {
  std::string Why;
  // Empty: no filter at all (llvm::Regex calls it invalid).
  if (Pattern.empty() || Regex(Pattern).isValid(Why))
    return Error::success();
  return createStringError(
      std::errc::invalid_argument, "invalid regular expression in %s '%s': %s",
      Where.str().c_str(), Pattern.str().c_str(), Why.c_str());
}

namespace {

/// Collects the errors the checks report about their options.
class OptionErrorCollector : public DiagnosticConsumer {
public:
  explicit OptionErrorCollector(ConfigurationErrors &Errors) : Errors(Errors) {}

  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error)
      return;
    SmallString<256> Text;
    Info.FormatDiagnostic(Text);
    StringRef Message = Text;
    Message.consume_back(" [clang-tidy-config]");
    Errors.add(("invalid configuration: " + Message).str());
  }

private:
  ConfigurationErrors &Errors;
};

/// The positive globs of a Checks option, when each glob is plain (letters,
/// digits, '-', '_', '.', '*'), where LLVM's GlobPattern means what
/// clang-tidy's GlobList means; nullopt otherwise.
std::optional<std::vector<GlobPattern>> plainPositiveGlobs(StringRef Checks) {
  std::vector<GlobPattern> Positive;
  SmallVector<StringRef, 8> Items;
  for (StringRef Line : split(Checks, '\n'))
    Line.split(Items, ',');
  for (StringRef Item : Items) {
    Item = Item.trim();
    bool Negative = Item.consume_front("-");
    Item = Item.trim();
    if (!all_of(Item, [](char C) {
          return isAlnum(C) || C == '-' || C == '_' || C == '.' || C == '*';
        }))
      return std::nullopt;
    if (Negative || Item.empty())
      continue;
    Expected<GlobPattern> Pattern = GlobPattern::create(Item);
    if (!Pattern) {
      consumeError(Pattern.takeError());
      return std::nullopt;
    }
    Positive.push_back(std::move(*Pattern));
  }
  return Positive;
}

/// Every registered check factory that Checks may enable: those no positive
/// glob matches are left out (clang-tidy enables a name only when the last
/// glob matching it is positive), so that only the few left are matched
/// against clang-tidy's own, much slower, glob list.
ClangTidyCheckFactories candidateFactories(StringRef Checks) {
  ClangTidyCheckFactories All;
  for (const ClangTidyModuleRegistry::entry &Module :
       ClangTidyModuleRegistry::entries())
    Module.instantiate()->addCheckFactories(All);
  std::optional<std::vector<GlobPattern>> Positive = plainPositiveGlobs(Checks);
  if (!Positive)
    return All;
  ClangTidyCheckFactories Candidates;
  for (const auto &[Name, Factory] : All)
    if (any_of(*Positive, [&, &Name = Name](const GlobPattern &P) {
          return P.match(Name);
        }))
      Candidates.registerCheckFactory(Name, Factory);
  return Candidates;
}

/// Constructs every enabled check with Options, as a run does for each unit;
/// what they reject about their options goes to Errors. Returns how many
/// checks it constructed.
size_t checkCheckOptions(const ClangTidyOptions &Options,
                         const ClangTidyGlobalOptions &Global,
                         ConfigurationErrors &Errors) {
  std::unique_ptr<ClangTidyContext> Context = peer::compat::makeContext(
      std::make_unique<DefaultOptionsProvider>(Global, Options));
  OptionErrorCollector Collector(Errors);
  std::unique_ptr<DiagnosticsEngine> Engine =
      peer::compat::attachDiagnosticsEngine(*Context, Collector);
  Context->setCurrentFile("peer-tidy-configuration");
  return candidateFactories(Options.Checks.value_or(""))
      .createChecks(Context.get())
      .size();
}

void checkHeaderFilters(const ClangTidyOptions &Options,
                        ConfigurationErrors &Errors) {
  if (Options.HeaderFilterRegex)
    Errors.add(checkRegularExpression(*Options.HeaderFilterRegex,
                                      "HeaderFilterRegex"));
  if (Options.ExcludeHeaderFilterRegex)
    Errors.add(checkRegularExpression(*Options.ExcludeHeaderFilterRegex,
                                      "ExcludeHeaderFilterRegex"));
}

} // namespace

std::function<ErrorOr<ClangTidyOptions>(MemoryBufferRef)>
recordingParser(std::shared_ptr<ConfigurationErrors> Errors) {
  return [Errors](MemoryBufferRef Buffer) -> ErrorOr<ClangTidyOptions> {
    Expected<ClangTidyOptions> Parsed = parseConfigurationText(
        Buffer.getBuffer(), Buffer.getBufferIdentifier());
    if (Parsed)
      return std::move(*Parsed);
    Errors->add(Parsed.takeError());
    return ClangTidyOptions();
  };
}

Error validateConfiguration(ClangTidyOptionsProvider &Provider,
                            ConfigurationErrors &FileErrors,
                            ArrayRef<std::string> Files,
                            size_t *ChecksOfFirstFile) {
  ConfigurationErrors Problems;
  std::set<std::string> Validated;
  for (const std::string &File : Files) {
    SmallString<256> Absolute(File);
    sys::fs::make_absolute(Absolute);
    ClangTidyOptions Options = Provider.getOptions(Absolute);
    if (!Validated.insert(configurationAsText(Options)).second)
      continue;
    checkHeaderFilters(Options, Problems);
    size_t Checks =
        checkCheckOptions(Options, Provider.getGlobalOptions(), Problems);
    if (ChecksOfFirstFile && &File == &Files.front())
      *ChecksOfFirstFile = Checks;
  }
  // Lookup errors first: a dropped file explains the other problems.
  return joinErrors(FileErrors.take(), Problems.take());
}

Expected<std::unique_ptr<ClangTidyOptionsProvider>>
createOptionsProvider(OptionsSettings Settings,
                      IntrusiveRefCntPtr<vfs::FileSystem> FS,
                      std::shared_ptr<ConfigurationErrors> FileErrors) {
  ClangTidyGlobalOptions GlobalOptions;
  if (Error Deep = checkNestingDepth(Settings.LineFilter, "--line-filter"))
    return Deep;
  if (std::error_code Err = parseLineFilter(Settings.LineFilter, GlobalOptions))
    return createStringError(Err, "invalid --line-filter: %s",
                             Err.message().c_str());

  ClangTidyOptions DefaultOptions = ClangTidyOptions::getDefaults();
  DefaultOptions.Checks = "-*,peer-*";
  DefaultOptions.WarningsAsErrors = "";
  DefaultOptions.HeaderFilterRegex = Settings.HeaderFilter;
  DefaultOptions.ExcludeHeaderFilterRegex = Settings.ExcludeHeaderFilter;
  DefaultOptions.SystemHeaders = Settings.SystemHeaders;
  DefaultOptions.FormatStyle = Settings.FormatStyle;
  DefaultOptions.User = sys::Process::GetEnv("USER");

  if (!Settings.ConfigText)
    return std::make_unique<RecordingProvider<FileOptionsProvider>>(
        std::move(FileErrors), std::move(GlobalOptions),
        std::move(DefaultOptions), std::move(Settings.Overrides),
        std::move(FS));
  Expected<ClangTidyOptions> Parsed =
      parseConfigurationText(*Settings.ConfigText, Settings.ConfigSource);
  if (!Parsed)
    return Parsed.takeError();
  return std::make_unique<RecordingProvider<ConfigOptionsProvider>>(
      std::move(FileErrors), std::move(GlobalOptions),
      std::move(DefaultOptions), std::move(*Parsed),
      std::move(Settings.Overrides), std::move(FS));
}

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

std::optional<int> answerQuery(bool ListChecks, bool DumpConfig,
                               ClangTidyOptions Effective,
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
    outs() << configurationAsText(
                  ClangTidyOptions::getDefaults().merge(Effective, 0))
           << "\n";
    return ExitClean;
  }
  return std::nullopt;
}

void combinePeerChecks(
    std::vector<ClangTidyOptionsProvider::OptionsSource> &Sources) {
  if (Sources.empty() ||
      Sources.front().second !=
          ClangTidyOptionsProvider::OptionsSourceTypeDefaultBinary)
    return;
  bool Configured = false, NamesPeer = false;
  for (size_t I = 1; I < Sources.size(); ++I) {
    const std::optional<std::string> &Checks = Sources[I].first.Checks;
    if (!Checks || StringRef(*Checks).trim().empty())
      continue;
    Configured = true;
    NamesPeer |= StringRef(*Checks).contains("peer-");
  }
  if (!Configured) {
    Sources.front().first.Checks = "-*,peer-*";
    return;
  }
  // Then clang-tidy's own defaults of this LLVM (19: the analyzer's checks,
  // headers not reported; 22: only compiler diagnostics, every header
  // reported), so that its findings are exactly clang-tidy's. A header
  // filter given on the command line still wins (a later source).
  ClangTidyOptions &Defaults = Sources.front().first;
  Defaults.Checks = compat::UpstreamDefaultChecks;
  Defaults.HeaderFilterRegex = compat::UpstreamDefaultHeaderFilter;
  Defaults.ExcludeHeaderFilterRegex = "";
  if (NamesPeer)
    return;
  ClangTidyOptions Peer;
  Peer.Checks = "peer-*";
  Sources.emplace_back(std::move(Peer),
                       "peer-tidy (the peer-* checks, which the configuration "
                       "does not name)");
}

} // namespace peer::tool
