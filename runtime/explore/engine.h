// explore/engine.h - what the search strategies share (internal to the
// explorer): footprints and their independence, one run of a scenario under
// a choosing policy (execute), and recording a run's result.
#ifndef PEER_EXPLORE_ENGINE_H
#define PEER_EXPLORE_ENGINE_H

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "explore/explorer.h"

namespace peer::explore::detail {

// A step's footprint: the objects it touched, sorted; bit 63 marks a write.
using Footprint = std::vector<std::uint64_t>;
constexpr std::uint64_t kWrite = 1ULL << 63;

// The explorer's own objects, beside the runtime's (peer::object): the
// fault budget, and for each process whether a fault may strike it
// (fault_offer). A fault actor's event reads the budget, and while it
// remains the offer of its target; a fault writes the budget, as does the
// no-fault event; a choice that adds p to the fault targets or takes it out
// writes p's offer (the engine compares the targets before and after each
// choice).
constexpr std::uint64_t kFaultBudget = 32ULL << 56;
constexpr std::uint64_t fault_offer(Pid p) { return (33ULL << 56) | p.id; }
// A wait's footprint: time passes only when no process is ready, after
// everything before and before everything after, so it conflicts with every
// choice but the fault model's own bookkeeping (the largest object, sorted
// last).
constexpr std::uint64_t kEverything = ~0ULL;

// The footprint of the accesses in `raw`: each object once, sorted, with
// its write if any. `raw` is sorted in place and keeps its capacity: the
// engine records every step's accesses into one buffer and allocates only
// the footprint it hands on (a step makes a few to a few dozen accesses).
inline Footprint normalize_buffer(std::vector<std::uint64_t>& raw) {
  std::sort(raw.begin(), raw.end(), [](std::uint64_t a, std::uint64_t b) {
    return (a & ~kWrite) != (b & ~kWrite) ? (a & ~kWrite) < (b & ~kWrite) : a > b;  // writes first
  });
  auto same_object = [](std::uint64_t a, std::uint64_t b) { return (a & ~kWrite) == (b & ~kWrite); };
  auto end = std::unique(raw.begin(), raw.end(), same_object);  // keeps the first of each: its write if any
  return Footprint(raw.begin(), end);
}

inline Footprint normalize(std::vector<std::uint64_t> raw) { return normalize_buffer(raw); }

// Whether a footprint touches the fault model's objects alone (the budget,
// the offers): a fault actor's event that struck nothing, or the no-fault
// event. Such an event commutes with a wait: it neither makes a process
// ready nor depends on time.
inline bool fault_model_only(const Footprint& f) {
  return !f.empty() && std::all_of(f.begin(), f.end(), [](std::uint64_t x) {
    std::uint64_t kind = (x & ~kWrite) >> 56;
    return kind == (kFaultBudget >> 56) || kind == (fault_offer(Pid{}) >> 56);
  });
}

// Two steps commute unless they touch a common object and one writes it. A
// wait conflicts with every choice but an event of the fault model alone.
inline bool independent(const Footprint& a, const Footprint& b) {
  bool wait_a = !a.empty() && a.back() == kEverything;
  bool wait_b = !b.empty() && b.back() == kEverything;
  if (wait_a || wait_b) {
    if (wait_a && wait_b) return false;
    if (!fault_model_only(wait_a ? b : a)) return false;
  }
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    std::uint64_t x = a[i] & ~kWrite, y = b[j] & ~kWrite;
    if (x < y) {
      ++i;
    } else if (y < x) {
      ++j;
    } else {
      if ((a[i] & kWrite) || (b[j] & kWrite)) return false;
      ++i;
      ++j;
    }
  }
  return true;
}

// Whether two steps are known to commute: a step whose footprint is not
// known (empty: not run yet, or run elsewhere in another state) is taken to
// conflict with everything, as DPOR's sleep-set and race tests need.
inline bool commutes(const Footprint& a, const Footprint& b) { return !a.empty() && !b.empty() && independent(a, b); }

// The messages a step queued and took, by delivery serial (within a run).
struct Messages {
  std::vector<std::uint64_t> sent;
  std::vector<std::uint64_t> received;
  void clear() {  // keeps the buffers: one per run, not per step
    sent.clear();
    received.clear();
  }
};

