//===- Analysis.cpp - one peer-* analysis of an editor buffer -------------===//
#include "Analysis.h"

#include "Compat.h"
#include "Configuration.h"
#include "Preamble.h"
#include "Report.h"
#include "ResourceDirCompilations.h"
#include "Version.h"
#include "WorkerProcess.h"

#include "ClangTidyModule.h"
#include "GlobList.h"
#include "TidyModuleRegistry.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <csignal>
#include <memory>
#include <unistd.h>

using namespace llvm;
using namespace clang;
using namespace clang::tidy;
namespace compat = peer::compat;

namespace peer::lsp {
namespace {

/// The names of the registered peer-* checks.
const std::vector<std::string> &peerCheckNames() {
  static const std::vector<std::string> Names = [] {
    ClangTidyCheckFactories Factories;
    for (const auto &Entry : ClangTidyModuleRegistry::entries())
      Entry.instantiate()->addCheckFactories(Factories);
    std::vector<std::string> Found;
    for (const auto &Factory : Factories)
      if (Factory.getKey().starts_with("peer-"))
        Found.push_back(Factory.getKey().str());
    llvm::sort(Found);
    return Found;
  }();
  return Names;
}

/// The editor publishes peer-* findings only: clangd, beside this server or
/// behind the proxy, publishes clang-tidy's own checks from the same
/// .clang-tidy. So the configured checks are narrowed to the peer-* checks
/// they enable (a last source: "-*," and those names).
class PeerChecksOnlyProvider : public ClangTidyOptionsProvider {
public:
  explicit PeerChecksOnlyProvider(
      std::unique_ptr<ClangTidyOptionsProvider> Configured)
      : Configured(std::move(Configured)) {}

  const ClangTidyGlobalOptions &getGlobalOptions() override {
    return Configured->getGlobalOptions();
  }

  std::vector<OptionsSource> getRawOptions(StringRef FileName) override {
    std::vector<OptionsSource> Sources = Configured->getRawOptions(FileName);
    ClangTidyOptions Merged;
    for (const OptionsSource &Source : Sources)
      Merged.mergeWith(Source.first, 0);
    GlobList Enabled(Merged.Checks.value_or(""));
    std::string Only = "-*";
    for (const std::string &Name : peerCheckNames())
      if (Enabled.contains(Name))
        Only += "," + Name;
    ClangTidyOptions Narrowed;
    Narrowed.Checks = Only;
    Sources.emplace_back(std::move(Narrowed),
                         "peer-tidy editor (the peer-* checks enabled)");
    return Sources;
  }

private:
  std::unique_ptr<ClangTidyOptionsProvider> Configured;
};

/// The command line's options provider (tool/Configuration.h) with no flags
/// but --checks, narrowed to the peer-* checks. .clang-tidy files that do
/// not parse are logged, as clang-tidy's own reader would.
std::unique_ptr<ClangTidyOptionsProvider>
makeOptionsProvider(const AnalysisOptions &Options,
                    IntrusiveRefCntPtr<vfs::FileSystem> FS,
                    std::shared_ptr<tool::ConfigurationErrors> FileErrors) {
  tool::OptionsSettings Settings;
  if (!Options.Checks.empty())
    Settings.Overrides.Checks = Options.Checks;
  // No line filter and no configuration text: nothing here can fail.
  return std::make_unique<PeerChecksOnlyProvider>(
      cantFail(tool::createOptionsProvider(std::move(Settings), std::move(FS),
                                           std::move(FileErrors))));
}

std::string absolute(StringRef Path, StringRef Directory) {
  SmallString<256> Result(Path);
  if (!sys::path::is_absolute(Result) && !Directory.empty())
    compat::makeAbsolute(Directory, Result);
  sys::path::remove_dots(Result, /*remove_dot_dot=*/true);
  return std::string(Result);
}

/// The end of the token at Offset: identifiers and numbers as a whole, any
/// other character alone, never past the line.
size_t tokenEnd(StringRef Text, size_t Offset) {
  if (Offset >= Text.size() || Text[Offset] == '\n')
    return Offset;
  size_t End = Offset;
  while (End < Text.size() && (isAlnum(Text[End]) || Text[End] == '_'))
    ++End;
  return End == Offset ? Offset + 1 : End;
}

/// LSP's DiagnosticSeverity: Error 1, Warning 2, Information 3.
int lspSeverity(tool::Severity Of) {
  return Of == tool::Severity::Error     ? 1
         : Of == tool::Severity::Warning ? 2
                                         : 3;
}

/// A message's range in FileText (clamped), with its byte offsets.
json::Object rangeOf(const tooling::DiagnosticMessage &M, StringRef FileText,
                     Encoding E, size_t &Begin, size_t &End) {
  Begin = std::min<size_t>(M.FileOffset, FileText.size());
  End = tokenEnd(FileText, Begin);
  for (const tooling::FileByteRange &R : M.Ranges)
    if (R.FilePath == M.FilePath && R.FileOffset == Begin && R.Length)
      End = std::min<size_t>(R.FileOffset + R.Length, FileText.size());
  return json::Object{{"start", offsetToPosition(FileText, Begin, E)},
                      {"end", offsetToPosition(FileText, End, E)}};
}

/// Turns clang-tidy's findings for one document into LSP diagnostics and
/// code actions, reading other files' texts (for notes and fixes) as needed.
class Converter {
public:
  Converter(const AnalysisRequest &Request, const AnalysisOptions &Options)
      : Req(Request), Options(Options) {}

