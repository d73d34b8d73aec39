//===- Runner.h - analysing translation units in parallel -------*- C++ -*-===//
//
// peer-tidy analyses each translation unit on its own, with its own
// ClangTidyContext, so that units can run on a thread pool inside one process
// and so that each unit's results can be cached and replayed on their own.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_RUNNER_H
#define PEER_TIDY_RUNNER_H

#include "ClangTidy.h"
#include "ClangTidyDiagnosticConsumer.h"
#include "analysis/Summaries.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace peer::tool {

class ResultCache;

/// One diagnostic of the engine, plus what only the AST can tell and the
/// reports need later: the qualified name of the function it sits in.
struct Finding {
  clang::tidy::ClangTidyError Error;
  std::string EnclosingFunction;
};

struct TranslationUnitResult {
  std::string File;
  std::vector<Finding> Findings;
  clang::tidy::ClangTidyStats Stats;
  /// Absolute paths of every file the compiler opened for this unit.
  std::vector<std::string> FilesRead;
  /// Absolute paths the compiler (driver, include search, __has_include)
  /// probed and did not find.
  std::vector<std::string> FilesAbsent;
  /// What this unit's functions do, for the others; and the entries of the
  /// others' summaries it was analysed with.
  UnitSummary Summary;
  std::vector<SummaryEntry> Imported;
  bool CompileFailed = false;
  bool FromCache = false;
};

/// Makes a fresh options provider: the engine's providers cache per
/// directory without locking, so each unit gets its own. It reads through
/// the unit's file system: while the unit compiles, that one's working
/// directory is the compile command's, against which a relative "file" of
/// the database is found (and its .clang-tidy with it), as in clang-tidy.
using OptionsProviderFactory =
    std::function<std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>(
        llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> UnitFS)>;

/// Builds the file system a unit is compiled through (the real one, with the
/// --vfsoverlay if any, over Base). Called once per unit, from its worker.
using FileSystemFactory =
    std::function<llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem>(
        llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Base)>;

struct RunSettings {
  const clang::tooling::CompilationDatabase *Compilations = nullptr;
  OptionsProviderFactory MakeOptionsProvider;
  FileSystemFactory MakeFileSystem;
  unsigned Jobs = 0; ///< 0: one per hardware thread.
  bool ApplyAnyFix = false;
  bool Quiet = false;
  bool ShowProgress = false;
  ResultCache *Cache = nullptr;
  /// Analyse units again with the summaries of the others (Summaries.h).
  bool CrossUnitSummaries = true;
};

/// The units' summaries merged (Summaries.h, mergeSummaries).
std::vector<SummaryEntry>
mergedSummaries(llvm::ArrayRef<TranslationUnitResult> Units);

/// A compile error (not a peer-* finding, not a configuration problem).
bool isCompileFailure(const clang::tidy::ClangTidyError &Error);

/// Analyses every file, Settings.Jobs at a time, then again each unit that
/// calls a function another unit's summary gives a role (until nothing
/// changes: the result is that of one analysis with every summary known,
/// whatever the order or the number of jobs). Results come back in the
/// order of Files, whatever order the workers finished in.
std::vector<TranslationUnitResult>
analyseAll(const RunSettings &Settings, llvm::ArrayRef<std::string> Files);

/// The file system units are compiled through: Base (the real one), with
/// the --vfsoverlay file VfsOverlay (if any) on top.
llvm::Expected<llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem>>
createBaseFS(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Base,
             llvm::StringRef VfsOverlay);

/// The compilation database in (or above) BuildPath, for -p with no files:
/// CommonOptionsParser loads none then, and peer-tidy takes all its files.
llvm::Expected<std::unique_ptr<clang::tooling::CompilationDatabase>>
loadWholeDatabase(llvm::StringRef BuildPath);

} // namespace peer::tool

#endif