class Recorder final : public Observer {
 public:
  Recorder(Scenario* scenario, std::vector<TraceLine>* trace) : scenario_(scenario), trace_(trace) {}
  bool wants_events() const override { return trace_ != nullptr; }
  void on_event(Pid, const std::string& actor, const std::string& text) override {
    trace_->push_back(TraceLine{step, actor, text});
  }
  void on_access(std::uint64_t object, bool write) override { footprint.push_back(write ? object | kWrite : object); }
  void on_exit(Pid pid, const std::string& name, const ExitReason& reason) override {
    scenario_->on_exit(pid, name, reason);
  }
  void on_message(std::uint64_t serial, bool consumed) override {
    (consumed ? messages.received : messages.sent).push_back(serial);
  }
  int step = 0;
  std::vector<std::uint64_t> footprint;
  Messages messages;

 private:
  Scenario* scenario_;
  std::vector<TraceLine>* trace_;
};

struct Decision {
  int depth;
  const std::vector<Choice>& enabled;
  Pid last_run;
  int preemptions;  // so far on this run
  // For predicting a fault actor's footprint (predicted_footprint): the
  // run's runtime, the fault targets on offer, and whether the budget
  // remains.
  const Runtime* runtime = nullptr;
  const std::vector<Pid>* targets = nullptr;
  bool budget_left = false;
};

// What c would touch if taken at d, known before it runs: for a fault actor's
// event a superset of its footprint (Runtime::exit_footprint for a fault
// that strikes), for the no-fault event the budget, for the wait everything
// (besides the offers a timer could change, which no choice's independence
// from the wait depends on). Empty for a process step: what it touches
// depends on what it finds.
Footprint predicted_footprint(const Decision& d, const Choice& c);

// Whether a's footprint holds every access of b's (b touches nothing a does
// not say, and writes only what a writes).
inline bool covers(const Footprint& a, const Footprint& b) {
  std::size_t i = 0;
  for (std::uint64_t x : b) {  // both sorted by object, one entry per object
    while (i < a.size() && (a[i] & ~kWrite) < (x & ~kWrite)) ++i;
    if (i == a.size() || (a[i] & ~kWrite) != (x & ~kWrite) || ((x & kWrite) && !(a[i] & kWrite))) return false;
  }
  return true;
}

inline bool is_preemption(const Choice& c, const Decision& d) {
  if (c.kind != Choice::Kind::step || d.last_run.is_nil() || c.pid == d.last_run) return false;
  return std::find(d.enabled.begin(), d.enabled.end(), Choice{Choice::Kind::step, d.last_run}) != d.enabled.end();
}

struct RunResult {
  std::optional<Violation> violation;
  std::string outcome;
  bool step_bound_hit = false;
  bool blocked = false;
  std::vector<Choice> schedule;
  std::size_t violation_at = 0;  // choices made when the violation was first seen
  // With keep_trace: the run's partial order (trace_key), empty when the run
  // was cut (blocked) or stopped at a violation.
  std::string trace;
};

// The partial order of a complete run, as text equal for equivalent runs
// (the same events, the same order of every pair that conflicts): each event
// is its actor's n-th choice ("3#2", "k5#0", "n#0"); "D a<b" orders two
// events of one actor or with conflicting footprints. For tests and
// diagnostics (ExploreOptions::collect_traces, --traces).
struct TraceEvent {
  Choice choice;
  Footprint footprint;
};
std::string trace_key(const std::vector<TraceEvent>& events);

