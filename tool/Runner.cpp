//===- Runner.cpp - analysing translation units in parallel ---------------===//
//
// Each unit is analysed the way clang-tidy's runClangTidy analyses one (same
// argument adjusters, same diagnostic consumer, same AST consumer factory),
// with three additions that runClangTidy has no room for:
//  - the unit's own file system, because ClangTool changes the working
//    directory of the file system it is given, and the real one's working
//    directory is the process's (chdir is not thread-safe);
//  - a record of every file the compiler opened, and of every path it
//    probed and did not find, for the result cache;
//  - the enclosing function of each finding, looked up while the AST still
//    exists, for fingerprints that survive line shifts.
//
//===----------------------------------------------------------------------===//
#include "Runner.h"

#include "Cache.h"
#include "ClangTidyModule.h"
#include "Compat.h"
#include "JsonLimits.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <mutex>

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace peer::tool {

namespace {

/// Passes everything through and remembers, as absolute paths, the files
/// that were opened for reading (the inputs of the unit) and the paths that
/// were probed and not found: each include directory tried before the one an
/// include resolved in, the file beside the source for "..." includes, each
/// __has_include that said no, a missing -I directory. A file created at one
/// of those later can change what the unit includes, so it is an input too.
class RecordingFileSystem : public vfs::ProxyFileSystem {
public:
  explicit RecordingFileSystem(IntrusiveRefCntPtr<vfs::FileSystem> Base)
      : ProxyFileSystem(std::move(Base)) {}

  ErrorOr<vfs::Status> status(const Twine &Path) override {
    auto Result = ProxyFileSystem::status(Path);
    if (!Result)
      Absent.insert(absolute(Path));
    return Result;
  }

  bool exists(const Twine &Path) override { return bool(status(Path)); }

  /// A compile command's directory, without "." components: the build
  /// directory of a fixed database ("--") is then the one clang-tidy reports
  /// (its real file system resolves "." by entering it).
  std::error_code setCurrentWorkingDirectory(const Twine &Path) override {
    SmallString<256> Directory;
    Path.toVector(Directory);
    makeAbsolute(Directory);
    sys::path::remove_dots(Directory, /*remove_dot_dot=*/false);
    return ProxyFileSystem::setCurrentWorkingDirectory(Directory);
  }

  ErrorOr<std::unique_ptr<vfs::File>>
  openFileForRead(const Twine &Path) override {
    auto File = ProxyFileSystem::openFileForRead(Path);
    (File ? Opened : Absent).insert(absolute(Path));
    return File;
  }

  std::vector<std::string> openedFiles() const { return sorted(Opened); }
  /// Probed and not found; a path found later (opened) is left out.
  std::vector<std::string> absentPaths() const {
    StringSet<> StillAbsent;
    for (const auto &Entry : Absent)
      if (!Opened.contains(Entry.getKey()))
        StillAbsent.insert(Entry.getKey());
    return sorted(StillAbsent);
  }

private:
  std::string absolute(const Twine &Path) {
    SmallString<256> Absolute;
    Path.toVector(Absolute);
    makeAbsolute(Absolute);
    // Only "." goes: ".." after a symlink (/lib -> usr/lib) is not
    // lexical, and the driver does produce such paths.
    sys::path::remove_dots(Absolute, /*remove_dot_dot=*/false);
    return std::string(Absolute);
  }

  static std::vector<std::string> sorted(const StringSet<> &Paths) {
    std::vector<std::string> Result;
    for (const auto &Entry : Paths)
      Result.push_back(Entry.getKey().str());
    std::sort(Result.begin(), Result.end());
    return Result;
  }

  StringSet<> Opened;
  StringSet<> Absent;
};

/// The extents of the unit's function definitions (as a traversal of
/// declarations reaches them: not lambdas' call operators, not template
/// instantiations), gathered once per unit, so that naming the function of
/// each finding costs a scan of the extents, not a walk of the AST.
class FunctionExtents : public RecursiveASTVisitor<FunctionExtents> {
public:
  /// Only the definitions in \p Files (the files with findings) are needed.
  FunctionExtents(const SourceManager &SM, DenseSet<FileID> Files)
      : SM(SM), Files(std::move(Files)) {}

  /// Skips a declaration outside those files (namespaces and linkage
  /// specifications are entered: one may hold an #include of such a file).
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl, NamespaceDecl, LinkageSpecDecl>(D) &&
        D->getLocation().isValid() &&
        !Files.contains(SM.getFileID(SM.getExpansionLoc(D->getLocation()))))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitFunctionDecl(FunctionDecl *Function) {
    if (!Function->doesThisDeclarationHaveABody())
      return true;
    SourceRange Range = Function->getSourceRange();
    if (Range.isInvalid())
      return true;
    auto [BeginFile, Begin] =
        SM.getDecomposedLoc(SM.getExpansionLoc(Range.getBegin()));
    auto [EndFile, End] =
        SM.getDecomposedLoc(SM.getExpansionRange(Range.getEnd()).getEnd());
    if (BeginFile == EndFile && Begin <= End)
      Extents.push_back({BeginFile, Begin, End, Function});
    return true;
  }

  /// The qualified name of the innermost definition holding Offset in File.
  std::string nameAt(FileID File, unsigned Offset) const {
    const Extent *Best = nullptr;
    for (const Extent &E : Extents)
      if (E.File == File && E.Begin <= Offset && Offset <= E.End &&
          (!Best || E.End - E.Begin <= Best->End - Best->Begin))
        Best = &E;
    return Best ? Best->Function->getQualifiedNameAsString() : "";
  }

private:
  struct Extent {
    FileID File;
    unsigned Begin, End;
    const FunctionDecl *Function;
  };
  const SourceManager &SM;
  DenseSet<FileID> Files;
  std::vector<Extent> Extents;
};

/// The file of a finding, as the unit's source manager knows it.
FileID fileOf(SourceManager &SM, const ClangTidyError &Error) {
  if (Error.Message.FilePath.empty())
    return FileID();
  auto File = SM.getFileManager().getOptionalFileRef(Error.Message.FilePath);
  return File ? SM.translateFile(*File) : FileID();
}

/// The files the findings are in.
DenseSet<FileID> filesOf(SourceManager &SM,
                         const std::vector<ClangTidyError> &Errors) {
  DenseSet<FileID> Files;
  for (const ClangTidyError &Error : Errors)
    if (FileID File = fileOf(SM, Error); File.isValid())
      Files.insert(File);
  return Files;
}

/// Whether every check enabled for the unit is a peer-* check.
bool onlyPeerChecks(const std::vector<std::string> &Checks) {
  return llvm::all_of(Checks,
                      [](StringRef Name) { return Name.starts_with("peer-"); });
}

/// The peer-* checks register one matcher, on the translation unit, and walk
/// the unit themselves (traverseWholeUnit). When they are the only checks,
/// clang-tidy's MatchFinder would still walk every declaration, header and
/// instantiation of the unit for nothing: 3 % of a Qt unit's parse. Around
/// the wrapped consumer's HandleTranslationUnit, the traversal scope is
/// emptied (MatchFinder then visits the unit alone, which is what fires the
/// peer-* checks) and restored after it.
class WithEmptyTraversalScope : public MultiplexConsumer {
public:
  explicit WithEmptyTraversalScope(std::unique_ptr<ASTConsumer> Tidy)
      : MultiplexConsumer(consumers(std::move(Tidy))) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    std::vector<Decl *> Scope = Ctx.getTraversalScope();
    Ctx.setTraversalScope({});
    MultiplexConsumer::HandleTranslationUnit(Ctx);
    Ctx.setTraversalScope(Scope);
  }

private:
  static std::vector<std::unique_ptr<ASTConsumer>>
  consumers(std::unique_ptr<ASTConsumer> One) {
    std::vector<std::unique_ptr<ASTConsumer>> All;
    All.push_back(std::move(One));
    return All;
  }
};