  void add(const ClangTidyError &Error, AnalysisResult &R) {
    StringRef Name = Error.DiagnosticName;
    // Compiler diagnostics are clangd's business; ours are the checks'.
    if (Name.starts_with("clang-diagnostic") || Error.Message.FilePath.empty())
      return;
    if (absolute(Error.Message.FilePath, Error.BuildDirectory) != Req.Path)
      return;
    size_t Begin, End;
    json::Object Diag = diagnostic(Error, Begin, End);
    addAction(R, Error, Error.Message, Diag, Begin, End,
              "peer-tidy: fix '" + Name.str() + "'", true);
    for (const tooling::DiagnosticMessage &Note : Error.Notes)
      addAction(R, Error, Note, Diag, Begin, End,
                "peer-tidy: " + Note.Message + " (fix)", false);
    R.Diagnostics.push_back(std::move(Diag));
  }

private:
  StringRef textOf(const std::string &File) {
    if (File == Req.Path)
      return Req.Text;
    if (auto It = Req.Unsaved.find(File); It != Req.Unsaved.end())
      return It->second;
    auto [It, New] = OtherFiles.try_emplace(File);
    if (New)
      if (auto Buffer = MemoryBuffer::getFile(File, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false))
        It->second = (*Buffer)->getBuffer().str();
    return It->second;
  }

  // The document as the editor spells its URI; other files as we do.
  std::string uriOf(const std::string &File) {
    return File == Req.Path ? Req.URI : pathToURI(File);
  }

  json::Object diagnostic(const ClangTidyError &Error, size_t &Begin,
                          size_t &End) {
    StringRef Name = Error.DiagnosticName;
    json::Object Diag{
        {"range", rangeOf(Error.Message, Req.Text, Req.Enc, Begin, End)},
        // WarningsAsErrors in .clang-tidy makes them errors here too.
        {"severity", lspSeverity(tool::severityOf(Error))},
        {"code", Name.str()},
        {"source", "peer-tidy"},
        {"message", Error.Message.Message},
    };
    if (Name.starts_with("peer-") && !Options.DocBaseURL.empty())
      Diag["codeDescription"] =
          json::Object{{"href", Options.DocBaseURL + "/" + Name.str() + ".md"}};
    json::Array Related;
    Related.reserve(Error.Notes.size());
    for (const tooling::DiagnosticMessage &Note : Error.Notes) {
      if (Note.FilePath.empty())
        continue;
      std::string File = absolute(Note.FilePath, Error.BuildDirectory);
      size_t NB, NE;
      Related.push_back(json::Object{
          {"location", json::Object{{"uri", uriOf(File)},
                                    {"range", rangeOf(Note, textOf(File),
                                                      Req.Enc, NB, NE)}}},
          {"message", Note.Message}});
    }
    if (!Related.empty())
      Diag["relatedInformation"] = std::move(Related);
    return Diag;
  }

