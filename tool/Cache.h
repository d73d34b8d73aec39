//===- Cache.h - results of unchanged translation units ---------*- C++ -*-===//
//
// --cache-dir: a unit whose inputs are all unchanged is not analysed again;
// its findings are replayed from the cache. See Cache.cpp for what the key
// covers and why it is exact. --cache-url adds a shared second level
// (RemoteCache.h).
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_CACHE_H
#define PEER_TIDY_CACHE_H

#include "Runner.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace peer::tool {

struct CacheEntry;
class RemoteCache;

/// A directory that keys and entries name relative to it, so that a checkout
/// elsewhere (another path, another machine) shares them: Role is what the
/// directory is ("repository", "database", "working-directory"), the same on
/// every machine.
struct CheckoutRoot {
  std::string Role;
  std::string Path;
};

/// Whether \p Contents (a cache file's bytes) would be replayed: its seal
/// holds, it parses whole, and its findings rebuild. For the fuzz target of
/// the entry reader; lookups use the same code.
bool isUsableCacheEntry(llvm::StringRef Contents);
/// \p Body sealed as the cache writes it (the fuzz target's way past the seal).
std::string sealedCacheEntry(llvm::StringRef Body);

class ResultCache {
public:
  /// A cache in Directory, created if missing; an error when it cannot be
  /// created or written to. An empty Directory: no local level (only the
  /// remote one, when there is one). Salt is everything outside the
  /// configuration that changes the findings (the --line-filter, ...).
  /// Paths under Roots are named relative to them in keys and entries.
  static llvm::Expected<std::unique_ptr<ResultCache>>
  open(std::string Directory, std::string Salt,
       std::vector<CheckoutRoot> Roots = {},
       std::unique_ptr<RemoteCache> Remote = nullptr);
  /// The cache of a run: the local one in Directory (--cache-dir) and the
  /// remote one at Url (--cache-url), either or both. nullptr when neither
  /// is set; an error when Url is wrong. A directory that cannot be used is
  /// one warning, and the run goes on without it (with the remote cache
  /// alone, if there is one).
  static llvm::Expected<std::unique_ptr<ResultCache>>
  openForRun(std::string Directory, std::string Url, std::string Salt,
             std::vector<CheckoutRoot> Roots);
  ~ResultCache();

  /// What is known before analysing: tool identity, compile command, the
  /// include path environment variables, effective configuration, Salt.
  std::string keyFor(const clang::tooling::CompilationDatabase &Compilations,
                     llvm::StringRef File,
                     clang::tidy::ClangTidyOptionsProvider &Options,
                     bool ApplyAnyFix);

  /// The stored result for Key, if every file it read still has the content
  /// it had when it was stored and every path it probed in vain is still
  /// absent.
  std::optional<TranslationUnitResult> lookup(llvm::StringRef Key);

  /// Key for a unit analysed with other units' summary entries: their text
  /// is part of what the result depends on.
  static std::string withImports(llvm::StringRef Key,
                                 llvm::ArrayRef<SummaryEntry> Imported);
  void store(llvm::StringRef Key, const TranslationUnitResult &Result);

  unsigned hits() const { return Hits; }
  unsigned misses() const { return Misses; }
  /// Of the hits, those replayed from the remote cache.
  unsigned remoteHits() const { return RemoteHits; }
  RemoteCache *remote() const { return Remote.get(); }

private:
  /// Text with every path under a root named relative to it (in keys and
  /// entries; Cache.cpp).
  std::string relocatable(llvm::StringRef Text) const;
  ResultCache(std::string Directory, std::string Salt,
              std::vector<CheckoutRoot> Roots,
              std::unique_ptr<RemoteCache> Remote);
  /// Whether the entry's inputs are as they were (after anchoring it here).
  bool stillValid(CacheEntry &Entry);

  /// Content hash of a file, memoised for the run (units share headers).
  std::optional<std::string> contentHash(llvm::StringRef Path);
  std::string entryPath(llvm::StringRef Key) const;
  /// Says the first write to Directory that failed, as a warning; the run
  /// goes on (and analyses again what it could not store).
  void writeFailed(llvm::Error Failure);
  /// The entry stored for Key, if it is a regular file whose seal holds.
  std::optional<CacheEntry> readEntry(llvm::StringRef Key) const;
  /// Every input the entry lists still has the content it had.
  bool inputsUnchanged(const CacheEntry &Entry);
  /// Every path the unit probed and did not find is still absent.
  bool probesStillFail(const CacheEntry &Entry);

  std::string Directory;
  std::string Salt;
  std::vector<CheckoutRoot> Roots; ///< Longest path first.
  std::unique_ptr<RemoteCache> Remote;
  std::mutex MemoMutex; ///< Guards Hashes and Existing.
  llvm::StringMap<std::optional<std::string>> Hashes;
  llvm::StringMap<bool> Existing; ///< Whether a probed path exists now.
  std::atomic<unsigned> Hits{0}, Misses{0}, RemoteHits{0};
  /// Whether a failed write to Directory was said (once a run).
  std::atomic<bool> WriteWarned{false};
};

} // namespace peer::tool

#endif
