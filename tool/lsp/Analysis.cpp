//===- Analysis.cpp - peer-* analysis of open editor buffers --------------===//
#include "Analysis.h"

#include "Compat.h"
#include "ResourceDirCompilations.h"
#include "Version.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>

using namespace llvm;
using namespace clang;
using namespace clang::tidy;
namespace compat = peer::compat;

namespace peer::lsp {
namespace {


/// clang-tidy's defaults with peer-tidy's check set, the .clang-tidy files on
/// top (FileOptionsProvider), and --checks over everything. NOTE: a reduced
/// copy of createOptionsProvider in tool/PeerTidyMain.cpp.
std::unique_ptr<ClangTidyOptionsProvider>
makeOptionsProvider(const AnalysisOptions &Options,
                    IntrusiveRefCntPtr<vfs::FileSystem> FS) {
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  Defaults.Checks = "-*,peer-*";
  Defaults.WarningsAsErrors = "";
  Defaults.HeaderFilterRegex = "";
  Defaults.SystemHeaders = false;
  Defaults.FormatStyle = "none";
  Defaults.User = sys::Process::GetEnv("USER");
  ClangTidyOptions Overrides;
  if (!Options.Checks.empty())
    Overrides.Checks = Options.Checks;
  return std::make_unique<FileOptionsProvider>(
      ClangTidyGlobalOptions(), std::move(Defaults), std::move(Overrides),
      std::move(FS));
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

} // namespace

DocumentAnalyzer::DocumentAnalyzer(AnalysisOptions Opts, Sink S)
    : Options(std::move(Opts)), Publish(std::move(S)) {
  CrashRecoveryContext::Enable();
  Worker = std::thread([this] { run(); });
}

DocumentAnalyzer::~DocumentAnalyzer() { stop(); }

void DocumentAnalyzer::stop() {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Stopping = true;
  }
  Wake.notify_all();
  if (Worker.joinable() && Worker.get_id() != std::this_thread::get_id())
    Worker.join();
}

void DocumentAnalyzer::setEncoding(Encoding E) {
  std::lock_guard<std::mutex> Guard(Lock);
  Enc = E;
}

Encoding DocumentAnalyzer::encoding() {
  std::lock_guard<std::mutex> Guard(Lock);
  return Enc;
}

void DocumentAnalyzer::schedule(Document &Doc, unsigned DelayMs) {
  Doc.Pending = true;
  Doc.Due = std::chrono::steady_clock::now() +
            std::chrono::milliseconds(DelayMs);
  Wake.notify_all();
}

void DocumentAnalyzer::open(StringRef URI, int64_t Version, std::string Text) {
  std::optional<std::string> Path = uriToPath(URI);
  if (!Path)
    return; // not a file: nothing to compile
  std::lock_guard<std::mutex> Guard(Lock);
  Document &Doc = Docs[URI.str()];
  Doc.Path = *Path;
  Doc.Version = Version;
  Doc.Text = std::move(Text);
  schedule(Doc, 0);
}

void DocumentAnalyzer::change(StringRef URI, int64_t Version,
                              const json::Array &Changes) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Docs.find(URI.str());
  if (It == Docs.end())
    return;
  Document &Doc = It->second;
  for (const json::Value &Change : Changes)
    if (const json::Object *C = Change.getAsObject())
      applyChange(Doc.Text, *C, Enc);
  Doc.Version = Version;
  schedule(Doc, Options.DebounceMs);
}

void DocumentAnalyzer::save(StringRef URI, std::optional<std::string> Text) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Docs.find(URI.str());
  if (It == Docs.end())
    return;
  if (Text)
    It->second.Text = std::move(*Text);
  // Headers it includes may have changed on disk too: analyse again now.
  schedule(It->second, 0);
}

void DocumentAnalyzer::close(StringRef URI) {
  std::lock_guard<std::mutex> Guard(Lock);
  Docs.erase(URI.str());
}

