// explore/cli.h - peer-explore's command line and schedule-file parsing, as
// pure functions (no I/O, no exceptions, bounded work) so that main() and a
// libFuzzer target (explore/fuzz_cli.cpp) call the same code.
//
// Every numeric flag has a stated range; a value outside it, or one that is
// not a number, is an error naming the flag (peer-explore exits 2), never a
// silent wrap. Scenario and variant names are checked by main() against its
// table, not here.
#ifndef PEER_EXPLORE_CLI_H
#define PEER_EXPLORE_CLI_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "explore/explorer.h"

namespace peer::explore::cli {

// Limits on what peer-explore accepts.
inline constexpr std::uint64_t kMaxSteps = 1'000'000;        // --max-steps, and choices in a schedule
inline constexpr std::uint64_t kMaxPreemptions = 1'000'000;  // --max-preemptions
inline constexpr std::uint64_t kMaxFaults = 1'000;           // --faults
inline constexpr std::uint64_t kMaxRuns = 1'000'000'000'000; // --random
inline constexpr std::uint64_t kMaxPctDepth = 1'000;         // --pct
inline constexpr std::uint64_t kMaxWorkers = 256;            // -j
inline constexpr std::uint64_t kMaxSplit = 1'000'000;        // --split
inline constexpr std::size_t kMaxReplayFileBytes = 16u << 20;  // --replay-from

struct Options {
  std::string scenario;  // empty: not given
  std::optional<std::string> variant;
  Bounds bounds;
  std::optional<std::uint64_t> random_runs;
  std::uint64_t seed = 0;
  bool seed_given = false;
  int pct = 0;
  bool first_only = false;
  bool suspend = false;
  // The reductions of the exhaustive search (--strategy, --no-sleep-sets,
  // --no-dpor): optimal DPOR by default; it needs the other two.
  bool sleep_sets = true;
  bool dpor = true;
  bool optimal = true;
  // -j N: threads for the exhaustive search; optimal DPOR and the search
  // without DPOR (--strategy sleep or none, or a preemption bound) split.
  unsigned workers = 1;
  // --split N: the units optimal DPOR over the whole space is split into
  // (ExploreOptions::split_units); 0: not split (one thread).
  unsigned split_units = ExploreOptions{}.split_units;
  bool list = false;
  bool help = false;
  std::optional<std::string> replay_text;
  std::optional<std::string> replay_file;
  // --traces FILE: the exhaustive search writes each partial-order trace it
  // reached (a diagnostic: do two strategies reach the same traces?).
  std::optional<std::string> traces_file;
};

struct Error {
  std::string message;  // without the "peer-explore: " prefix
};

// args: argv[1..argc). Checks syntax, ranges and flag combinations.
std::variant<Options, Error> parse_arguments(const std::vector<std::string>& args);

// A decimal number in [min, max]; nullopt if malformed or out of range.
std::optional<std::uint64_t> parse_number(std::string_view text, std::uint64_t min, std::uint64_t max);

// The schedule as written ("1.2.k3.5"), at most kMaxSteps choices. On
// failure, why says what is wrong (quoting at most the first 60 characters).
std::optional<std::vector<Choice>> parse_schedule(std::string_view text, std::string* why);

// The text after the first line that starts with "schedule: ", in the
// contents of a file peer-explore printed.
std::optional<std::string> find_schedule_line(std::string_view contents);

// Reads at most limit bytes of path (a file, a pipe, a device): an error if
// it cannot be read or holds more (so /dev/zero fails at once).
std::variant<std::string, Error> read_bounded(const std::string& path, std::size_t limit);

}  // namespace peer::explore::cli

#endif  // PEER_EXPLORE_CLI_H