// One run. choose() returns the index of the choice to take (nullopt ends
// the run as blocked); executed() sees each choice with its footprint.
//
// A search keeps running after a violation (stop_at_violation false): the
// rest of the run is what shows DPOR which other orders exist below this
// point; cut short, the orders of the processes that had not run yet would
// never be tried there. A replay stops at the violation, for a short trace.
//
// Faults are actors of their own, so that no event is optional (the setting
// of optimal DPOR, where every run runs each actor to its end): while the
// budget remains, each of the scenario's fault targets gets a fault actor
// when it becomes one ("k5"), whose one event kills it if it is still a
// target and the budget remains, and else does nothing; the no-fault actor's
// one event ("n") gives up what is left of the budget. A run without a fault
// is one where "n" comes before every fault actor's event; a fault can strike
// at every point, also when no process is ready - before a timer fires, and
// at quiescence, after which the run goes on until it is quiescent again.
// Every timer that fires is a choice of its own, the wait ("w"), enabled
// when no process is ready. The run ends when nothing is left: no process
// ready, no timer, every fault actor's event and the no-fault event taken;
// the invariants of quiescence are checked there.
template <class Choose, class Executed>
RunResult execute(const ScenarioFactory& make, const Bounds& bounds, Choose&& choose, Executed&& executed,
                  std::vector<TraceLine>* trace, bool stop_at_violation, bool keep_trace = false) {
  RunResult result;
  auto scenario = make();
  auto rt = Runtime::deterministic();
  Recorder recorder(scenario.get(), trace);
  rt->set_observer(&recorder);
  scenario->start(*rt);
  int faults = 0;
  bool gave_up_faults = bounds.max_faults <= 0;  // the no-fault event was taken (or is not needed)
  auto budget_left = [&] { return faults < bounds.max_faults && !gave_up_faults; };
  int preemptions = 0;
  Pid last_run;
  std::vector<Choice> enabled;
  std::vector<TraceEvent> events;
  std::vector<Pid> targets, targets_after;
  bool targets_known = false;  // targets_after holds the targets as they are now
  std::vector<Pid> fault_actors, fault_actors_done;  // targets given an actor: pending, taken
  auto end_run = [&] {
    if (!result.violation) {
      result.violation = scenario->at_quiescence(*rt);
      result.violation_at = result.schedule.size();
    }
    result.outcome = scenario->outcome(*rt);
  };
  for (int depth = 0;; ++depth) {
    enabled.clear();
    for (Pid p : rt->ready_processes()) enabled.push_back(Choice{Choice::Kind::step, p});
    bool idle = enabled.empty();
    if (bounds.max_faults > 0) {
      if (targets_known) {
        targets.swap(targets_after);  // nothing ran since they were asked for
      } else {
        targets = scenario->fault_targets(*rt);
      }
    }
    if (budget_left()) {
      for (Pid p : targets) {
        auto known = [&](const std::vector<Pid>& v) { return std::find(v.begin(), v.end(), p) != v.end(); };
        if (!known(fault_actors) && !known(fault_actors_done)) fault_actors.push_back(p);
      }
    }
    for (Pid p : fault_actors) enabled.push_back(Choice{Choice::Kind::kill, p});
    if (!gave_up_faults) enabled.push_back(Choice{Choice::Kind::no_fault, Pid{}});
    if (idle && rt->has_pending_timeout()) enabled.push_back(Choice{Choice::Kind::wait, Pid{}});
    if (enabled.empty()) {
      end_run();
      break;
    }
    if (depth >= bounds.max_steps) {
      result.step_bound_hit = true;
      break;
    }
    Decision decision{depth, enabled, last_run, preemptions, rt.get(), &targets, budget_left()};
    std::optional<std::size_t> index = choose(decision);
    if (!index) {
      result.blocked = true;
      break;
    }
    Choice choice = enabled[*index];
    recorder.footprint.clear();
    recorder.messages.clear();
    recorder.step = depth + 1;
    bool had_budget = budget_left();
    switch (choice.kind) {
      case Choice::Kind::step:
        if (is_preemption(choice, decision)) ++preemptions;
        rt->step(choice.pid);
        last_run = choice.pid;
        break;
      case Choice::Kind::kill: {
        fault_actors.erase(std::find(fault_actors.begin(), fault_actors.end(), choice.pid));
        fault_actors_done.push_back(choice.pid);
        // The budget is read first: with none left the event does nothing,
        // and it is ordered after what spent it (so that a race shows where
        // it could have struck instead).
        recorder.footprint.push_back(kFaultBudget);
        if (!had_budget) break;
        recorder.footprint.push_back(fault_offer(choice.pid));
        if (std::find(targets.begin(), targets.end(), choice.pid) == targets.end()) break;
        ++faults;
        rt->exit(choice.pid, ExitReason::killed());
        recorder.footprint.push_back(kFaultBudget | kWrite);
        break;
      }
      case Choice::Kind::no_fault:
        if (trace && had_budget) trace->push_back(TraceLine{depth + 1, "runtime", "no (further) fault"});
        gave_up_faults = true;
        recorder.footprint.push_back(kFaultBudget | kWrite);
        break;
      case Choice::Kind::wait:
        if (trace) trace->push_back(TraceLine{depth + 1, "runtime", "time passes"});
        rt->fire_next_timeout();
        recorder.footprint.assign(1, kEverything);
        break;
    }
    // What this choice did to the faults on offer - also once the budget is
    // spent, so that a step's footprint does not depend on where the
    // no-fault event fell.
    if (bounds.max_faults > 0) {
      targets_after = scenario->fault_targets(*rt);
      targets_known = true;
      for (const auto* from : {&targets, &targets_after}) {
        const auto* to = from == &targets ? &targets_after : &targets;
        for (Pid p : *from) {
          if (std::find(to->begin(), to->end(), p) == to->end()) recorder.footprint.push_back(fault_offer(p) | kWrite);
        }
      }
    }
    result.schedule.push_back(choice);
    Footprint footprint = normalize_buffer(recorder.footprint);
    if (keep_trace) events.push_back(TraceEvent{choice, footprint});
    if constexpr (std::is_invocable_v<Executed&, int, const Choice&, Footprint, const Messages&>) {
      executed(depth, choice, std::move(footprint), recorder.messages);
    } else {
      executed(depth, choice, std::move(footprint));
    }
    recorder.messages.clear();
    recorder.footprint.clear();
    if (!result.violation) {
      if (auto v = scenario->after_step(*rt)) {
        result.violation = std::move(v);
        result.violation_at = result.schedule.size();
        if (stop_at_violation) {
          result.outcome = scenario->outcome(*rt);
          break;
        }
      }
    }
  }
  rt->set_observer(nullptr);  // processes still alive are discarded silently
  if (keep_trace && !result.blocked && !(stop_at_violation && result.violation)) result.trace = trace_key(events);
  return result;
}

