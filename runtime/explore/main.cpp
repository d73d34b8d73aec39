// peer-explore: run a scenario under every schedule (or a random sample) of
// the deterministic runtime and report invariant violations.
//
//   peer-explore SCENARIO --variant NAME [--max-preemptions N] [--max-steps N]
//                [--faults N] [--random RUNS --seed S [--pct DEPTH]]
//                [--replay SCHEDULE | --replay-from FILE] [--first] [--suspend]
//                [--strategy optimal|source|sleep|none] [-j N]
//
// The whole bounded space is searched (unless --first); the counterexample
// shown is the shortest one found for the most telling invariant broken.
// Exit status: 1 when a violation was found, 0 when none, 2 on bad arguments.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

#include "explore/cli.h"
#include "explore/explorer.h"
#include "explore/scenario_kit.h"

namespace {

using namespace peer;
using namespace peer::explore;

constexpr const char* kUsage =
    "usage: peer-explore SCENARIO --variant NAME [--max-preemptions N] [--max-steps N] [--faults N]\n"
    "                    [--random RUNS --seed S [--pct DEPTH]] [--replay SCHEDULE | --replay-from FILE]\n"
    "                    [--strategy optimal|source|sleep|none] [--first] [--suspend] [--no-sleep-sets] [--no-dpor]\n"
    "                    [-j N] [--split UNITS] [--traces FILE]\n"
    "       peer-explore --list\n"
    "  SCENARIO and its variants (peer-explore --list describes them):\n"
    "    materializer  variants: seed_original, electric_shipped, corrected\n"
    "    restart       variants: racy, corrected\n"
    "  ranges: --max-steps 1..1000000, --max-preemptions 0..1000000, --faults 0..1000, --random 0..10^12,\n"
    "          --seed 0..2^64-1, --pct 0..1000, -j 1..256, --split 0..1000000; a schedule has at most\n"
    "          1000000 choices, a --replay-from file at most 16 MiB\n"
    "  -j N: N threads for the exhaustive search with optimal DPOR (the default) or without DPOR\n"
    "        (--strategy sleep or none, or with --max-preemptions); the result is the same as with one\n"
    "        (counts, counterexample); source-DPOR runs on one thread\n"
    "  --split UNITS: optimal DPOR over the whole space is split into about UNITS pieces (default 96;\n"
    "        a space of at most 500 runs is not split): the result depends on it, not on -j; 0: no split\n"
    "  --traces FILE: write each partial-order trace the exhaustive search reached, one a line\n"
    "        (schedule, tab, trace), and count the runs that repeated one (a diagnostic)\n";

int bad_arguments(const std::string& why) {
  std::cerr << "peer-explore: " << why << "\n" << kUsage;
  return 2;
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

int list_scenarios() {
  for (const auto& s : builtin_scenarios()) {
    std::cout << s.name << ": " << s.description << "\n  variants: ";
    for (std::size_t i = 0; i < s.variants.size(); ++i) std::cout << (i ? ", " : "") << s.variants[i];
    std::cout << "\n";
  }
  return 0;
}

// --replay / --replay-from: runs the one schedule and reports it.
int run_replay(const ScenarioFactory& make, const std::string& replay_text, const Bounds& bounds,
               const std::string& replay_command) {
  std::string why;
  auto schedule = cli::parse_schedule(replay_text, &why);
  if (!schedule) return bad_arguments(why);
  auto result = replay(make, *schedule, bounds);
  if (!result) {
    return bad_arguments("schedule does not apply to this scenario: " +
                         (replay_text.size() <= 60 ? replay_text : replay_text.substr(0, 60) + "..."));
  }
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

// The search the arguments ask for, announced on its first line.
ExploreResult run_search(const ScenarioFactory& make, const cli::Options& args) {
  const Bounds& bounds = args.bounds;
  ExploreOptions explore_options;
  explore_options.bounds = bounds;
  explore_options.sleep_sets = args.sleep_sets;
  explore_options.dpor = args.dpor;
  explore_options.optimal = args.optimal;
  explore_options.stop_at_first = args.first_only;
  explore_options.workers = args.workers;
  explore_options.split_units = args.split_units;
  explore_options.collect_traces = args.traces_file.has_value();
  explore_options.progress = [](const ExploreResult& r) {
    std::cerr << "progress: " << r.schedules << " schedules, " << r.violations << " violations\n";
  };
  if (args.random_runs) {
    std::cout << (args.pct > 0 ? "PCT sampling (depth " + std::to_string(args.pct) + ")"
                               : std::string("random sampling"))
              << ": " << *args.random_runs << " runs, seed " << args.seed << "; bounds: " << bounds_text(bounds)
              << "\n";
    return explore_random(make, explore_options, *args.random_runs, args.seed, args.pct);
  }
  bool with_dpor = args.dpor && bounds.max_preemptions < 0;  // DPOR needs unbounded preemptions
  std::string reductions = args.sleep_sets && with_dpor && args.optimal ? " with optimal DPOR (wakeup trees)"
                           : args.sleep_sets && with_dpor               ? " with sleep sets and DPOR"
                           : args.sleep_sets                            ? " with sleep sets"
                           : with_dpor                                  ? " with DPOR"
                                                                        : "";
  std::cout << "exhaustive depth-first search" << reductions << "; bounds: " << bounds_text(bounds) << "\n";
  return explore_exhaustive(make, explore_options);
}

// The "search:" line of an exhaustive search.
void print_search_line(const ExploreResult& result) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", result.seconds);
  std::cout << "search: " << (result.exhaustive ? "complete" : "stopped at the first violation") << ", "
            << result.sleep_blocked << " redundant runs cut by sleep sets, ";
  if (result.covered_on_arrival) {
    std::cout << result.covered_on_arrival << " stopped at a race's step that a sleeping choice covers, ";
  }
  std::cout << result.step_bound_hits << " runs hit the step bound, " << seconds << " s";
  if (!result.traces.empty()) {
    std::cout << ", " << result.traces.size() << " traces, " << result.repeated_traces << " runs repeated one";
  }
  if (result.wakeup_anomalies) std::cout << ", " << result.wakeup_anomalies << " wakeup-tree anomalies";
  if (result.workers > 1) {
    std::cout << ", " << result.workers << " workers (CPU s:";
    for (std::size_t i = 0; i < result.worker_cpu_seconds.size(); ++i) {
      std::snprintf(seconds, sizeof seconds, "%.2f", result.worker_cpu_seconds[i]);
      std::cout << (i ? " + " : " ") << seconds;
    }
    std::cout << ")";
  }
  std::cout << "\n";
}

// The summary and the most telling counterexample; the exit code.
int report(const ExploreResult& result, bool sampled, const std::string& replay_command) {
  std::cerr << "progress: done, " << result.schedules << " schedules\n";
  std::cout << "schedules explored: " << result.schedules << ", violations: " << result.violations << "\n";
  if (!sampled) {
    print_search_line(result);
  } else {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", result.seconds);
    std::cout << "search: " << seconds << " s\n";
  }
  for (const auto& [kind, count] : result.violations_by_kind) std::cout << "  " << kind << ": " << count << "\n";
  if (result.shortest_by_invariant.empty()) return 0;
  // Show the most telling violation (a crash, then lost updates, then the
  // rest), in its shortest run: the easiest to read.
  const Counterexample* shown = &result.shortest_by_invariant.begin()->second;
  for (int preferred : {3, 1}) {
    auto it = result.shortest_by_invariant.find(preferred);
    if (it != result.shortest_by_invariant.end()) shown = &it->second;
  }
  std::cout << "first counterexample:\n";
  print_counterexample(shown->violation, shown->trace, shown->schedule, replay_command);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = cli::parse_arguments(std::vector<std::string>(argv + 1, argv + argc));
  if (auto* error = std::get_if<cli::Error>(&parsed)) return bad_arguments(error->message);
  cli::Options& args = std::get<cli::Options>(parsed);
  if (args.help) {
    std::cout << kUsage;
    return 0;
  }
  if (args.list) return list_scenarios();
  const RegisteredScenario* entry = find_scenario(args.scenario);
  if (!entry) return bad_arguments("unknown scenario '" + args.scenario + "'");
  if (!args.variant) return bad_arguments("missing --variant");
  if (args.suspend && !entry->takes_suspend) return bad_arguments("--suspend is for the materializer scenario");
  ScenarioFlags flags;
  flags.suspend = args.suspend;
  std::optional<ScenarioFactory> made = entry->make(*args.variant, flags);
  if (!made) return bad_arguments("unknown variant '" + *args.variant + "'");
  ScenarioFactory make = std::move(*made);
  std::string replay_command = "peer-explore " + entry->name + " --variant " + *args.variant;
  if (args.suspend) replay_command += " --suspend";

  std::cout << "peer-explore: scenario " << entry->name << ", variant " << *args.variant << "\n";

  std::optional<std::string> replay_text = args.replay_text;
  if (args.replay_file) {
    auto contents = cli::read_bounded(*args.replay_file, cli::kMaxReplayFileBytes);
    if (auto* error = std::get_if<cli::Error>(&contents)) return bad_arguments(error->message);
    replay_text = cli::find_schedule_line(std::get<std::string>(contents));
    if (!replay_text) return bad_arguments("no 'schedule:' line in " + *args.replay_file);
  }
  if (replay_text) return run_replay(make, *replay_text, args.bounds, replay_command);
  ExploreResult result = run_search(make, args);
  if (args.traces_file) {
    std::ofstream out(*args.traces_file);
    for (const auto& [trace, schedule] : result.traces) out << to_string(schedule) << '\t' << trace << '\n';
    if (!out) {
      std::cerr << "peer-explore: cannot write '" << *args.traces_file << "'\n";
      return 2;
    }
  }
  return report(result, args.random_runs.has_value(), replay_command);
}
