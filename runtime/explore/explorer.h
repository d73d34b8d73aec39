// explore/explorer.h - runs a scenario under many schedules of the
// deterministic runtime and checks its invariants.
//
// A schedule is the list of choices made at each decision point: which ready
// process takes the next step ("5"), when the fault actor of a fault target
// strikes ("k3": it kills process 3 if 3 is still a target and the fault
// budget remains, and else does nothing), when the faults are given up ("n":
// no further fault), or, with no process ready, that the next timer fires
// ("w"). Written as "1.2.k3.5.n", it replays the exact same run.
#ifndef PEER_EXPLORE_EXPLORER_H
#define PEER_EXPLORE_EXPLORER_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "peer/runtime/runtime.h"

namespace peer::explore {

struct Violation {
  int invariant = 0;  // the scenario's numbering
  std::string text;
  std::string kind;   // short class for counting, e.g. "crash: noproc"
};

// One run of a system under test. A fresh object is made for every run.
class Scenario {
 public:
  virtual ~Scenario() = default;
  // Spawns the initial processes (they do not run until scheduled).
  virtual void start(Runtime& rt) = 0;
  // Processes a fault may kill right now.
  virtual std::vector<Pid> fault_targets(Runtime& rt) = 0;
  virtual void on_exit(Pid pid, const std::string& name, const ExitReason& reason) = 0;
  // Checked after every step, and at quiescence (nothing ready, no timer).
  virtual std::optional<Violation> after_step(Runtime& rt) = 0;
  virtual std::optional<Violation> at_quiescence(Runtime& rt) = 0;
  // How the run ended, in terms independent of the order of independent
  // steps (no pids): equivalent runs have equal outcomes. For checking that
  // a reduced search reaches every outcome the full one does.
  virtual std::string outcome(Runtime& /*rt*/) { return {}; }
};
using ScenarioFactory = std::function<std::unique_ptr<Scenario>()>;

struct Choice {
  enum class Kind : std::uint8_t { step, kill, no_fault, wait };  // no_fault, wait: pid is nil
  Kind kind = Kind::step;
  Pid pid;
  friend bool operator==(const Choice&, const Choice&) = default;
};
std::string to_string(const std::vector<Choice>& schedule);
std::optional<std::vector<Choice>> parse_schedule(const std::string& text);

struct Bounds {
  int max_steps = 400;        // decision points per run
  int max_preemptions = -1;   // -1: unbounded
  int max_faults = 1;
};

struct TraceLine {
  int step = 0;
  std::string actor;
  std::string text;
};

struct Counterexample {
  Violation violation;
  std::vector<Choice> schedule;
  std::vector<TraceLine> trace;
};

struct ExploreResult {
  std::uint64_t schedules = 0;      // complete runs
  std::uint64_t violations = 0;     // runs that broke an invariant
  std::uint64_t sleep_blocked = 0;  // runs cut because every choice was redundant
  std::uint64_t step_bound_hits = 0;
  // Optimal DPOR: steps of a wakeup tree that could not be taken as recorded
  // (not enabled, or touching other objects than when recorded). Always 0
  // unless footprints miss a dependency; the search then falls back to
  // trying every choice there.
  std::uint64_t wakeup_anomalies = 0;
  // Optimal DPOR: runs stopped right after the last step of a race's
  // sequence, whose footprint is known only once it has run and then showed
  // that a choice explored before covers the sequence (a weak initial of it
  // sleeps there). Each is a replay of the prefix and that one step: the
  // price of learning the footprint, where a dead end (sleep_blocked) would
  // run on to the end.
  std::uint64_t covered_on_arrival = 0;
  bool exhaustive = false;          // the DFS covered the whole bounded space
  std::optional<Counterexample> first;             // in search order
  std::map<int, std::uint64_t> violations_by_invariant;
  std::map<int, Counterexample> shortest_by_invariant;  // fewest choices
  std::map<std::string, std::uint64_t> violations_by_kind;
  // With ExploreOptions::collect_outcomes: each outcome reached, with the
  // first schedule that reached it.
  std::map<std::string, std::vector<Choice>> outcomes;
  // With ExploreOptions::collect_traces: each partial-order trace reached
  // (detail::trace_key), with the first schedule that reached it, and the
  // complete runs that repeated a trace already reached (redundant runs that
  // sleep_blocked does not count).
  std::map<std::string, std::vector<Choice>> traces;
  std::uint64_t repeated_traces = 0;
  double seconds = 0;
  unsigned workers = 1;  // threads the search ran on
  // With workers > 1: each worker's CPU seconds (how evenly the work split).
  std::vector<double> worker_cpu_seconds;