std::string enclosingFunction(ASTContext &AST, const FunctionExtents &Extents,
                              const ClangTidyError &Error) {
  FileID ID = fileOf(AST.getSourceManager(), Error);
  return ID.isValid() ? Extents.nameAt(ID, Error.Message.FileOffset) : "";
}

/// runClangTidy's action, which also hands the unit's findings over before
/// its AST is destroyed.
class TidyAction : public ASTFrontendAction {
public:
  TidyAction(ClangTidyASTConsumerFactory &Factory,
             ClangTidyDiagnosticConsumer &Diagnostics,
             std::vector<Finding> &Findings)
      : Factory(Factory), Diagnostics(Diagnostics), Findings(Findings) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                 StringRef File) override {
    std::unique_ptr<ASTConsumer> Tidy =
        Factory.createASTConsumer(Compiler, File);
    // Asked after createASTConsumer, which sets the file whose options apply.
    if (!Tidy || !onlyPeerChecks(Factory.getCheckNames()))
      return Tidy;
    return std::make_unique<WithEmptyTraversalScope>(std::move(Tidy));
  }

  void EndSourceFileAction() override {
    CompilerInstance &Compiler = getCompilerInstance();
    std::vector<ClangTidyError> Errors = Diagnostics.take();
    std::optional<FunctionExtents> Extents;
    if (Compiler.hasASTContext() && !Errors.empty()) {
      Extents.emplace(Compiler.getSourceManager(),
                      filesOf(Compiler.getSourceManager(), Errors));
      Extents->TraverseDecl(Compiler.getASTContext().getTranslationUnitDecl());
    }
    for (ClangTidyError &Error : Errors) {
      std::string Function;
      if (Extents)
        Function = enclosingFunction(Compiler.getASTContext(), *Extents, Error);
      Findings.push_back({std::move(Error), std::move(Function)});
    }
  }

