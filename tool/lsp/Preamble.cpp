//===- Preamble.cpp - the checks over a reused preamble -------------------===//
#include "Preamble.h"

#include "ClangTidyModule.h"
#include "Compat.h"

#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/Preprocessor.h"
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
                                         PrecompiledPreamble P,
                                         StringSet<> Spelt) {
  for (auto It = Entries.begin(); It != Entries.end(); ++It)
    if (It->File == File) {
      Entries.erase(It);
      break;
    }
  Entries.push_front(
      Entry{std::move(File), std::move(Key), std::move(P), std::move(Spelt)});
  while (Entries.size() > Capacity)
    Entries.pop_back();
  return Entries.front();
}

/// A call whose callee depends on the instantiation, by name.
static bool callsByDependentName(const Stmt *S) {
  if (!S)
    return false;
  if (isa<UnresolvedLookupExpr, CXXDependentScopeMemberExpr,
          UnresolvedMemberExpr>(S))
    return true;
  for (const Stmt *Child : S->children())
    if (callsByDependentName(Child))
      return true;
  return false;
}

/// A main-file function template whose instantiations the checks analyse
/// and that code in the preamble may instantiate (over a preamble whose
/// system bodies are skipped, those instantiations are missing). The checks
/// analyse a template as written unless its body calls a role by a name
/// that depends on the instantiation (PeerCheck.cpp's FunctionCollector):
/// here, any name. Code in the preamble may instantiate it when its name is
/// an identifier the preamble's headers spell (Spelt: an unqualified call
/// finds it by argument-dependent lookup, a member call by name), or when
/// it has no plain name (constructors, operators, conversions). Only the
/// main file's declarations are looked at (never loading a header's from
/// the preamble).
static bool instantiableFromPreamble(const DeclContext *DC,
                                     const StringSet<> &Spelt,
                                     const SourceManager &SM) {
  for (const Decl *D : DC->decls()) {
    if (!SM.isInMainFile(SM.getExpansionLoc(D->getLocation())))
      continue;
    if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(D)) {
      DeclarationName Name = FTD->getDeclName();
      const FunctionDecl *Pattern = FTD->getTemplatedDecl();
      if (!Pattern->doesThisDeclarationHaveABody() ||
          !callsByDependentName(Pattern->getBody()))
        continue;
      if (!Name.isIdentifier() ||
          Spelt.contains(Name.getAsIdentifierInfo()->getName()))
        return true;
    } else if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D)) {
      if (instantiableFromPreamble(CTD->getTemplatedDecl(), Spelt, SM))
        return true;
    } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
      if (!RD->isLambda() && instantiableFromPreamble(RD, Spelt, SM))
        return true;
    } else if (isa<NamespaceDecl, LinkageSpecDecl, ExportDecl>(D)) {
      if (instantiableFromPreamble(cast<DeclContext>(D), Spelt, SM))
        return true;
    }
  }
  return false;
}

/// The checks' consumer over a preamble. Before they walk the unit: the
/// declarations of the unit's top level are the main file's and those
/// already read from the preamble. Walking the unit would otherwise read
/// every declaration of every header back from the preamble (most of what
/// the preamble saves). The checks report in the main file only, and what
/// they look up in the headers (a callee, its body, its annotations) is
/// still read on demand. Over a preamble without the system headers'
/// bodies, a main-file function template they may instantiate stops it
/// before the checks run (the caller parses again over a whole preamble).
class OverPreambleConsumer : public MultiplexConsumer {
public:
  OverPreambleConsumer(std::vector<std::unique_ptr<ASTConsumer>> Checks,
                       bool SkippedBodies, const StringSet<> &Spelt,
                       bool &NeedsBodies)
      : MultiplexConsumer(std::move(Checks)), SkippedBodies(SkippedBodies),
        Spelt(Spelt), NeedsBodies(NeedsBodies) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
    TU->setHasExternalLexicalStorage(false);
    NeedsBodies = instantiableFromPreamble(TU, Spelt, Ctx.getSourceManager());
    if (SkippedBodies && NeedsBodies)
      return;
    MultiplexConsumer::HandleTranslationUnit(Ctx);
  }

private:
  bool SkippedBodies;
  const StringSet<> &Spelt;
  bool &NeedsBodies;
};

/// As clangd's preambles, ours skip function bodies, but only those of
/// system headers (the checks look into the bodies of the user's own
/// headers' functions: wrappers, callees), and not std::make_unique's and
/// std::make_shared's (they are read for the constructor they reach). The
/// main file's calls then instantiate no system template's body, which is
/// most of what its parse over the preamble costs. Clang keeps the bodies
/// it must (constexpr functions, deduced return types).
class SkipSystemBodies : public PreambleCallbacks {
public:
  /// Every identifier the preamble's code spells, skipped bodies included.
  StringSet<> Spelt;

private:
  void AfterExecute(CompilerInstance &CI) override {
    for (const auto &Entry : CI.getPreprocessor().getIdentifierTable())
      Spelt.insert(Entry.getKey());
  }
  bool shouldSkipFunctionBody(Decl *D) override {
    const SourceManager &SM = D->getASTContext().getSourceManager();
    if (!SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return false;
    const FunctionDecl *FD = D->getAsFunction();
    return !(
        FD && FD->isInStdNamespace() && FD->getDeclName().isIdentifier() &&
        (FD->getName() == "make_unique" || FD->getName() == "make_shared"));
  }
};

/// runClangTidy's action (the checks' AST consumer), over a preamble.
class PreambleAction : public tooling::FrontendActionFactory {
public:
  PreambleAction(ClangTidyContext &Context,
                 IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS,
                 PreambleCache &Cache, StringRef Key, bool SkipBodies)
      : Checks(Context, std::move(FS)), Cache(Cache), Key(Key),
        SkipBodies(SkipBodies) {}

