//===- Configuration.h - one validation of the configuration ----*- C++ -*-===//
//
// clang-tidy prints a .clang-tidy that fails to parse and then ignores it,
// and reports a check's bad option once per check and per translation unit,
// as if it were a compile error. peer-tidy promises exit 2 for a
// configuration error, so the configuration is validated once, before any
// unit is analysed, by the same code in a real run and in --verify-config:
//  - every .clang-tidy found by lookup parses (the message names the file,
//    the line and the key),
//  - the header filters are valid regular expressions,
//  - every enabled check accepts its options (constructed as a run would
//    construct it: an unknown profile, a malformed role entry).
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_CONFIGURATION_H
#define PEER_TIDY_CONFIGURATION_H

#include "ClangTidyOptions.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace peer::tool {

/// Configuration errors, each kept once, in the order they were found.
class ConfigurationErrors {
public:
  void add(std::string Message);
  void add(llvm::Error Problem);
  /// All of them as one error (success when there were none); empties the
  /// list.
  llvm::Error take();

private:
  std::mutex Mutex;
  std::vector<std::string> Messages;
  llvm::StringSet<> Seen;
};

/// Parses configuration text (.clang-tidy, --config, --config-file) as
/// clang-tidy does; the first problem is an error naming Source, the line,
/// the column and what is wrong there (an unknown key, a missing bracket).
llvm::Expected<clang::tidy::ClangTidyOptions>
parseConfigurationText(llvm::StringRef Text, llvm::StringRef Source);

/// An error naming Where unless Pattern is a valid regular expression (or
/// empty: no filter).
llvm::Error checkRegularExpression(llvm::StringRef Pattern,
                                   llvm::StringRef Where);

/// The .clang-tidy reader of RecordingProvider: a file that fails to parse
/// is recorded in Errors and reads as empty.
std::function<
    llvm::ErrorOr<clang::tidy::ClangTidyOptions>(llvm::MemoryBufferRef)>
recordingParser(std::shared_ptr<ConfigurationErrors> Errors);

/// How peer-tidy's checks combine with a project's (README, "Command line"):
///  - no configuration sets Checks (no .clang-tidy that does, no --config,
///    no --checks): peer-tidy's own default, '-*,peer-*';
///  - otherwise clang-tidy's defaults of this LLVM (checks and header
///    filter) and the configured lists, exactly as clang-tidy computes them,
///    plus
///    'peer-*' at the end unless some configured list names a peer-* glob
///    (so '-peer-*' anywhere turns them off).
/// Sources are a provider's raw options, the binary's defaults first.
void combinePeerChecks(
    std::vector<clang::tidy::ClangTidyOptionsProvider::OptionsSource> &Sources);

/// One of clang-tidy's file-reading providers (FileOptionsProvider, or
/// ConfigOptionsProvider for --config with InheritParentConfig), except that
/// a .clang-tidy file that fails to parse is recorded in Errors instead of
/// being dropped with a message.
template <typename Provider> class RecordingProvider : public Provider {
public:
  template <typename... Arguments>
  RecordingProvider(std::shared_ptr<ConfigurationErrors> Errors,
                    Arguments &&...Args)
      : Provider(std::forward<Arguments>(Args)...) {
    this->ConfigHandlers.clear();
    this->ConfigHandlers.emplace_back(".clang-tidy",
                                      recordingParser(std::move(Errors)));
  }

  std::vector<clang::tidy::ClangTidyOptionsProvider::OptionsSource>
  getRawOptions(llvm::StringRef FileName) override {
    auto Sources = Provider::getRawOptions(FileName);
    combinePeerChecks(Sources);
    return Sources;
  }
};

/// What the command line (or the editor) says of the configuration; the
/// rest comes from the .clang-tidy files, or from ConfigText.
struct OptionsSettings {
  /// --line-filter, in clang-tidy's JSON format.
  std::string LineFilter;
  /// The defaults' header filters, system headers and format style (those
  /// flags' values, given or not).
  std::string HeaderFilter, ExcludeHeaderFilter, FormatStyle = "none";
  bool SystemHeaders = false;
  /// The flags given, over every configuration.
  clang::tidy::ClangTidyOptions Overrides;
  /// --config or --config-file: this configuration text (named ConfigSource
  /// in messages) instead of the .clang-tidy files' (unless it says
  /// InheritParentConfig).
  std::optional<std::string> ConfigText;
  std::string ConfigSource;
};

/// The options provider of the command line and of the editor: clang-tidy's
/// defaults with peer-tidy's check set, the configuration files (or
/// ConfigText) on top, the overrides over everything, combined as
/// combinePeerChecks says. Parse errors of .clang-tidy files it finds go to
/// FileErrors; an error when the settings themselves are wrong.
llvm::Expected<std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>>
createOptionsProvider(OptionsSettings Settings,
                      llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                      std::shared_ptr<ConfigurationErrors> FileErrors);

/// The validation a real run and --verify-config share: the configuration
/// of each of Files (each distinct configuration once), plus whatever
/// FileErrors recorded while the provider looked the .clang-tidy files up.
/// ChecksOfFirstFile, when given, receives how many clang-tidy checks the
/// configuration of Files[0] constructs.
llvm::Error
validateConfiguration(clang::tidy::ClangTidyOptionsProvider &Provider,
                      ConfigurationErrors &FileErrors,
                      llvm::ArrayRef<std::string> Files,
                      size_t *ChecksOfFirstFile = nullptr);

/// --verify-config: warns about check globs and options of FileName's
/// configuration that match nothing registered; true when anything was wrong.
bool verifyConfiguration(clang::tidy::ClangTidyOptionsProvider &Provider,
                         llvm::StringRef FileName);

/// --list-checks (Enabled, the checks enabled for the first file) and
/// --dump-config (Effective, its configuration): the exit code once
/// answered, nullopt when neither was asked.
std::optional<int> answerQuery(bool ListChecks, bool DumpConfig,
                               clang::tidy::ClangTidyOptions Effective,
                               const std::vector<std::string> &Enabled);

} // namespace peer::tool

#endif