json::Array DocumentAnalyzer::codeActions(const json::Object &Params) {
  json::Array Result;
  const json::Object *TD = Params.getObject("textDocument");
  const json::Object *Range = Params.getObject("range");
  if (!TD || !Range || !TD->getString("uri"))
    return Result;
  const json::Object *Start = Range->getObject("start");
  const json::Object *End = Range->getObject("end");
  if (!Start || !End)
    return Result;
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Docs.find(TD->getString("uri")->str());
  // Fixes are byte offsets into the analysed text: only offer them while the
  // buffer still is that text.
  if (It == Docs.end() || It->second.AnalyzedVersion != It->second.Version)
    return Result;
  const Document &Doc = It->second;
  size_t From = positionToOffset(Doc.Text, *Start, Enc);
  size_t To = positionToOffset(Doc.Text, *End, Enc);
  // The client names the diagnostics it asks about (the ones on the cursor's
  // line, say) or just a range: either one selects a fix.
  const json::Array *Asked = nullptr;
  if (const json::Object *Context = Params.getObject("context"))
    Asked = Context->getArray("diagnostics");
  auto Named = [&](const Action &A) {
    const json::Array *Ours = A.Lsp.getArray("diagnostics");
    if (!Asked || !Ours || Ours->empty())
      return false;
    const json::Object *Diag = (*Ours)[0].getAsObject();
    for (const json::Value &V : *Asked)
      if (const json::Object *D = V.getAsObject())
        if (D->getString("source") == Diag->getString("source") &&
            D->getString("code") == Diag->getString("code") &&
            D->get("range") && *D->get("range") == *Diag->get("range"))
          return true;
    return false;
  };
  for (const Action &A : Doc.Actions)
    if ((A.Begin <= To && From <= A.End) || Named(A))
      Result.push_back(json::Object(A.Lsp));
  return Result;
}

void DocumentAnalyzer::run() {
  std::unique_lock<std::mutex> Guard(Lock);
  while (!Stopping) {
    Document *Next = nullptr;
    std::string NextURI;
    for (auto &[URI, Doc] : Docs)
      if (Doc.Pending && (!Next || Doc.Due < Next->Due)) {
        Next = &Doc;
        NextURI = URI;
      }
    if (!Next) {
      Wake.wait(Guard);
      continue;
    }
    if (Next->Due > std::chrono::steady_clock::now()) {
      Wake.wait_until(Guard, Next->Due);
      continue; // an edit may have moved it, or another document is due
    }
    Next->Pending = false;
    std::string Path = Next->Path, Text = Next->Text;
    int64_t Version = Next->Version;
    std::map<std::string, std::string> Unsaved;
    for (auto &[URI, Doc] : Docs)
      Unsaved[Doc.Path] = Doc.Text;
    Guard.unlock();

    auto Started = std::chrono::steady_clock::now();
    std::optional<Result> R;
    CrashRecoveryContext CRC;
    if (!CRC.RunSafely([&] { R = analyze(NextURI, Path, Text, Unsaved); }))
      errs() << Options.LogPrefix << ": analysis of " << Path
             << " crashed; no peer-* diagnostics for it\n";
    double Ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - Started)
                    .count();

    Guard.lock();
    auto It = Docs.find(NextURI);
    // The newest edit wins: results for an older text are dropped.
    bool Stale = It == Docs.end() || It->second.Version != Version;
    if (Options.Verbose)
      errs() << Options.LogPrefix << ": analysed " << Path << " version "
             << Version << " in " << format("%.0f", Ms) << " ms"
             << (Stale ? " (stale, dropped)" : "") << "\n";
    if (Stale || !R)
      continue;
    It->second.AnalyzedVersion = Version;
    It->second.Actions = std::move(R->Actions);
    // Published under the lock so that no older result can overtake it.
    Publish(NextURI, Version, std::move(R->Diagnostics));
  }
}

