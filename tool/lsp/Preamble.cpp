//===- Preamble.cpp - the checks over a reused preamble -------------------===//
#include "Preamble.h"

#include "Compat.h"
#include "ClangTidyModule.h"

#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;
using namespace clang;
using namespace clang::tidy;

namespace peer::lsp {

PreambleCache::Entry *PreambleCache::find(StringRef File, StringRef Key) {
  for (auto It = Entries.begin(); It != Entries.end(); ++It) {
    if (It->File != File)
      continue;
    if (It->Key != Key) {
      Entries.erase(It);
      return nullptr;
    }
    Entries.splice(Entries.begin(), Entries, It);
    return &Entries.front();
  }
  return nullptr;
}

PreambleCache::Entry &PreambleCache::add(std::string File, std::string Key,
                                         PrecompiledPreamble P) {
  for (auto It = Entries.begin(); It != Entries.end(); ++It)
    if (It->File == File) {
      Entries.erase(It);
      break;
    }
  Entries.push_front(Entry{std::move(File), std::move(Key), std::move(P)});
  while (Entries.size() > Capacity)
    Entries.pop_back();
  return Entries.front();
}

/// Before the checks walk the unit: over a preamble, the declarations of the
/// unit's top level are the main file's and those already read from the
/// preamble. Walking the unit would otherwise read every declaration of
/// every header back from the preamble (most of what the preamble saves).
/// The checks report in the main file only, and what they look up in the
/// headers (a callee, its body, its annotations) is still read on demand.
struct MainFileOnly : ASTConsumer {
  void HandleTranslationUnit(ASTContext &Ctx) override {
    Ctx.getTranslationUnitDecl()->setHasExternalLexicalStorage(false);
  }
};

/// runClangTidy's action (the checks' AST consumer), over a preamble.
class PreambleAction : public tooling::FrontendActionFactory {
public:
  PreambleAction(ClangTidyContext &Context,
                 IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS,
                 PreambleCache &Cache, StringRef Key)
      : Checks(Context, std::move(FS)), Cache(Cache), Key(Key) {}

  std::unique_ptr<FrontendAction> create() override {
    struct Action : ASTFrontendAction {
      Action(ClangTidyASTConsumerFactory &Checks, bool OverPreamble)
          : Checks(Checks), OverPreamble(OverPreamble) {}
      std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                     StringRef File) override {
        std::unique_ptr<ASTConsumer> Tidy = Checks.createASTConsumer(CI, File);
        if (!OverPreamble)
          return Tidy;
        std::vector<std::unique_ptr<ASTConsumer>> Both;
        Both.push_back(std::make_unique<MainFileOnly>());
        Both.push_back(std::move(Tidy));
        return std::make_unique<MultiplexConsumer>(std::move(Both));
      }
      ClangTidyASTConsumerFactory &Checks;
      bool OverPreamble;
    };
    return std::make_unique<Action>(Checks, OverPreamble);
  }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // As runClangTidy: checks may rely on __clang_analyzer__.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    Cache.LastUse = PreambleCache::Unused;
    OverPreamble = false;
    IntrusiveRefCntPtr<vfs::FileSystem> VFS = Files->getVirtualFileSystemPtr();
    const FrontendOptions &Frontend = Invocation->getFrontendOpts();
    std::unique_ptr<MemoryBuffer> Main;
    if (Frontend.Inputs.size() == 1 && Frontend.Inputs[0].isFile())
      if (auto Buffer = VFS->getBufferForFile(Frontend.Inputs[0].getFile()))
        Main = std::move(*Buffer);
    if (!Main) // let the compiler say what is wrong
      return FrontendActionFactory::runInvocation(Invocation, Files,
                                                  PCHContainerOps, DiagConsumer);

    PreambleBounds Bounds = ComputePreambleBounds(
        Invocation->getLangOpts(), Main->getMemBufferRef(), /*MaxLines=*/0);
    std::string File = Frontend.Inputs[0].getFile().str();
    // Everything the invocation says, and what the caller adds: a preamble
    // built for other flags or other open buffers is not reused.
    std::string EntryKey = join(Invocation->getCC1CommandLine(), "\n");
    EntryKey += "\n--\n";
    EntryKey += Key;
    PreambleCache::Entry *E = Cache.find(File, EntryKey);
    if (E && E->Preamble.CanReuse(*Invocation, Main->getMemBufferRef(), Bounds,
                                  *VFS)) {
      Cache.LastUse = PreambleCache::Reused;
    } else {
      ErrorOr<PrecompiledPreamble> Built = compat::buildPreamble(
          *Invocation, *Main, Bounds, VFS, PCHContainerOps);
      if (!Built) // the file is parsed whole
        return FrontendActionFactory::runInvocation(
            Invocation, Files, PCHContainerOps, DiagConsumer);
      E = &Cache.add(File, std::move(EntryKey), std::move(*Built));
      Cache.LastUse = PreambleCache::Built;
    }
    // The invocation now reads the preamble from the PCH (which VFS now
    // serves) and the main file from Main, past the preamble's bytes.
    E->Preamble.AddImplicitPreamble(*Invocation, VFS, Main.get());
    Invocation->getPreprocessorOpts().RetainRemappedFileBuffers = true; // ours
    OverPreamble = true;
    // (Reference-counted: the compiler instance holds it too.)
    auto WithPreamble =
        makeIntrusiveRefCnt<FileManager>(Files->getFileSystemOpts(), VFS);
    return FrontendActionFactory::runInvocation(
        Invocation, WithPreamble.get(), PCHContainerOps, DiagConsumer);
  }

private:
  ClangTidyASTConsumerFactory Checks;
  PreambleCache &Cache;
  std::string Key;
  bool OverPreamble = false;
};

std::vector<ClangTidyError>
PreambleCache::run(ClangTidyContext &Context,
                   const tooling::CompilationDatabase &Compilations,
                   StringRef File, IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS,
                   StringRef Key) {
  LastUse = Unused;
  tooling::ClangTool Tool(Compilations, {File.str()},
                          std::make_shared<PCHContainerOperations>(), FS);
  Tool.appendArgumentsAdjuster(compat::configuredArgumentsAdjuster(Context));
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());
  ClangTidyDiagnosticConsumer Diagnostics(Context, nullptr,
                                          /*RemoveIncompatibleErrors=*/true,
                                          /*GetFixesFromNotes=*/false);
  std::unique_ptr<DiagnosticsEngine> Engine =
      compat::attachDiagnosticsEngine(Context, Diagnostics);
  Tool.setDiagnosticConsumer(&Diagnostics);
  PreambleAction Factory(Context, FS, *this, Key);
  Tool.run(&Factory);
  std::vector<ClangTidyError> Errors = Diagnostics.take();
  Engine.reset();
  return Errors;
}

} // namespace peer::lsp