  json::Object editsOf(const llvm::StringMap<tooling::Replacements> &Fix,
                       StringRef Directory) {
    json::Object Changes;
    for (const auto &Entry : Fix) {
      for (const tooling::Replacement &R : Entry.second) {
        std::string File = absolute(R.getFilePath(), Directory);
        StringRef FileText = textOf(File);
        size_t B = std::min<size_t>(R.getOffset(), FileText.size());
        size_t En = std::min<size_t>(B + R.getLength(), FileText.size());
        json::Object Edit{
            {"range",
             json::Object{{"start", offsetToPosition(FileText, B, Req.Enc)},
                          {"end", offsetToPosition(FileText, En, Req.Enc)}}},
            {"newText", R.getReplacementText().str()}};
        std::string FileURI = uriOf(File);
        if (!Changes.get(FileURI))
          Changes[FileURI] = json::Array();
        Changes.getArray(FileURI)->push_back(std::move(Edit));
      }
    }
    return Changes;
  }

  void addAction(AnalysisResult &R, const ClangTidyError &Error,
                 const tooling::DiagnosticMessage &From,
                 const json::Object &Diag, size_t Begin, size_t End,
                 std::string Title, bool Preferred) {
    if (From.Fix.empty())
      return;
    json::Object Changes = editsOf(From.Fix, Error.BuildDirectory);
    if (Changes.empty())
      return;
    R.Actions.push_back(
        {Begin, End,
         json::Object{
             {"title", std::move(Title)},
             {"kind", "quickfix"},
             {"isPreferred", Preferred},
             {"diagnostics", json::Array{json::Object(Diag)}},
             {"edit", json::Object{{"changes", std::move(Changes)}}}}});
  }