std::shared_ptr<tooling::CompilationDatabase>
DocumentAnalyzer::compilationsFor(StringRef Path) {
  // A database is (re)loaded when its files appear, change or go away; a
  // stat of the two names per directory is all a cache hit costs.
  auto Signature = [](StringRef Dir) {
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
  };
  auto Load = [&](StringRef Dir) -> std::shared_ptr<tooling::CompilationDatabase> {
    std::string Sig = Signature(Dir);
    auto [It, New] = DBCache.try_emplace(Dir.str());
    if (New || It->second.first != Sig) {
      It->second = {Sig, nullptr};
      std::string Error;
      if (std::unique_ptr<tooling::CompilationDatabase> DB =
              tooling::CompilationDatabase::loadFromDirectory(Dir, Error))
        It->second.second = tooling::inferMissingCompileCommands(std::move(DB));
      else if (Options.Verbose && Sig != "-;-;")
        errs() << Options.LogPrefix << ": " << Error << "\n";
    }
    return It->second.second;
  };
  if (!Options.CompileCommandsDir.empty())
    if (auto DB = Load(Options.CompileCommandsDir))
      return DB;
  // As clangd: the nearest compile_commands.json (or compile_flags.txt) up
  // the tree, also looking into build/ subdirectories.
  if (Options.CompileCommandsDir.empty())
    for (StringRef Dir = sys::path::parent_path(Path); !Dir.empty();
         Dir = sys::path::parent_path(Dir)) {
      if (auto DB = Load(Dir))
        return DB;
      SmallString<256> Build(Dir);
      sys::path::append(Build, "build");
      if (auto DB = Load(Build))
        return DB;
    }
  // No database: compile it alone, as clangd's fallback does.
  return std::make_shared<tooling::FixedCompilationDatabase>(
      sys::path::parent_path(Path), std::vector<std::string>{});
}

