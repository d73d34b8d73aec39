// peer-explore: run a scenario under every schedule (or a random sample) of
// the deterministic runtime and report invariant violations.
//
//   peer-explore SCENARIO --variant NAME [--max-preemptions N] [--max-steps N]
//                [--faults N] [--random RUNS --seed S [--pct DEPTH]]
//                [--replay SCHEDULE | --replay-from FILE] [--first] [--suspend]
//
// The whole bounded space is searched (unless --first); the counterexample
// shown is the shortest one found for the most telling invariant broken.
// Exit status: 1 when a violation was found, 0 when none, 2 on bad arguments.
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "electric/scenario.h"
#include "explore/explorer.h"

namespace {

using namespace peer;
using namespace peer::explore;

constexpr const char* kUsage =
    "usage: peer-explore SCENARIO --variant NAME [--max-preemptions N] [--max-steps N] [--faults N]\n"
    "                    [--random RUNS --seed S [--pct DEPTH]] [--replay SCHEDULE | --replay-from FILE]\n"
    "                    [--first] [--suspend] [--no-sleep-sets] [--no-dpor]\n"
    "  SCENARIO: materializer\n"
    "  variants: seed_original, electric_shipped, corrected\n";

int bad_arguments(const std::string& why) {
  std::cerr << "peer-explore: " << why << "\n" << kUsage;
  return 2;
}

bool parse_int(const char* text, long long& out) {
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, out);
  return ec == std::errc() && ptr == end;
}

std::string bounds_text(const Bounds& b) {
  return std::to_string(b.max_steps) + " steps, " +
         (b.max_preemptions < 0 ? std::string("unbounded") : std::to_string(b.max_preemptions)) + " preemptions, " +
         std::to_string(b.max_faults) + (b.max_faults == 1 ? " fault" : " faults");
}

void print_counterexample(const Violation& v, const std::vector<TraceLine>& trace, const std::vector<Choice>& schedule,
                          const std::string& replay_command) {
  std::cout << "violation: invariant " << v.invariant << ": " << v.text << "\n";
  std::cout << "trace:\n" << format_trace(trace);
  std::cout << "schedule: " << to_string(schedule) << "\n";
  std::cout << "replay: " << replay_command << " --replay " << to_string(schedule) << "\n";
}