  const AnalysisRequest &Req;
  const AnalysisOptions &Options;
  std::map<std::string, std::string> OtherFiles;
};

/// The test hooks: an analysis that crashes or hangs, to prove that it costs
/// that analysis and nothing else. Built with -DPEER_TIDY_TEST_HOOKS=ON only
/// (tool/lsp/CMakeLists.txt): a release build does nothing here.
void testHooks(StringRef Text) {
#ifdef PEER_TIDY_TEST_HOOKS
  if (Text.contains("PEER_TIDY_TEST_CRASH_ANALYSIS") &&
      sys::Process::GetEnv("PEER_TIDY_TEST_CRASH_ANALYSIS"))
    raise(SIGSEGV);
  if (Text.contains("PEER_TIDY_TEST_HANG_ANALYSIS") &&
      sys::Process::GetEnv("PEER_TIDY_TEST_HANG_ANALYSIS"))
    for (;;)
      pause();
  // Heap that grows without end (up to 64 GB), as an analysis gone wrong.
  if (Text.contains("PEER_TIDY_TEST_GROW_ANALYSIS") &&
      sys::Process::GetEnv("PEER_TIDY_TEST_GROW_ANALYSIS")) {
    static std::vector<std::unique_ptr<char[]>> Heap;
    for (int I = 0; I < 1024; ++I) {
      Heap.emplace_back(new char[64 << 20]);
      Heap.back()[0] = 1;
    }
  }
#endif
}

/// The real file system, opening regular files only: a FIFO, a device or a
/// socket named by an #include would block the analysis (or never end) and
/// is refused as unreadable instead. (A hung mount still blocks: that is what
/// the analysis deadline is for.)
class RegularFilesOnly : public vfs::ProxyFileSystem {
public:
  explicit RegularFilesOnly(IntrusiveRefCntPtr<vfs::FileSystem> FS)
      : ProxyFileSystem(std::move(FS)) {}
  ErrorOr<std::unique_ptr<vfs::File>>
  openFileForRead(const Twine &Path) override {
    ErrorOr<vfs::Status> S = status(Path);
    if (S && S->getType() != sys::fs::file_type::regular_file)
      return std::make_error_code(std::errc::permission_denied);
    return ProxyFileSystem::openFileForRead(Path);
  }
};

std::string signature(StringRef Dir) {
  std::string Sig;
  for (const char *Name : {"compile_commands.json", "compile_flags.txt"}) {
    SmallString<256> File(Dir);
    sys::path::append(File, Name);
    sys::fs::file_status Status;
    if (sys::fs::status(File, Status) || !sys::fs::exists(Status))
      Sig += "-;";
    else
      Sig += std::to_string(Status.getSize()) + "@" +
             std::to_string(
                 Status.getLastModificationTime().time_since_epoch().count()) +
             ";";
  }
  return Sig;
}

} // namespace

json::Value toJSON(const AnalysisRequest &R) {
  json::Object Unsaved;
  for (const auto &[Path, Text] : R.Unsaved)
    Unsaved[Path] = Text;
  return json::Object{{"uri", R.URI},
                      {"path", R.Path},
                      {"text", R.Text},
                      {"encoding", encodingName(R.Enc)},
                      {"unsaved", std::move(Unsaved)}};
}

bool fromJSON(const json::Value &V, AnalysisRequest &R) {
  const json::Object *O = V.getAsObject();
  if (!O || !O->getString("uri") || !O->getString("path") ||
      !O->getString("text") || !O->getObject("unsaved"))
    return false;
  R.URI = O->getString("uri")->str();
  R.Path = O->getString("path")->str();
  R.Text = O->getString("text")->str();
  R.Enc = O->getString("encoding") == StringRef("utf-8") ? Encoding::UTF8
                                                         : Encoding::UTF16;
  for (const auto &[Path, Text] : *O->getObject("unsaved"))
    if (std::optional<StringRef> T = Text.getAsString())
      R.Unsaved[Path.str()] = T->str();
  return true;
}

json::Value toJSON(const AnalysisResult &R) {
  json::Array Actions;
  for (const AnalysisResult::Action &A : R.Actions)
    Actions.push_back(json::Object{{"begin", int64_t(A.Begin)},
                                   {"end", int64_t(A.End)},
                                   {"action", json::Object(A.Lsp)}});
  return json::Object{{"diagnostics", json::Array(R.Diagnostics)},
                      {"actions", std::move(Actions)},
                      {"preamble", R.Preamble}};
}

bool fromJSON(const json::Value &V, AnalysisResult &R) {
  const json::Object *O = V.getAsObject();
  if (!O || !O->getArray("diagnostics") || !O->getArray("actions"))
    return false;
  R.Diagnostics = *O->getArray("diagnostics");
  R.Preamble = O->getString("preamble").value_or("").str();
  for (const json::Value &A : *O->getArray("actions")) {
    const json::Object *AO = A.getAsObject();
    if (!AO || !AO->getInteger("begin") || !AO->getInteger("end") ||
        !AO->getObject("action"))
      return false;
    R.Actions.push_back({size_t(*AO->getInteger("begin")),
                         size_t(*AO->getInteger("end")),
                         json::Object(*AO->getObject("action"))});
  }
  return true;
}

Analysis::Analysis(AnalysisOptions Opts)
    : Options(std::move(Opts)), Preambles(std::make_unique<PreambleCache>()) {}
Analysis::~Analysis() = default;

std::shared_ptr<tooling::CompilationDatabase> Analysis::load(StringRef Dir) {
  // A database is (re)loaded when its files appear, change or go away; a
  // stat of the two names per directory is all a cache hit costs.
  std::string Sig = signature(Dir);
  auto [It, New] = DBCache.try_emplace(Dir.str());
  if (New || It->second.first != Sig) {
    It->second = {Sig, nullptr};
    std::string Error;
    if (std::unique_ptr<tooling::CompilationDatabase> DB =
            tooling::CompilationDatabase::loadFromDirectory(Dir, Error))
      It->second.second = tooling::inferMissingCompileCommands(std::move(DB));
    else if (Options.Verbose && Sig != "-;-;")
      logLine(Options.LogPrefix + ": " + Error);
  }
  return It->second.second;
}

std::shared_ptr<tooling::CompilationDatabase>
Analysis::compilationsFor(StringRef Path) {
  if (!Options.CompileCommandsDir.empty())
    if (auto DB = load(Options.CompileCommandsDir))
      return DB;
  // As clangd: the nearest compile_commands.json (or compile_flags.txt) up
  // the tree, also looking into build/ subdirectories.
  if (Options.CompileCommandsDir.empty())
    for (StringRef Dir = sys::path::parent_path(Path); !Dir.empty();
         Dir = sys::path::parent_path(Dir)) {
      if (auto DB = load(Dir))
        return DB;
      SmallString<256> Build(Dir);
      sys::path::append(Build, "build");
      if (auto DB = load(Build))
        return DB;
    }
  // No database: compile it alone, as clangd's fallback does.
  return std::make_shared<tooling::FixedCompilationDatabase>(
      sys::path::parent_path(Path), std::vector<std::string>{});
}

AnalysisResult Analysis::run(const AnalysisRequest &Req) {
  // Unsaved buffers (this one and every other open one) over the real files.
  IntrusiveRefCntPtr<vfs::InMemoryFileSystem> Memory(
      new vfs::InMemoryFileSystem);
  for (const auto &[File, Contents] : Req.Unsaved)
    Memory->addFile(File, 0, MemoryBuffer::getMemBufferCopy(Contents, File));
  if (!Req.Unsaved.count(Req.Path))
    Memory->addFile(Req.Path, 0,
                    MemoryBuffer::getMemBufferCopy(Req.Text, Req.Path));
  IntrusiveRefCntPtr<vfs::OverlayFileSystem> BaseFS(new vfs::OverlayFileSystem(
      new RegularFilesOnly(vfs::getRealFileSystem())));
  BaseFS->pushOverlay(Memory);
  testHooks(Req.Text);

  std::shared_ptr<tooling::CompilationDatabase> DB = compilationsFor(Req.Path);
  peer::ResourceDirCompilations Compilations(*DB);
  auto ConfigErrors = std::make_shared<tool::ConfigurationErrors>();
  std::unique_ptr<ClangTidyContext> Context =
      compat::makeContext(makeOptionsProvider(Options, BaseFS, ConfigErrors));
  AnalysisResult R;
  std::vector<ClangTidyError> Errors;
  if (Options.Preamble) {
    // The other open buffers may be among the preamble's headers.
    std::string Key;
    for (const auto &[File, Contents] : Req.Unsaved)
      Key += File + "@" + utohexstr(xxh3_64bits(Contents)) + "\n";
    Errors = Preambles->run(*Context, Compilations, Req.Path, BaseFS, Key);
    R.Preamble = Preambles->lastUse() == PreambleCache::Reused  ? "reused"
                 : Preambles->lastUse() == PreambleCache::Built ? "built"
                                                                : "none";
    if (Preambles->lastUse() != PreambleCache::Unused &&
        !Preambles->lastSkippedBodies())
      R.Preamble += ", with the system headers' bodies";
  } else {
    Errors = compat::runChecks(*Context, Compilations, {Req.Path}, BaseFS,
                               /*ApplyAnyFix=*/false, /*Quiet=*/true);
    R.Preamble = "none";
  }
  handleAllErrors(ConfigErrors->take(), [&](const ErrorInfoBase &Info) {
    logLine(Options.LogPrefix + ": " + Info.message() +
            " (the file is ignored)");
  });

  Converter Convert(Req, Options);
  // Reserved: a json::Value's move may throw, so a growing vector copies
  // every diagnostic it holds.
  R.Diagnostics.reserve(Errors.size());
  for (const ClangTidyError &Error : Errors)
    Convert.add(Error, R);
  return R;
}

std::vector<std::string> workerArguments(const AnalysisOptions &O) {
  std::vector<std::string> Args{"lsp", "--analysis-worker=" +
                                           std::to_string(getpid())};
  if (!O.Checks.empty())
    Args.push_back("--checks=" + O.Checks);
  Args.push_back("--doc-base-url=" + O.DocBaseURL);
  if (!O.CompileCommandsDir.empty())
    Args.push_back("--compile-commands-dir=" + O.CompileCommandsDir);
  if (O.Verbose)
    Args.push_back("--log=verbose");
  Args.push_back("--analysis-memory=" + std::to_string(O.MemoryMB));
  if (!O.Preamble)
    Args.push_back("--preamble=off");
  return Args;
}

int runAnalysisWorker(AnalysisOptions Options, int In, int Out) {
  capWorkerMemory(Options.MemoryMB);
  Analysis Engine(std::move(Options));
  FrameReader Reader(In);
  FrameWriter Writer(Out);
  std::string Body, Error;
  for (;;) {
    FrameReader::Status St = Reader.next(Body, Error);
    if (St == FrameReader::Eof)
      return 0;
    json::Value Reply = nullptr;
    std::optional<json::Value> Message =
        St == FrameReader::Message ? parseMessage(Body, Reply) : std::nullopt;
    AnalysisRequest Request;
    if (!Message || !fromJSON(*Message, Request)) {
      logLine("peer-tidy analysis worker: unusable request");
      return 2;
    }
    if (!Writer.write(toJSON(Engine.run(Request))))
      return 1;
  }
}

} // namespace peer::lsp
