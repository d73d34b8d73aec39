//===- Shard.h - one of N machines' share of the translation units -*- C++ -*-===//
//
// --shard=K/N: a CI matrix of N jobs analyses the compilation database in N
// disjoint parts whose union is the whole, each job computing its own part
// with no coordination. Which part a unit belongs to depends only on the
// units' paths relative to a base directory (the -p directory) and their
// sizes, so jobs with different checkout paths agree. See Shard.cpp for the
// assignment and why.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_SHARD_H
#define PEER_TIDY_SHARD_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace peer::tool {

struct ShardSpec {
  unsigned Index = 0; ///< 1-based, as written: K of K/N.
  unsigned Count = 1; ///< N.
};

/// Upper bound of N: far beyond any CI matrix, small enough that ranking the
/// shards for every unit stays cheap.
inline constexpr unsigned MaxShards = 10000;

/// Parses "K/N" (1 <= K <= N <= MaxShards); the error names --shard.
llvm::Expected<ShardSpec> parseShard(llvm::StringRef Text);

/// "K/N".
std::string formatShard(ShardSpec Spec);

/// Path relative to Base (both absolute), '/'-separated, with ".." where Path
/// is not below Base.
std::string relativePath(llvm::StringRef Path, llvm::StringRef Base);

/// A unit as the assignment sees it: its key (path relative to the base
/// directory) and its cost.
struct ShardUnit {
  std::string Key;
  uint64_t Cost = 1;
};

/// The shard (0-based) of each unit, in the order given.
std::vector<unsigned> assignShards(llvm::ArrayRef<ShardUnit> Units,
                                   unsigned Count);

/// The files of Files (absolute or relative to the working directory) that
/// shard Spec analyses, in the order of Files. Costs are file sizes; keys are
/// relative to BaseDirectory.
std::vector<std::string> selectShard(llvm::ArrayRef<std::string> Files,
                                     llvm::StringRef BaseDirectory,
                                     ShardSpec Spec);

} // namespace peer::tool

#endif