private:
  ClangTidyASTConsumerFactory &Factory;
  ClangTidyDiagnosticConsumer &Diagnostics;
  std::vector<Finding> &Findings;
};

/// clang-tidy's consumer, except that a configuration error a check finds
/// while analysing (a role's parameter index past the end of the function it
/// names) does not count as an error of the compilation: it is reported once
/// as a configuration error (exit 2), and the unit is not "Error while
/// processing" with "1 error generated".
class UnitDiagnosticConsumer : public ClangTidyDiagnosticConsumer {
public:
  UnitDiagnosticConsumer(ClangTidyContext &Context, bool RemoveIncompatible,
                         bool GetFixesFromNotes)
      : ClangTidyDiagnosticConsumer(Context, nullptr, RemoveIncompatible,
                                    GetFixesFromNotes),
        Context(Context) {}

  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    // Asked first: the name is not known once the base has handled it. Only
    // for errors: the thousands of warnings and notes of a unit skip it.
    bool Configuration =
        Level >= DiagnosticsEngine::Error &&
        Context.getCheckName(Info.getID()) == "clang-tidy-config";
    unsigned ErrorsBefore = NumErrors;
    ClangTidyDiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Configuration)
      NumErrors = ErrorsBefore;
  }

private:
  ClangTidyContext &Context;
};

class TidyActionFactory : public tooling::FrontendActionFactory {
public:
  TidyActionFactory(ClangTidyContext &Context,
                    IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS,
                    ClangTidyDiagnosticConsumer &Diagnostics,
                    std::vector<Finding> &Findings, bool Quiet)
      : ConsumerFactory(Context, std::move(FS)), Diagnostics(Diagnostics),
        Findings(Findings), Quiet(Quiet) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<TidyAction>(ConsumerFactory, Diagnostics, Findings);
  }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // As clang-tidy: checks may rely on __clang_analyzer__.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    if (Quiet)
      Invocation->getDiagnosticOpts().ShowCarets = false;
    return FrontendActionFactory::runInvocation(Invocation, Files,
                                                PCHContainerOps, DiagConsumer);
  }

