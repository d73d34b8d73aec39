//===- Compat.h - the one place where LLVM versions differ ------*- C++ -*-===//
//
// peer-tidy builds against LLVM 19 and 22 from one tree. Every API difference
// between the supported versions is absorbed here, so no other file carries a
// version #if.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_COMPAT_H
#define PEER_TIDY_COMPAT_H

#include "ClangTidy.h"
#include "ClangTidyDiagnosticConsumer.h"
#include "ClangTidyOptions.h"
#include "llvm/Config/llvm-config.h"
#include <memory>

namespace peer::compat {

namespace tidy = clang::tidy;

inline constexpr unsigned LLVMMajor = LLVM_VERSION_MAJOR;

inline std::vector<std::string>
enabledChecks(const tidy::ClangTidyOptions &Options) {
#if LLVM_VERSION_MAJOR >= 21
  return tidy::getCheckNames(Options, /*AllowEnablingAnalyzerAlphaCheckers=*/false,
                             /*ExperimentalCustomChecks=*/false);
#else
  return tidy::getCheckNames(Options, /*AllowEnablingAnalyzerAlphaCheckers=*/false);
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
          bool ApplyAnyFix, bool Quiet) {
#if LLVM_VERSION_MAJOR >= 21
  return tidy::runClangTidy(Context, Compilations, Files, std::move(BaseFS),
                            ApplyAnyFix, false, {}, Quiet);
#else
  (void)Quiet;
  return tidy::runClangTidy(Context, Compilations, Files, std::move(BaseFS),
                            ApplyAnyFix);
#endif
}

} // namespace peer::compat

#endif