  // Every run the search started: complete, cut in a sleep set, or stopped
  // at a covered step.
  std::uint64_t runs() const { return schedules + sleep_blocked + covered_on_arrival; }
};

struct ExploreOptions {
  Bounds bounds;
  bool sleep_sets = true;
  // Dynamic partial-order reduction on top of sleep sets: only orders that
  // reverse a race actually seen are tried. Used when preemptions are
  // unbounded.
  bool dpor = true;
  // With sleep sets and DPOR: optimal DPOR (source sets with wakeup trees,
  // Abdulla et al., POPL 2014) instead of source-DPOR: every run explored is
  // a new trace, none is cut as redundant.
  bool optimal = false;
  bool stop_at_first = true;
  bool collect_outcomes = false;
  // Keep every complete run's partial order (ExploreResult::traces): for
  // tests that two strategies reach the same traces, and --verbose.
  bool collect_traces = false;
  // Threads for the exhaustive search over the whole space (not
  // stop_at_first). The sleep-set search (and the unreduced one) and optimal
  // DPOR split, with a result identical to one thread's: see
  // splits_across_workers. Source-DPOR runs on one thread.
  unsigned workers = 1;
  // Optimal DPOR over the whole space: the top of the tree is searched with
  // sleep sets alone until it has about split_units leaves, and each leaf is
  // a unit the workers share (explore/parallel_optimal.cpp). The same result
  // for every number of workers, one included; 0: no split (one thread, the
  // plain optimal search, as with stop_at_first).
  unsigned split_units = 96;
  // ... unless the plain search covers the space in at most split_above
  // runs: then that is the result (on one thread; tests set 0 to split a
  // small space).
  std::uint64_t split_above = 500;
  // Called about once a second with the running totals.
  std::function<void(const ExploreResult&)> progress;
};

// Exhaustive depth-first search with sleep sets and DPOR (partial-order
// reductions); with options.optimal (and unbounded preemptions), optimal
// DPOR (explore_optimal).
ExploreResult explore_exhaustive(const ScenarioFactory& make, const ExploreOptions& options);
ExploreResult explore_optimal(const ScenarioFactory& make, const ExploreOptions& options);

// Whether explore_exhaustive runs on options.workers threads: over the whole
// space (not stop_at_first), the search without DPOR (sleep sets only, or
// none; DPOR is off under a preemption bound; explore/parallel.cpp), or
// optimal DPOR with split_units > 0 (splits_optimal). With source-DPOR the
// choices tried at a node depend on what was explored below its earlier
// choices, so a split would change the runs explored.
bool splits_across_workers(const ExploreOptions& options);
// Optimal DPOR split into units (explore/parallel_optimal.cpp): the result
// depends on split_units, never on the number of workers.
bool splits_optimal(const ExploreOptions& options);
ExploreResult explore_optimal_split(const ScenarioFactory& make, const ExploreOptions& options);
// The sleep-set search on that many threads (explore/parallel.cpp); the
// same result as one thread, except seconds and workers.
ExploreResult explore_parallel(const ScenarioFactory& make, const ExploreOptions& options, unsigned workers);

// Random sampling: each run picks uniformly among the enabled choices
// (faults included, within the bounds); pct_depth > 0 uses PCT instead
// (random process priorities, pct_depth - 1 priority change points).
ExploreResult explore_random(const ScenarioFactory& make, const ExploreOptions& options, std::uint64_t runs,
                             std::uint64_t seed, int pct_depth = 0);

// Replays one schedule (then the default policy once it runs out) and
// returns its trace and violation, if any. nullopt: the schedule does not fit.
struct ReplayResult {
  std::optional<Violation> violation;
  std::vector<Choice> schedule;  // as executed, in full
  std::vector<TraceLine> trace;
};
std::optional<ReplayResult> replay(const ScenarioFactory& make, const std::vector<Choice>& schedule,
                                   const Bounds& bounds);

std::string format_trace(const std::vector<TraceLine>& trace);

}  // namespace peer::explore

#endif  // PEER_EXPLORE_EXPLORER_H