private:
  ClangTidyASTConsumerFactory ConsumerFactory;
  ClangTidyDiagnosticConsumer &Diagnostics;
  std::vector<Finding> &Findings;
  bool Quiet;
};

/// Why File cannot be compiled at all, found before the compiler is asked:
/// it is a directory (clang would say "expected exactly one compiler job"),
/// or the directory of one of its compile commands does not exist (ClangTool
/// would abort the whole process, every other unit with it, trying to enter
/// it).
Error checkCompilable(const tooling::CompilationDatabase &Compilations,
                      StringRef File, vfs::FileSystem &FS) {
  SmallString<256> Absolute(File);
  if (FS.makeAbsolute(Absolute))
    Absolute = File;
  ErrorOr<vfs::Status> Status = FS.status(Absolute);
  if (Status && Status->isDirectory())
    return createStringError(inconvertibleErrorCode(),
                             "'%s' is a directory, not a source file",
                             File.str().c_str());
  for (const tooling::CompileCommand &Command :
       Compilations.getCompileCommands(Absolute)) {
    ErrorOr<vfs::Status> Directory = FS.status(Command.Directory);
    if (!Directory || !Directory->isDirectory())
      return createStringError(
          inconvertibleErrorCode(),
          "cannot compile '%s': the directory of its compile command, '%s', "
          "does not exist",
          File.str().c_str(), Command.Directory.c_str());
  }
  return Error::success();
}

/// A unit that could not be compiled at all, with the reason as its one
/// compile error.
TranslationUnitResult failedUnit(const std::string &File, Error Reason) {
  TranslationUnitResult Result;
  Result.File = File;
  Result.CompileFailed = true;
  ClangTidyError Failure("clang-diagnostic-error", ClangTidyError::Error, "",
                         /*IsWarningAsError=*/false);
  Failure.Message.Message = toString(std::move(Reason));
  Result.Findings.push_back({std::move(Failure), ""});
  return Result;
}

TranslationUnitResult analyseOne(const RunSettings &Settings,
                                 const std::string &File,
                                 const std::vector<SummaryEntry> &Imported) {
  TranslationUnitResult Result;
  Result.File = File;
  Result.Imported = Imported;

  auto Recorder =
      makeIntrusiveRefCnt<RecordingFileSystem>(vfs::createPhysicalFileSystem());
  IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS =
      Settings.MakeFileSystem(Recorder);
  // Before the cache: a unit that cannot be compiled now has no result to
  // replay, whatever it had when it could.
  if (Error Reason = checkCompilable(*Settings.Compilations, File, *FS))
    return failedUnit(File, std::move(Reason));

  std::unique_ptr<ClangTidyOptionsProvider> Provider =
      Settings.MakeOptionsProvider(FS);
  std::string CacheKey;
  if (Settings.Cache) {
    CacheKey = ResultCache::withImports(
        Settings.Cache->keyFor(*Settings.Compilations, File, *Provider,
                               Settings.ApplyAnyFix),
        Imported);
    if (std::optional<TranslationUnitResult> Hit =
            Settings.Cache->lookup(CacheKey)) {
      Hit->File = File;
      Hit->FromCache = true;
      Hit->Imported = Imported;
      return std::move(*Hit);
    }
  }

  std::unique_ptr<ClangTidyContext> Context =
      compat::makeContext(std::move(Provider));
  tooling::ClangTool Tool(*Settings.Compilations, {File},
                          std::make_shared<PCHContainerOperations>(), FS);
  Tool.appendArgumentsAdjuster(compat::configuredArgumentsAdjuster(*Context));
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());

  UnitDiagnosticConsumer Diagnostics(*Context,
                                     /*RemoveIncompatible=*/true,
                                     Settings.ApplyAnyFix);
  std::unique_ptr<DiagnosticsEngine> Engine =
      compat::attachDiagnosticsEngine(*Context, Diagnostics);
  Tool.setDiagnosticConsumer(&Diagnostics);

  TidyActionFactory Factory(*Context, FS, Diagnostics, Result.Findings,
                            Settings.Quiet);
  {
    // The checks read Imported and fill Result.Summary (on this thread).
    SummaryExchange Exchange{
        Imported, Settings.CrossUnitSummaries ? &Result.Summary : nullptr};
    ScopedSummaryExchange InThisThread(Exchange);
    Tool.run(&Factory);
  }
  // Whatever did not come from a parsed unit (a driver error, an unreadable
  // file) is still in the consumer.
  for (ClangTidyError &Error : Diagnostics.take())
    Result.Findings.push_back({std::move(Error), ""});

  Result.Stats = Context->getStats();
  Result.FilesRead = Recorder->openedFiles();
  Result.FilesAbsent = Recorder->absentPaths();
  Result.CompileFailed =
      any_of(Result.Findings,
             [](const Finding &F) { return isCompileFailure(F.Error); }) ||
      Result.FilesRead.empty();
  // A unit that failed may have failed for a file that is missing now and
  // present later: its inputs are not known, so it is never cached.
  if (Settings.Cache && !Result.CompileFailed)
    Settings.Cache->store(CacheKey, Result);
  Engine.reset();
  return Result;
}

