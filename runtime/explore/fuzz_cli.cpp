// fuzz_cli.cpp - libFuzzer target for peer-explore's argument and schedule
// parsers (issue 12, "Fuzzing in the repository" (d)). Not built by default:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined \
//     -Iruntime -Iruntime/include -Iinclude runtime/explore/fuzz_cli.cpp runtime/explore/cli.cpp
// The input is split at NUL bytes into an argument vector; the whole input is
// also read as a schedule and as the contents of a --replay-from file. Seeds:
// the RUN lines of test/explore/*.test and the schedules they print.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "explore/cli.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace peer::explore;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  std::vector<std::string> args;
  std::size_t at = 0;
  while (at <= text.size() && args.size() < 64) {
    std::size_t end = text.find('\0', at);
    args.emplace_back(text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  auto parsed = cli::parse_arguments(args);
  if (auto* options = std::get_if<cli::Options>(&parsed)) {
    // Whatever was accepted is within the stated ranges.
    const Bounds& b = options->bounds;
    if (b.max_steps < 1 || static_cast<std::uint64_t>(b.max_steps) > cli::kMaxSteps) __builtin_trap();
    if (b.max_faults < 0 || b.max_preemptions < -1 || options->pct < 0) __builtin_trap();
    if (options->random_runs && *options->random_runs > cli::kMaxRuns) __builtin_trap();
    if (options->replay_text) (void)cli::parse_schedule(*options->replay_text, nullptr);
  } else if (std::get<cli::Error>(parsed).message.empty()) {
    __builtin_trap();  // every error says what is wrong
  }

  std::string why;
  auto schedule = cli::parse_schedule(text, &why);
  if (schedule) {
    if (schedule->size() > cli::kMaxSteps) __builtin_trap();
    for (const Choice& c : *schedule) {
      bool pidless = c.kind == Choice::Kind::wait || c.kind == Choice::Kind::no_fault;
      if (c.pid.is_nil() != pidless) __builtin_trap();  // only a wait ("w") and no fault ("n") have no pid
    }
  } else if (why.empty()) {
    __builtin_trap();
  }
  if (auto line = cli::find_schedule_line(text)) (void)cli::parse_schedule(*line, nullptr);
  return 0;
}