  std::unique_ptr<FrontendAction> create() override {
    struct Action : ASTFrontendAction {
      Action(ClangTidyASTConsumerFactory &Checks, PreambleAction &Factory)
          : Checks(Checks), Factory(Factory) {}
      std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                     StringRef File) override {
        std::unique_ptr<ASTConsumer> Tidy = Checks.createASTConsumer(CI, File);
        if (!Factory.OverPreamble)
          return Tidy;
        std::vector<std::unique_ptr<ASTConsumer>> Inner;
        Inner.push_back(std::move(Tidy));
        return std::make_unique<OverPreambleConsumer>(
            std::move(Inner), Factory.SkipBodies, *Factory.Spelt,
            Factory.NeedsBodies);
      }
      ClangTidyASTConsumerFactory &Checks;
      PreambleAction &Factory;
    };
    return std::make_unique<Action>(Checks, *this);
  }

  /// The unit has a main-file function template that the preamble's code
  /// may instantiate (OverPreambleConsumer).
  bool needsBodies() const { return NeedsBodies; }

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
      return FrontendActionFactory::runInvocation(
          Invocation, Files, PCHContainerOps, DiagConsumer);

    PreambleBounds Bounds = ComputePreambleBounds(
        Invocation->getLangOpts(), Main->getMemBufferRef(), /*MaxLines=*/0);
    std::string File = Frontend.Inputs[0].getFile().str();
    // A preamble with the system bodies and one without are two entries.
    std::string Slot = SkipBodies ? File : File + "\n(with system bodies)";
    // Everything the invocation says, and what the caller adds: a preamble
    // built for other flags or other open buffers is not reused.
    std::string EntryKey = join(Invocation->getCC1CommandLine(), "\n");
    EntryKey += "\n--\n";
    EntryKey += Key;
    PreambleCache::Entry *E = Cache.find(Slot, EntryKey);
    if (E && E->Preamble.CanReuse(*Invocation, Main->getMemBufferRef(), Bounds,
                                  *VFS)) {
      Cache.LastUse = PreambleCache::Reused;
    } else {
      CompilerInvocation ForPreamble(*Invocation);
      ForPreamble.getFrontendOpts().SkipFunctionBodies = SkipBodies;
      SkipSystemBodies Callbacks;
      ErrorOr<PrecompiledPreamble> Built = compat::buildPreamble(
          ForPreamble, *Main, Bounds, VFS, PCHContainerOps, Callbacks);
      if (!Built) // the file is parsed whole
        return FrontendActionFactory::runInvocation(
            Invocation, Files, PCHContainerOps, DiagConsumer);
      E = &Cache.add(std::move(Slot), std::move(EntryKey), std::move(*Built),
                     std::move(Callbacks.Spelt));
      Cache.LastUse = PreambleCache::Built;
    }
    // The invocation now reads the preamble from the PCH (which VFS now
    // serves) and the main file from Main, past the preamble's bytes.
    E->Preamble.AddImplicitPreamble(*Invocation, VFS, Main.get());
    Invocation->getPreprocessorOpts().RetainRemappedFileBuffers = true; // ours
    OverPreamble = true;
    Spelt = &E->Spelt;
    // (Reference-counted: the compiler instance holds it too.)
    auto WithPreamble =
        makeIntrusiveRefCnt<FileManager>(Files->getFileSystemOpts(), VFS);
    return FrontendActionFactory::runInvocation(Invocation, WithPreamble.get(),
                                                PCHContainerOps, DiagConsumer);
  }

private:
  ClangTidyASTConsumerFactory Checks;
  PreambleCache &Cache;
  std::string Key;
  bool SkipBodies;
  bool OverPreamble = false;
  const StringSet<> *Spelt = nullptr; // the preamble's (E's)
  bool NeedsBodies = false;
};

std::vector<ClangTidyError> PreambleCache::run(
    ClangTidyContext &Context, const tooling::CompilationDatabase &Compilations,
    StringRef File, IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS,
    StringRef Key) {
  auto Attempt = [&](bool SkipBodies, bool &NeedsBodies) {
    LastUse = Unused;
    LastSkippedBodies = SkipBodies;
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
    PreambleAction Factory(Context, FS, *this, Key, SkipBodies);
    Tool.run(&Factory);
    NeedsBodies = Factory.needsBodies();
    std::vector<ClangTidyError> Errors = Diagnostics.take();
    Engine.reset();
    return Errors;
  };
  // Without the system bodies first, unless the file needed them last time.
  bool NeedsBodies = false;
  std::vector<ClangTidyError> Errors;
  if (!WithBodies.count(File.str())) {
    Errors = Attempt(/*SkipBodies=*/true, NeedsBodies);
    if (!NeedsBodies)
      return Errors;
    WithBodies.insert(File.str());
    // Its preamble without the bodies is of no further use.
    Entries.remove_if([&](const Entry &E) { return E.File == File; });
  }
  Errors = Attempt(/*SkipBodies=*/false, NeedsBodies);
  if (!NeedsBodies && LastUse != Unused)
    WithBodies.erase(File.str()); // the next analysis tries without again
  return Errors;
}

} // namespace peer::lsp