std::string formatDuration(std::chrono::seconds Seconds) {
  long Total = Seconds.count();
  std::string Text;
  raw_string_ostream OS(Text);
  if (Total >= 3600)
    OS << Total / 3600 << ":" << format("%02ld", (Total % 3600) / 60);
  else
    OS << Total / 60;
  OS << ":" << format("%02ld", Total % 60);
  return Text;
}

/// `[37/412] src/x.cpp  0:41 elapsed, ~1:10 left`, redrawn in place on a
/// terminal; nothing at all when stderr is a pipe or a file (CI logs).
class ProgressLine {
public:
  ProgressLine(bool Enabled, size_t Total)
      : Enabled(Enabled), Total(Total),
        Start(std::chrono::steady_clock::now()) {
    SmallString<256> Here;
    if (!sys::fs::current_path(Here)) {
      sys::path::append(Here, "");
      WorkingDirectory = std::string(Here);
    }
  }

  void finished(StringRef File) {
    if (!Enabled)
      return;
    std::lock_guard<std::mutex> Lock(Mutex);
    ++Done;
    auto Elapsed = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now() - Start);
    auto Left = std::chrono::seconds(
        Done ? Elapsed.count() * (Total - Done) / Done : 0);
    std::string Line;
    raw_string_ostream OS(Line);
    // Paths below the working directory are shown relative to it.
    if (!WorkingDirectory.empty())
      File.consume_front(WorkingDirectory);
    OS << "[" << Done << "/" << Total << "] " << File << "  "
       << formatDuration(Elapsed) << " elapsed, ~" << formatDuration(Left)
       << " left";
    errs() << "\r\033[K" << Line;
    errs().flush();
  }

  ~ProgressLine() {
    if (Enabled && Done)
      errs() << "\r\033[K";
  }

private:
  bool Enabled;
  size_t Total;
  size_t Done = 0;
  std::chrono::steady_clock::time_point Start;
  std::string WorkingDirectory;
  std::mutex Mutex;
};

} // namespace

