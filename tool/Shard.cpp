//===- Shard.cpp - one of N machines' share of the translation units ------===//
//
// The assignment is rendezvous hashing with bounded loads (Mirrokni, Thorup
// and Zadimoghaddam, "Consistent Hashing with Bounded Loads", 2018), weighted
// by file size:
//
// - every unit ranks the N shards by a hash of (its key, the shard), so each
//   unit has its own preference order, independent of every other unit;
// - units are placed largest first (ties by the hash of the key, then the
//   key), each into the first shard of its ranking whose load stays within
//   Capacity = 1.25 x (total size / N); a unit larger than that goes to the
//   least loaded shard.
//
// Why this and not the obvious alternatives:
// - sorting by path and cutting into N runs of equal size is balanced but
//   unstable: adding one file early in the order shifts every boundary;
// - plain hashing (hash(key) mod N, or rendezvous without a bound) is stable
//   but only balanced on average: with a few hundred units of very different
//   sizes one machine routinely gets half as much again as another;
// - greedy "largest first into the least loaded bin" is balanced, but every
//   decision depends on all earlier ones, so one added file can cascade
//   through the whole list.
// With the bound, no shard exceeds 1.25x the mean unless a single unit does;
// and since most units get their first choice, adding, removing or resizing
// one file moves that file and at most the few that overflow because of it.
// Keys are paths relative to the -p directory, so machines with different
// checkout paths compute the same shards.
//
// The cost is the size of the main file: cheap, known before anything runs,
// and the same on every machine (the cache's timings are neither).
//
//===----------------------------------------------------------------------===//
#include "Shard.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <tuple>

using namespace llvm;

namespace peer::tool {

Expected<ShardSpec> parseShard(StringRef Text) {
  auto Bad = [&](StringRef Why) {
    return createStringError(inconvertibleErrorCode(),
                             "--shard: '%s' %s (expected K/N with 1 <= K <= "
                             "N <= %u, e.g. --shard=2/4)",
                             Text.str().c_str(), Why.str().c_str(), MaxShards);
  };
  auto [K, N] = Text.split('/');
  auto IsNumber = [](StringRef S) {
    return !S.empty() && S.size() <= 9 && all_of(S, isDigit);
  };
  if (!Text.contains('/') || !IsNumber(K) || !IsNumber(N))
    return Bad("is not of the form K/N");
  ShardSpec Spec;
  K.getAsInteger(10, Spec.Index);
  N.getAsInteger(10, Spec.Count);
  if (Spec.Count == 0 || Spec.Count > MaxShards)
    return Bad("has a number of shards out of range");
  if (Spec.Index == 0 || Spec.Index > Spec.Count)
    return Bad("names a shard that does not exist");
  return Spec;
}

std::string formatShard(ShardSpec Spec) {
  return std::to_string(Spec.Index) + "/" + std::to_string(Spec.Count);
}

std::string relativePath(StringRef Path, StringRef Base) {
  SmallVector<StringRef> P, B;
  for (auto It = sys::path::begin(Path), E = sys::path::end(Path); It != E;
       ++It)
    P.push_back(*It);
  for (auto It = sys::path::begin(Base), E = sys::path::end(Base); It != E;
       ++It)
    B.push_back(*It);
  size_t Common = 0;
  while (Common < P.size() && Common < B.size() && P[Common] == B[Common])
    ++Common;
  std::string Result;
  for (size_t I = Common; I < B.size(); ++I)
    Result += Result.empty() ? ".." : "/..";
  for (size_t I = Common; I < P.size(); ++I) {
    if (!Result.empty())
      Result += '/';
    Result += P[I];
  }
  return Result;
}

static uint64_t hashOf(StringRef Key, unsigned Salt) {
  std::string Text = Key.str();
  Text.push_back('\0');
  Text += std::to_string(Salt);
  return xxh3_64bits(ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(Text.data()), Text.size()));
}

std::vector<unsigned> assignShards(ArrayRef<ShardUnit> Units, unsigned Count) {
  std::vector<unsigned> Result(Units.size(), 0);
  if (Count <= 1)
    return Result;
  uint64_t Total = 0;
  for (const ShardUnit &U : Units)
    Total += U.Cost;
  // 1.25 x the mean load, rounded up.
  uint64_t Capacity = (Total * 5 + 4 * uint64_t(Count) - 1) / (4 * Count);

  std::vector<uint64_t> KeyHash;
  for (const ShardUnit &U : Units)
    KeyHash.push_back(hashOf(U.Key, 0));
  std::vector<size_t> Order(Units.size());
  std::iota(Order.begin(), Order.end(), 0);
  std::sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    return std::tie(Units[B].Cost, KeyHash[A], Units[A].Key) <
           std::tie(Units[A].Cost, KeyHash[B], Units[B].Key);
  });

  std::vector<uint64_t> Load(Count, 0);
  std::vector<std::pair<uint64_t, unsigned>> Ranking(Count);
  for (size_t I : Order) {
    const ShardUnit &U = Units[I];
    for (unsigned S = 0; S < Count; ++S)
      Ranking[S] = {hashOf(U.Key, S + 1), S};
    // Highest score first; shard number breaks the (improbable) ties.
    std::sort(Ranking.begin(), Ranking.end(), [](const auto &A, const auto &B) {
      return std::tie(B.first, A.second) < std::tie(A.first, B.second);
    });
    std::optional<unsigned> Chosen;
    for (const auto &[Score, S] : Ranking)
      if (Load[S] + U.Cost <= Capacity) {
        Chosen = S;
        break;
      }
    if (!Chosen) {
      Chosen = Ranking.front().second;
      for (const auto &[Score, S] : Ranking)
        if (Load[S] < Load[*Chosen])
          Chosen = S;
    }
    Load[*Chosen] += U.Cost;
    Result[I] = *Chosen;
  }
  return Result;
}

static SmallString<256> lexicallyAbsolute(StringRef Path) {
  SmallString<256> Result(Path);
  sys::fs::make_absolute(Result);
  sys::path::remove_dots(Result, /*remove_dot_dot=*/true);
  return Result;
}

std::vector<std::string> selectShard(ArrayRef<std::string> Files,
                                     StringRef BaseDirectory, ShardSpec Spec) {
  SmallString<256> Base = lexicallyAbsolute(BaseDirectory);
  std::vector<ShardUnit> Units;
  for (const std::string &File : Files) {
    SmallString<256> Absolute = lexicallyAbsolute(File);
    ShardUnit U;
    U.Key = relativePath(Absolute, Base);
    uint64_t Size = 0;
    if (!sys::fs::file_size(Absolute, Size) && Size > 0)
      U.Cost = Size;
    Units.push_back(std::move(U));
  }
  std::vector<unsigned> Shards = assignShards(Units, Spec.Count);
  std::vector<std::string> Selected;
  for (size_t I = 0; I < Files.size(); ++I)
    if (Shards[I] + 1 == Spec.Index)
      Selected.push_back(Files[I]);
  return Selected;
}

} // namespace peer::tool
