//===- Cache.h - results of unchanged translation units ---------*- C++ -*-===//
//
// --cache-dir: a unit whose inputs are all unchanged is not analysed again;
// its findings are replayed from the cache. See Cache.cpp for what the key
// covers and why it is exact.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_CACHE_H
#define PEER_TIDY_CACHE_H

#include "Runner.h"

#include "llvm/ADT/StringMap.h"

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

namespace peer::tool {

class ResultCache {
public:
  /// Directory is created if missing. Salt is everything outside the
  /// configuration that changes the findings (the --line-filter, ...).
  ResultCache(std::string Directory, std::string Salt);

  /// What is known before analysing: tool identity, compile command,
  /// effective configuration, Salt.
  std::string keyFor(const clang::tooling::CompilationDatabase &Compilations,
                     llvm::StringRef File,
                     clang::tidy::ClangTidyOptionsProvider &Options,
                     bool ApplyAnyFix);

  /// The stored result for Key, if every file it read still has the content
  /// it had when it was stored.
  std::optional<TranslationUnitResult> lookup(llvm::StringRef Key);
  void store(llvm::StringRef Key, const TranslationUnitResult &Result);

  unsigned hits() const { return Hits; }
  unsigned misses() const { return Misses; }

private:
  /// Content hash of a file, memoised for the run (units share headers).
  std::optional<std::string> contentHash(llvm::StringRef Path);
  std::string entryPath(llvm::StringRef Key) const;

  std::string Directory;
  std::string Salt;
  std::mutex HashesMutex;
  llvm::StringMap<std::optional<std::string>> Hashes;
  std::atomic<unsigned> Hits{0}, Misses{0};
};

} // namespace peer::tool

#endif