inline bool preemption_allowed(const Choice& c, const Decision& d, const Bounds& bounds) {
  return bounds.max_preemptions < 0 || !is_preemption(c, d) || d.preemptions < bounds.max_preemptions;
}

// A choice explored (or proven redundant) at a node, with what it touched.
struct SleepEntry {
  Choice choice;
  Footprint footprint;
  bool from_split = false;  // optimal DPOR: explored by another unit (OptimalUnit::sleep)
};

// A node of a depth-first search with sleep sets: the source-DPOR / sleep-set
// search and each worker of the parallel one.
struct SleepNode {
  std::vector<Choice> enabled;
  std::vector<SleepEntry> sleep;  // choices proven redundant here
  std::vector<SleepEntry> done;   // siblings already explored
  std::size_t chosen = 0;
  Footprint chosen_footprint;
  Pid last_run;
  int preemptions = 0;

  // c is neither explored nor asleep here, and the bound lets it run.
  bool allows(const Choice& c, const Bounds& bounds) const {
    auto same = [&](const SleepEntry& e) { return e.choice == c; };
    Decision d{0, enabled, last_run, preemptions};
    return std::none_of(done.begin(), done.end(), same) && std::none_of(sleep.begin(), sleep.end(), same) &&
           preemption_allowed(c, d, bounds);
  }

  // Appends the child's sleep set after choice ran with footprint: what
  // sleeps or was explored here and commutes with it.
  void sleep_after(const Choice& choice, const Footprint& footprint, std::vector<SleepEntry>& child_sleep) const {
    for (const auto* set : {&sleep, &done}) {
      for (const SleepEntry& e : *set) {
        if (e.choice == choice || !independent(e.footprint, footprint)) continue;
        child_sleep.push_back(e);
      }
    }
  }

  // The current choice is explored: into done, with its footprint.
  void finish_chosen() { done.push_back(SleepEntry{enabled[chosen], std::move(chosen_footprint)}); }
};

// A piece of the optimal search split across workers (parallel_optimal.cpp):
// the subtree below prefix, whose first node starts with sleep (the choices
// the split explored before there that commute with the path to it).
struct OptimalUnit {
  std::vector<Choice> prefix;
  std::vector<SleepEntry> sleep;
};
// Optimal DPOR below one unit (optimal.cpp); races with a step of the
// prefix are the split's to answer.
ExploreResult explore_optimal_unit(const ScenarioFactory& make, const ExploreOptions& options, const OptimalUnit& unit);
// The plain optimal search tried on a space that may be small
// (explore_optimal_split's try), given up after max_runs runs. If it was
// not done, what it ran is not lost: its runs are the first ones of the
// split's leftmost unit (optimal.cpp, leftmost_unit).
class OptimalTry {
 public:
  OptimalTry(const ScenarioFactory& make, const ExploreOptions& options, std::uint64_t max_runs);
  ~OptimalTry();
  // The whole space's result if the search was done within max_runs runs.
  std::optional<ExploreResult> run();
  // After run() gave up: the result of unit, which explore_optimal_unit
  // would give, if unit is the leftmost one (below a prefix of the try's
  // first run, with no sleep set); nullopt otherwise. Goes on with the
  // try's search where that unit's is not done. Once only.
  std::optional<ExploreResult> leftmost_unit(const OptimalUnit& unit);

 private:
  struct Search;
  std::unique_ptr<Search> search_;
};

struct Progress {
  explicit Progress(const ExploreOptions& options) : options_(options) {}
  void tick(const ExploreResult& r) {
    if (!options_.progress || (++calls_ & 255) != 0) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    options_.progress(r);
  }
  const ExploreOptions& options_;
  std::uint64_t calls_ = 0;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// Counts the run into out (and keeps its counterexample if it is the
// shortest of its invariant so far).
void record(ExploreResult& out, const RunResult& run, const ScenarioFactory& make, const ExploreOptions& options);

}  // namespace peer::explore::detail

#endif  // PEER_EXPLORE_ENGINE_H