std::optional<std::string> schedule_from_file(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("schedule: ", 0) == 0) return line.substr(10);
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario_name;
  std::optional<electric::StartupVariant> variant;
  Bounds bounds;
  long long random_runs = -1, seed = 0, pct = 0;
  bool seed_given = false, first_only = false, suspend = false, sleep_sets = true, dpor = true;
  std::optional<std::string> replay_text, replay_file;

  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* what) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)what;
      return argv[++i];
    };
    long long n = 0;
    if (arg == "--variant") {
      const char* v = value("name");
      if (!v) return bad_arguments("--variant needs a name");
      variant = electric::parse_variant(v);
      if (!variant) return bad_arguments(std::string("unknown variant '") + v + "'");
    } else if (arg == "--max-preemptions" || arg == "--max-steps" || arg == "--faults" || arg == "--random" ||
               arg == "--seed" || arg == "--pct") {
      const char* v = value("number");
      if (!v || !parse_int(v, n) || n < 0) return bad_arguments(arg + " needs a non-negative number");
      if (arg == "--max-preemptions") bounds.max_preemptions = static_cast<int>(n);
      if (arg == "--max-steps") bounds.max_steps = static_cast<int>(n);
      if (arg == "--faults") bounds.max_faults = static_cast<int>(n);
      if (arg == "--random") random_runs = n;
      if (arg == "--seed") {
        seed = n;
        seed_given = true;
      }
      if (arg == "--pct") pct = n;
    } else if (arg == "--replay") {
      const char* v = value("schedule");
      if (!v) return bad_arguments("--replay needs a schedule");
      replay_text = v;
    } else if (arg == "--replay-from") {
      const char* v = value("file");
      if (!v) return bad_arguments("--replay-from needs a file");
      replay_file = v;
    } else if (arg == "--first") {
      first_only = true;
    } else if (arg == "--suspend") {
      suspend = true;
    } else if (arg == "--no-sleep-sets") {
      sleep_sets = false;
    } else if (arg == "--no-dpor") {
      dpor = false;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      return bad_arguments("unknown option '" + arg + "'");
    } else if (scenario_name.empty()) {
      scenario_name = arg;
    } else {
      return bad_arguments("unexpected argument '" + arg + "'");
    }
  }
  if (scenario_name.empty()) return bad_arguments("missing SCENARIO");
  if (scenario_name != "materializer") return bad_arguments("unknown scenario '" + scenario_name + "'");
  if (!variant) return bad_arguments("missing --variant");
  if (seed_given && random_runs < 0) return bad_arguments("--seed goes with --random");
  if (pct > 0 && random_runs < 0) return bad_arguments("--pct goes with --random");
  if (replay_text && replay_file) return bad_arguments("give either --replay or --replay-from");

  electric::ScenarioOptions options;
  options.variant = *variant;
  options.writer_requests_suspend = suspend;
  ScenarioFactory make = electric::materializer_scenario(options);
  std::string replay_command = "peer-explore materializer --variant " + std::string(electric::variant_name(*variant));
  if (suspend) replay_command += " --suspend";

  std::cout << "peer-explore: scenario materializer, variant " << electric::variant_name(*variant) << "\n";

  if (replay_file) {
    replay_text = schedule_from_file(*replay_file);
    if (!replay_text) return bad_arguments("no 'schedule:' line in " + *replay_file);
  }
  if (replay_text) {
    auto schedule = parse_schedule(*replay_text);
    if (!schedule) return bad_arguments("malformed schedule '" + *replay_text + "'");
    auto result = replay(make, *schedule, bounds);
    if (!result) return bad_arguments("schedule does not apply to this scenario: " + *replay_text);
    std::cout << "replaying schedule of " << schedule->size() << " choices\n";
    std::cout << "schedules explored: 1, violations: " << (result->violation ? 1 : 0) << "\n";
    if (result->violation) {
      print_counterexample(*result->violation, result->trace, result->schedule, replay_command);
      return 1;
    }
    std::cout << "trace:\n" << format_trace(result->trace);
    std::cout << "schedule: " << to_string(result->schedule) << "\n";
    return 0;
  }

  ExploreOptions explore_options;
  explore_options.bounds = bounds;
  explore_options.sleep_sets = sleep_sets;
  explore_options.dpor = dpor;
  explore_options.stop_at_first = first_only;
  explore_options.progress = [](const ExploreResult& r) {
    std::cerr << "progress: " << r.schedules << " schedules, " << r.violations << " violations\n";
  };
  ExploreResult result;
  if (random_runs >= 0) {
    std::cout << (pct > 0 ? "PCT sampling (depth " + std::to_string(pct) + ")" : std::string("random sampling"))
              << ": " << random_runs << " runs, seed " << seed << "; bounds: " << bounds_text(bounds) << "\n";
    result = explore_random(make, explore_options, static_cast<std::uint64_t>(random_runs),
                            static_cast<std::uint64_t>(seed), static_cast<int>(pct));
  } else {
    bool with_dpor = dpor && bounds.max_preemptions < 0;  // DPOR needs unbounded preemptions
    std::string reductions = sleep_sets && with_dpor ? " with sleep sets and DPOR"
                             : sleep_sets            ? " with sleep sets"
                             : with_dpor             ? " with DPOR"
                                                     : "";
    std::cout << "exhaustive depth-first search" << reductions << "; bounds: " << bounds_text(bounds) << "\n";
    result = explore_exhaustive(make, explore_options);
  }
  std::cerr << "progress: done, " << result.schedules << " schedules\n";
  std::cout << "schedules explored: " << result.schedules << ", violations: " << result.violations << "\n";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", result.seconds);
  if (random_runs < 0) {
    std::cout << "search: " << (result.exhaustive ? "complete" : "stopped at the first violation") << ", "
              << result.sleep_blocked << " redundant runs cut by sleep sets, " << result.step_bound_hits
              << " runs hit the step bound, " << seconds << " s\n";
  } else {
    std::cout << "search: " << seconds << " s\n";
  }
  for (const auto& [kind, count] : result.violations_by_kind) std::cout << "  " << kind << ": " << count << "\n";
  if (!result.shortest_by_invariant.empty()) {
    // Show the most telling violation (a crash, then lost updates, then the
    // rest), in its shortest run: the easiest to read.
    const Counterexample* shown = &result.shortest_by_invariant.begin()->second;
    for (int preferred : {3, 1}) {
      auto it = result.shortest_by_invariant.find(preferred);
      if (it != result.shortest_by_invariant.end()) shown = &it->second;
    }
    const Counterexample& cx = *shown;
    std::cout << "first counterexample:\n";
    print_counterexample(cx.violation, cx.trace, cx.schedule, replay_command);
    return 1;
  }
  return 0;
}