/// Analyses Files[I] with Imports[I], for each I in Which, Jobs at a time.
static void analyseSome(const RunSettings &Settings,
                        ArrayRef<std::string> Files, ArrayRef<size_t> Which,
                        ArrayRef<std::vector<SummaryEntry>> Imports,
                        std::vector<TranslationUnitResult> &Results) {
  ProgressLine Progress(Settings.ShowProgress, Which.size());
  // No LLVM version difference here: DefaultThreadPool and
  // hardware_concurrency(N) are the same in 19 and 22.
  unsigned Jobs = Settings.Jobs ? Settings.Jobs
                                : hardware_concurrency().compute_thread_count();
  if (Jobs <= 1 || Which.size() <= 1) {
    for (size_t I : Which) {
      Results[I] = analyseOne(Settings, Files[I], Imports[I]);
      Progress.finished(Files[I]);
    }
    return;
  }
  DefaultThreadPool Pool(hardware_concurrency(Jobs));
  for (size_t I : Which)
    Pool.async([&, I] {
      Results[I] = analyseOne(Settings, Files[I], Imports[I]);
      Progress.finished(Files[I]);
    });
  Pool.wait();
}

std::vector<SummaryEntry>
mergedSummaries(ArrayRef<TranslationUnitResult> Units) {
  std::vector<UnitSummary> Summaries;
  for (const TranslationUnitResult &Unit : Units)
    Summaries.push_back(Unit.Summary);
  return mergeSummaries(Summaries);
}

/// Rounds of "again with the others' summaries" after the first: a chain of
/// wrappers across units needs one round per link.
constexpr unsigned MaxSummaryRounds = 4;

std::vector<TranslationUnitResult> analyseAll(const RunSettings &Settings,
                                              ArrayRef<std::string> Files) {
  std::vector<TranslationUnitResult> Results(Files.size());
  std::vector<std::vector<SummaryEntry>> Imports(Files.size());
  std::vector<size_t> Which(Files.size());
  for (size_t I = 0; I < Files.size(); ++I)
    Which[I] = I;
  analyseSome(Settings, Files, Which, Imports, Results);
  // Each round is computed from the whole previous one: the same units are
  // analysed again with the same entries whatever the order or -j.
  unsigned Rounds = Settings.CrossUnitSummaries ? MaxSummaryRounds : 0;
  for (unsigned Round = 0; Round < Rounds; ++Round) {
    std::vector<SummaryEntry> Merged = mergedSummaries(Results);
    Which.clear();
    for (size_t I = 0; I < Files.size(); ++I) {
      if (Results[I].CompileFailed)
        continue;
      std::vector<SummaryEntry> Wanted =
          entriesFor(Merged, Results[I].Summary.Unresolved);
      if (Wanted != Results[I].Imported) {
        Imports[I] = std::move(Wanted);
        Which.push_back(I);
      }
    }
    if (Which.empty())
      break;
    analyseSome(Settings, Files, Which, Imports, Results);
  }
  return Results;
}

Expected<IntrusiveRefCntPtr<vfs::OverlayFileSystem>>
createBaseFS(IntrusiveRefCntPtr<vfs::FileSystem> Base, StringRef VfsOverlay) {
  IntrusiveRefCntPtr<vfs::OverlayFileSystem> BaseFS(
      new vfs::OverlayFileSystem(Base));
  if (VfsOverlay.empty())
    return BaseFS;
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer =
      BaseFS->getBufferForFile(VfsOverlay);
  if (!Buffer)
    return createStringError(
        Buffer.getError(), "cannot read --vfsoverlay '%s': %s",
        VfsOverlay.str().c_str(), Buffer.getError().message().c_str());
  if (Error Deep = checkNestingDepth(
          (*Buffer)->getBuffer(), ("--vfsoverlay '" + VfsOverlay + "'").str()))
    return Deep;
  IntrusiveRefCntPtr<vfs::FileSystem> Overlay = vfs::getVFSFromYAML(
      std::move(*Buffer), nullptr, VfsOverlay, nullptr, Base);
  if (!Overlay)
    return createStringError(std::errc::invalid_argument,
                             "invalid --vfsoverlay '%s'",
                             VfsOverlay.str().c_str());
  BaseFS->pushOverlay(std::move(Overlay));
  return BaseFS;
}

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

} // namespace peer::tool