std::optional<DocumentAnalyzer::Result>
DocumentAnalyzer::analyze(const std::string &URI, const std::string &Path,
                          const std::string &Text,
                          const std::map<std::string, std::string> &Unsaved) {
  // Unsaved buffers (this one and every other open one) over the real files.
  IntrusiveRefCntPtr<vfs::InMemoryFileSystem> Memory(
      new vfs::InMemoryFileSystem);
  for (const auto &[File, Contents] : Unsaved)
    Memory->addFile(File, 0, MemoryBuffer::getMemBufferCopy(Contents, File));
  IntrusiveRefCntPtr<vfs::OverlayFileSystem> BaseFS(
      new vfs::OverlayFileSystem(vfs::getRealFileSystem()));
  BaseFS->pushOverlay(Memory);

  // Tests prove that a crashing analysis costs its results and nothing else.
  if (StringRef(Text).contains("PEER_TIDY_TEST_CRASH_ANALYSIS") &&
      sys::Process::GetEnv("PEER_TIDY_TEST_CRASH_ANALYSIS"))
    raise(SIGSEGV);

  std::shared_ptr<tooling::CompilationDatabase> DB = compilationsFor(Path);
  peer::ResourceDirCompilations Compilations(*DB);
  std::unique_ptr<ClangTidyContext> Context =
      compat::makeContext(makeOptionsProvider(Options, BaseFS));
  std::vector<ClangTidyError> Errors = compat::runChecks(
      *Context, Compilations, {Path}, BaseFS, /*ApplyAnyFix=*/false,
      /*Quiet=*/true);

  Encoding E = encoding();
  std::map<std::string, std::string> OtherFiles;
  auto TextOf = [&](const std::string &File) -> StringRef {
    if (File == Path)
      return Text;
    if (auto It = Unsaved.find(File); It != Unsaved.end())
      return It->second;
    auto [It, New] = OtherFiles.try_emplace(File);
    if (New)
      if (auto Buffer = MemoryBuffer::getFile(File))
        It->second = (*Buffer)->getBuffer().str();
    return It->second;
  };
  // The document as the editor spells its URI; other files as we do.
  auto URIOf = [&](const std::string &File) {
    return File == Path ? URI : pathToURI(File);
  };
  auto RangeOf = [&](const tooling::DiagnosticMessage &M, StringRef FileText,
                     size_t &Begin, size_t &End) {
    Begin = std::min<size_t>(M.FileOffset, FileText.size());
    End = tokenEnd(FileText, Begin);
    for (const tooling::FileByteRange &R : M.Ranges)
      if (R.FilePath == M.FilePath && R.FileOffset == Begin && R.Length)
        End = std::min<size_t>(R.FileOffset + R.Length, FileText.size());
    return json::Object{{"start", offsetToPosition(FileText, Begin, E)},
                        {"end", offsetToPosition(FileText, End, E)}};
  };
  auto EditsOf = [&](const llvm::StringMap<tooling::Replacements> &Fix,
                     StringRef Directory) {
    json::Object Changes;
    for (const auto &Entry : Fix) {
      for (const tooling::Replacement &R : Entry.second) {
        std::string File = absolute(R.getFilePath(), Directory);
        StringRef FileText = TextOf(File);
        size_t B = std::min<size_t>(R.getOffset(), FileText.size());
        size_t En = std::min<size_t>(B + R.getLength(), FileText.size());
        json::Object Edit{{"range",
                           json::Object{
                               {"start", offsetToPosition(FileText, B, E)},
                               {"end", offsetToPosition(FileText, En, E)}}},
                          {"newText", R.getReplacementText().str()}};
        std::string FileURI = URIOf(File);
        if (!Changes.get(FileURI))
          Changes[FileURI] = json::Array();
        Changes.getArray(FileURI)->push_back(std::move(Edit));
      }
    }
    return Changes;
  };

  Result R;
  for (const ClangTidyError &Error : Errors) {
    StringRef Name = Error.DiagnosticName;
    // Compiler diagnostics are clangd's business; ours are the checks'.
    if (Name.starts_with("clang-diagnostic") || Error.Message.FilePath.empty())
      continue;
    if (absolute(Error.Message.FilePath, Error.BuildDirectory) != Path)
      continue;
    size_t Begin, End;
    json::Object Diag{
        {"range", RangeOf(Error.Message, Text, Begin, End)},
        // WarningsAsErrors in .clang-tidy makes them errors here too.
        {"severity",
         Error.DiagLevel == ClangTidyError::Error || Error.IsWarningAsError ? 1
         : Error.DiagLevel == ClangTidyError::Warning                       ? 2
                                                                            : 3},
        {"code", Name.str()},
        {"source", "peer-tidy"},
        {"message", Error.Message.Message},
    };
    if (Name.starts_with("peer-") && !Options.DocBaseURL.empty())
      Diag["codeDescription"] =
          json::Object{{"href", Options.DocBaseURL + "/" + Name.str() + ".md"}};
    json::Array Related;
    for (const tooling::DiagnosticMessage &Note : Error.Notes) {
      if (Note.FilePath.empty())
        continue;
      std::string File = absolute(Note.FilePath, Error.BuildDirectory);
      size_t NB, NE;
      Related.push_back(json::Object{
          {"location", json::Object{{"uri", URIOf(File)},
                                    {"range", RangeOf(Note, TextOf(File), NB,
                                                      NE)}}},
          {"message", Note.Message}});
    }
    if (!Related.empty())
      Diag["relatedInformation"] = std::move(Related);

    auto AddAction = [&](const tooling::DiagnosticMessage &From,
                         std::string Title, bool Preferred) {
      if (From.Fix.empty())
        return;
      json::Object Changes = EditsOf(From.Fix, Error.BuildDirectory);
      if (Changes.empty())
        return;
      R.Actions.push_back(
          {Begin, End,
           json::Object{{"title", std::move(Title)},
                        {"kind", "quickfix"},
                        {"isPreferred", Preferred},
                        {"diagnostics", json::Array{json::Object(Diag)}},
                        {"edit", json::Object{{"changes", std::move(Changes)}}}}});
    };
    AddAction(Error.Message, "peer-tidy: fix '" + Name.str() + "'", true);
    for (const tooling::DiagnosticMessage &Note : Error.Notes)
      AddAction(Note, "peer-tidy: " + Note.Message + " (fix)", false);
    R.Diagnostics.push_back(std::move(Diag));
  }
  return R;
}

} // namespace peer::lsp
