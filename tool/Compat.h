//===- Compat.h - the one place where LLVM versions differ ------*- C++ -*-===//
//
// peer-tidy builds against LLVM 19 and 22 from one tree. Every API difference
// between the supported versions is absorbed here, so no other file carries a
// version #if (but checks/TidyModuleRegistry.h, for the checks library, which
// does not depend on the tool).
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_COMPAT_H
#define PEER_TIDY_COMPAT_H

#include "ClangTidy.h"
#include "ClangTidyDiagnosticConsumer.h"
#include "ClangTidyOptions.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <memory>

namespace peer::compat {

namespace tidy = clang::tidy;

inline constexpr unsigned LLVMMajor = LLVM_VERSION_MAJOR;

/// clang-tidy's own defaults with no configuration, which live in its main
/// (ClangTidyMain.cpp), not in ClangTidyOptions::getDefaults(): as
/// `clang-tidy-N --dump-config` prints them in an empty directory.
#if LLVM_VERSION_MAJOR >= 22
inline constexpr const char *UpstreamDefaultChecks = "clang-diagnostic-*";
inline constexpr const char *UpstreamDefaultHeaderFilter = ".*";
#else
inline constexpr const char *UpstreamDefaultChecks =
    "clang-diagnostic-*,clang-analyzer-*";
inline constexpr const char *UpstreamDefaultHeaderFilter = "";
#endif

inline std::vector<std::string>
enabledChecks(const tidy::ClangTidyOptions &Options) {
#if LLVM_VERSION_MAJOR >= 21
  return tidy::getCheckNames(Options,
                             /*AllowEnablingAnalyzerAlphaCheckers=*/false,
                             /*ExperimentalCustomChecks=*/false);
#else
  return tidy::getCheckNames(Options,
                             /*AllowEnablingAnalyzerAlphaCheckers=*/false);
#endif
}

inline tidy::ClangTidyOptions::OptionMap
enabledCheckOptions(const tidy::ClangTidyOptions &Options) {
#if LLVM_VERSION_MAJOR >= 21
  return tidy::getCheckOptions(Options, false, false);
#else
  return tidy::getCheckOptions(Options, false);
#endif
}

/// Every registered check name and every option those checks read.
struct KnownChecksAndOptions {
  llvm::StringSet<> Checks;
  llvm::StringSet<> Options;
};
inline KnownChecksAndOptions allChecksAndOptions() {
#if LLVM_VERSION_MAJOR >= 21
  auto All = tidy::getAllChecksAndOptions(false, false);
  return {std::move(All.Checks), std::move(All.Options)};
#else
  auto All = tidy::getAllChecksAndOptions(false);
  return {std::move(All.Names), std::move(All.Options)};
#endif
}

inline std::unique_ptr<tidy::ClangTidyContext>
makeContext(std::unique_ptr<tidy::ClangTidyOptionsProvider> Provider) {
#if LLVM_VERSION_MAJOR >= 21
  return std::make_unique<tidy::ClangTidyContext>(std::move(Provider), false,
                                                  false, false);
#else
  return std::make_unique<tidy::ClangTidyContext>(std::move(Provider), false,
                                                  false);
#endif
}

inline std::vector<tidy::ClangTidyError>
runChecks(tidy::ClangTidyContext &Context,
          const clang::tooling::CompilationDatabase &Compilations,
          llvm::ArrayRef<std::string> Files,
          llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> BaseFS,
          bool ApplyAnyFix, [[maybe_unused]] bool Quiet) {
#if LLVM_VERSION_MAJOR >= 21
  return tidy::runClangTidy(Context, Compilations, Files, std::move(BaseFS),
                            ApplyAnyFix, false, {}, Quiet);
#else
  return tidy::runClangTidy(Context, Compilations, Files, std::move(BaseFS),
                            ApplyAnyFix);
#endif
}

/// Path made absolute against Directory (moved from sys::fs to sys::path).
inline void makeAbsolute(const llvm::Twine &Directory,
                         llvm::SmallVectorImpl<char> &Path) {
#if LLVM_VERSION_MAJOR >= 22
  llvm::sys::path::make_absolute(Directory, Path);
#else
  llvm::sys::fs::make_absolute(Directory, Path);
#endif
}

/// Connects a context's checks to Consumer the way runClangTidy does: the
/// engine's constructor and the context's setter changed in LLVM 21 (the
/// context now owns the DiagnosticOptions). The returned engine must be
/// destroyed before Context.
inline std::unique_ptr<clang::DiagnosticsEngine>
attachDiagnosticsEngine(tidy::ClangTidyContext &Context,
                        clang::DiagnosticConsumer &Consumer) {
#if LLVM_VERSION_MAJOR >= 21
  auto Options = std::make_unique<clang::DiagnosticOptions>();
  auto Engine = std::make_unique<clang::DiagnosticsEngine>(
      clang::DiagnosticIDs::create(), *Options, &Consumer,
      /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(std::move(Options), Engine.get());
#else
  auto Engine = std::make_unique<clang::DiagnosticsEngine>(
      new clang::DiagnosticIDs(), new clang::DiagnosticOptions(), &Consumer,
      /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(Engine.get());
#endif
  return Engine;
}

/// The per-file compiler argument edits a configuration asks for, as
/// runClangTidy applies them: ExtraArgsBefore/ExtraArgs, and from LLVM 22 on
/// RemovedArgs (applied first).
inline clang::tooling::ArgumentsAdjuster
configuredArgumentsAdjuster(tidy::ClangTidyContext &Context) {
  return [&Context](const clang::tooling::CommandLineArguments &Args,
                    llvm::StringRef Filename) {
    tidy::ClangTidyOptions Opts = Context.getOptionsForFile(Filename);
    clang::tooling::CommandLineArguments Adjusted = Args;
#if LLVM_VERSION_MAJOR >= 22
    if (Opts.RemovedArgs)
      for (llvm::StringRef Remove : *Opts.RemovedArgs)
        llvm::erase(Adjusted, Remove);
#endif
    if (Opts.ExtraArgsBefore) {
      auto I = Adjusted.begin();
      if (I != Adjusted.end() && !llvm::StringRef(*I).starts_with("-"))
        ++I; // Skip the compiler's name.
      Adjusted.insert(I, Opts.ExtraArgsBefore->begin(),
                      Opts.ExtraArgsBefore->end());
    }
    if (Opts.ExtraArgs)
      Adjusted.insert(Adjusted.end(), Opts.ExtraArgs->begin(),
                      Opts.ExtraArgs->end());
    return Adjusted;
  };
}

/// A PrecompiledPreamble (kept in memory) of the region Bounds of Main, as
/// Invocation compiles it; its own diagnostics are dropped; Callbacks see
/// its parse (and choose the function bodies it skips). The diagnostics
/// engine's construction and Build's parameter for it changed in LLVM 20-21.
inline llvm::ErrorOr<clang::PrecompiledPreamble>
buildPreamble(const clang::CompilerInvocation &Invocation,
              const llvm::MemoryBuffer &Main, clang::PreambleBounds Bounds,
              llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> VFS,
              std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
              clang::PreambleCallbacks &Callbacks) {
#if LLVM_VERSION_MAJOR >= 22
  clang::DiagnosticOptions Options;
  llvm::IntrusiveRefCntPtr<clang::DiagnosticsEngine> Diagnostics =
      clang::CompilerInstance::createDiagnostics(
          *VFS, Options, new clang::IgnoringDiagConsumer,
          /*ShouldOwnClient=*/true);
  return clang::PrecompiledPreamble::Build(
      Invocation, &Main, Bounds, Diagnostics, VFS, std::move(PCHContainerOps),
      /*StoreInMemory=*/true, /*StoragePath=*/"", Callbacks);
#else
  llvm::IntrusiveRefCntPtr<clang::DiagnosticsEngine> Diagnostics =
      clang::CompilerInstance::createDiagnostics(
          new clang::DiagnosticOptions, new clang::IgnoringDiagConsumer,
          /*ShouldOwnClient=*/true);
  return clang::PrecompiledPreamble::Build(
      Invocation, &Main, Bounds, *Diagnostics, VFS, std::move(PCHContainerOps),
      /*StoreInMemory=*/true, /*StoragePath=*/"", Callbacks);
#endif
}

} // namespace peer::compat

#endif
