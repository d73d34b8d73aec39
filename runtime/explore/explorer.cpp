#include "explore/explorer.h"

#include "explore/cli.h"

#include <algorithm>
#include <random>
#include <sstream>
#include <unordered_map>

namespace peer::explore {

namespace {

// A step's footprint: the objects it touched, sorted; bit 63 marks a write.
using Footprint = std::vector<std::uint64_t>;
constexpr std::uint64_t kWrite = 1ULL << 63;

Footprint normalize(std::vector<std::uint64_t> raw) {
  std::sort(raw.begin(), raw.end(), [](std::uint64_t a, std::uint64_t b) {
    return (a & ~kWrite) != (b & ~kWrite) ? (a & ~kWrite) < (b & ~kWrite) : a > b;  // writes first
  });
  Footprint out;
  for (std::uint64_t x : raw) {
    if (!out.empty() && (out.back() & ~kWrite) == (x & ~kWrite)) continue;  // keep the write if any
    out.push_back(x);
  }
  return out;
}

// Two steps commute unless they touch a common object and one writes it.
bool independent(const Footprint& a, const Footprint& b) {
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
  int step = 0;
  std::vector<std::uint64_t> footprint;

 private:
  Scenario* scenario_;
  std::vector<TraceLine>* trace_;
};

struct Decision {
  int depth;
  const std::vector<Choice>& enabled;
  Pid last_run;
  int preemptions;  // so far on this run
};

bool is_preemption(const Choice& c, const Decision& d) {
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
};

// One run. choose() returns the index of the choice to take (nullopt ends
// the run as blocked); executed() sees each choice with its footprint.
//
// A search keeps running after a violation (stop_at_violation false): the
// rest of the run is what shows DPOR which other orders exist below this
// point; cut short, the orders of the processes that had not run yet would
// never be tried there. A replay stops at the violation, for a short trace.
template <class Choose, class Executed>
RunResult execute(const ScenarioFactory& make, const Bounds& bounds, Choose&& choose, Executed&& executed,
                  std::vector<TraceLine>* trace, bool stop_at_violation) {
  RunResult result;
  auto scenario = make();
  auto rt = Runtime::deterministic();
  Recorder recorder(scenario.get(), trace);
  rt->set_observer(&recorder);
  scenario->start(*rt);
  int faults = 0;
  int preemptions = 0;
  Pid last_run;
  std::vector<Choice> enabled;
  for (int depth = 0;; ++depth) {
    enabled.clear();
    for (Pid p : rt->ready_processes()) enabled.push_back(Choice{Choice::Kind::step, p});
    if (enabled.empty()) {
      if (rt->fire_next_timeout()) {
        --depth;
        continue;
      }
      if (!result.violation) {
        result.violation = scenario->at_quiescence(*rt);
        result.violation_at = result.schedule.size();
      }
      result.outcome = scenario->outcome(*rt);
      break;
    }
    if (faults < bounds.max_faults) {
      for (Pid p : scenario->fault_targets(*rt)) enabled.push_back(Choice{Choice::Kind::kill, p});
    }
    if (depth >= bounds.max_steps) {
      result.step_bound_hit = true;
      break;
    }
    Decision decision{depth, enabled, last_run, preemptions};
    std::optional<std::size_t> index = choose(decision);
    if (!index) {
      result.blocked = true;
      break;
    }
    Choice choice = enabled[*index];
    recorder.footprint.clear();
    recorder.step = depth + 1;
    if (choice.kind == Choice::Kind::step) {
      if (is_preemption(choice, decision)) ++preemptions;
      rt->step(choice.pid);
      last_run = choice.pid;
    } else {
      ++faults;
      rt->exit(choice.pid, ExitReason::killed());
    }
    result.schedule.push_back(choice);
    executed(depth, choice, normalize(std::move(recorder.footprint)));
    recorder.footprint = {};
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
  return result;
}

bool preemption_allowed(const Choice& c, const Decision& d, const Bounds& bounds) {
  return bounds.max_preemptions < 0 || !is_preemption(c, d) || d.preemptions < bounds.max_preemptions;
}

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

void record(ExploreResult& out, const RunResult& run, const ScenarioFactory& make, const ExploreOptions& options) {
  const Bounds& bounds = options.bounds;
  if (run.blocked && !run.violation) {  // a violation before the cut is real
    ++out.sleep_blocked;
    return;
  }
  ++out.schedules;
  if (options.collect_outcomes) out.outcomes.try_emplace(run.outcome, run.schedule);
  if (run.step_bound_hit) ++out.step_bound_hits;
  if (!run.violation) return;
  ++out.violations;
  int invariant = run.violation->invariant;
  ++out.violations_by_invariant[invariant];
  ++out.violations_by_kind[run.violation->kind];
  std::vector<Choice> schedule(run.schedule.begin(),
                               run.schedule.begin() + static_cast<std::ptrdiff_t>(run.violation_at));
  auto known = out.shortest_by_invariant.find(invariant);
  if (out.first && known != out.shortest_by_invariant.end() && known->second.schedule.size() <= schedule.size()) {
    return;
  }
  Counterexample cx;
  cx.violation = *run.violation;
  cx.schedule = std::move(schedule);
  if (auto again = replay(make, cx.schedule, bounds)) cx.trace = std::move(again->trace);
  if (!out.first) out.first = cx;
  out.shortest_by_invariant[invariant] = std::move(cx);
}

}  // namespace

std::string to_string(const std::vector<Choice>& schedule) {
  std::string out;
  for (const auto& c : schedule) {
    if (!out.empty()) out += '.';
    if (c.kind == Choice::Kind::kill) out += 'k';
    out += std::to_string(c.pid.id);
  }
  return out;
}

std::optional<std::vector<Choice>> parse_schedule(const std::string& text) {
  return cli::parse_schedule(text, nullptr);
}

ExploreResult explore_exhaustive(const ScenarioFactory& make, const ExploreOptions& options) {
  struct Entry {
    Choice choice;
    Footprint footprint;
  };
  struct Node {
    std::vector<Choice> enabled;
    std::vector<Entry> sleep;  // choices proven redundant here
    std::vector<Entry> done;   // siblings already explored
    std::vector<Choice> todo;  // DPOR: choices some race asks to try here
    std::size_t chosen = 0;
    Footprint chosen_footprint;
    Pid last_run;
    int preemptions = 0;
  };
  // DPOR needs every choice it asks for to be explorable; a preemption bound
  // could forbid one, so bounded searches explore all enabled choices.
  const bool dpor = options.dpor && options.bounds.max_preemptions < 0;
  const Bounds& bounds = options.bounds;
  auto start = std::chrono::steady_clock::now();
  ExploreResult out;
  Progress progress(options);
  std::vector<Node> stack;
  std::vector<Entry> child_sleep;

  auto allowed = [&](const Node& n, const Choice& c) {
    auto same = [&](const Entry& e) { return e.choice == c; };
    Decision d{0, n.enabled, n.last_run, n.preemptions};
    return std::none_of(n.done.begin(), n.done.end(), same) && std::none_of(n.sleep.begin(), n.sleep.end(), same) &&
           preemption_allowed(c, d, bounds);
  };
  auto index_of = [](const Node& n, const Choice& c) {
    return static_cast<std::size_t>(std::find(n.enabled.begin(), n.enabled.end(), c) - n.enabled.begin());
  };
  // The next choice to explore at n: with DPOR, one a race asked for (a
  // fresh node starts with its first allowed step); without, any.
  //
  // Faults are the environment's choice, not a race between processes: DPOR
  // would never ask for one that no run has made, so every fault is tried at
  // every point. They go first, so that once tried they sit in the sleep
  // sets of their siblings: a fault is tried again further down only after a
  // step it does not commute with (one of the victim's, or one reaching it).
  auto first_allowed = [&](Node& n) -> std::optional<std::size_t> {
    if (dpor && n.todo.empty() && n.done.empty()) {
      for (const Choice& c : n.enabled) {
        if (c.kind == Choice::Kind::kill) n.todo.push_back(c);
      }
      for (const Choice& c : n.enabled) {
        if (c.kind == Choice::Kind::step && allowed(n, c)) {
          n.todo.push_back(c);
          break;
        }
      }
    }
    if (dpor) {
      for (const Choice& c : n.todo) {
        if (allowed(n, c)) return index_of(n, c);
      }
      return std::nullopt;
    }
    for (std::size_t i = 0; i < n.enabled.size(); ++i) {
      if (allowed(n, n.enabled[i])) return i;
    }
    return std::nullopt;
  };
  // Source-DPOR (Abdulla et al., POPL 2014): for every pair of dependent
  // steps j < i of different actors in this run that nothing else orders,
  // the reversed order must be reachable from j. It starts with one of the
  // "initials" of v - the steps after j that do not depend on j, then i -
  // that is, an actor whose first step in v depends on nothing earlier in v.
  // If j's backtrack set holds none of them, add one (i's actor if it is).
  auto add_backtrack_points = [&]() {
    const std::size_t n = stack.size();
    const std::size_t words = (n + 63) / 64;
    // before[i]: the steps that happen before step i (a bit per step).
    std::vector<std::uint64_t> before(n * words, 0);
    std::vector<Choice> initials;
    std::vector<std::size_t> in_v;
    auto test = [&](std::size_t i, std::size_t j) { return (before[i * words + j / 64] >> (j % 64)) & 1; };
    auto chosen = [&](std::size_t k) { return stack[k].enabled[stack[k].chosen]; };
    // The initials of v for the race of j and i. Row i is still being built,
    // but it is final above j, which is all this reads of it.
    auto collect_initials = [&](std::size_t j, std::size_t i) {
      initials.clear();
      in_v.clear();
      for (std::size_t k = j + 1; k <= i; ++k) {
        if (k < i && test(k, j)) continue;  // depends on j: not in v
        bool initial = std::none_of(in_v.begin(), in_v.end(), [&](std::size_t m) { return test(k, m); });
        in_v.push_back(k);
        if (initial && std::find(initials.begin(), initials.end(), chosen(k)) == initials.end()) {
          initials.push_back(chosen(k));
        }
      }
    };
    // Unless j's backtrack set already holds an initial, adds one: i's actor
    // if it can run at j, else the first that can, else everything that can.
    auto ask_to_reverse = [&](Node& at, const Choice& ci) {
      auto enabled_at = [&](const Choice& c) {
        return std::find(at.enabled.begin(), at.enabled.end(), c) != at.enabled.end();
      };
      auto in_todo = [&](const Choice& c) { return std::find(at.todo.begin(), at.todo.end(), c) != at.todo.end(); };
      if (std::any_of(initials.begin(), initials.end(), in_todo)) return;
      auto pick = std::find(initials.begin(), initials.end(), ci);
      if (pick == initials.end() || !enabled_at(*pick)) pick = std::find_if(initials.begin(), initials.end(), enabled_at);
      if (pick != initials.end()) {
        at.todo.push_back(*pick);
        return;
      }
      for (const Choice& c : at.enabled) {
        if (!in_todo(c)) at.todo.push_back(c);
      }
    };
    for (std::size_t i = 0; i < n; ++i) {
      const Choice ci = chosen(i);
      std::uint64_t* bi = &before[i * words];
      for (std::size_t j = i; j-- > 0;) {
        if (test(i, j)) continue;  // ordered through a later step already
        bool same_actor = ci == chosen(j);
        if (!same_actor && independent(stack[j].chosen_footprint, stack[i].chosen_footprint)) continue;
        if (!same_actor) {
          // j and i race: nothing orders them but their conflict.
          collect_initials(j, i);
          ask_to_reverse(stack[j], ci);
        }
        bi[j / 64] |= 1ULL << (j % 64);
        const std::uint64_t* bj = &before[j * words];
        for (std::size_t w = 0; w < words; ++w) bi[w] |= bj[w];
      }
    }
  };

  for (;;) {
    child_sleep.clear();
    auto choose = [&](const Decision& d) -> std::optional<std::size_t> {
      auto depth = static_cast<std::size_t>(d.depth);
      if (depth < stack.size()) return stack[depth].chosen;  // replaying the current prefix
      Node n;
      n.enabled = d.enabled;
      n.sleep = options.sleep_sets ? child_sleep : std::vector<Entry>{};
      n.last_run = d.last_run;
      n.preemptions = d.preemptions;
      auto index = first_allowed(n);
      if (!index) return std::nullopt;
      n.chosen = *index;
      stack.push_back(std::move(n));
      return index;
    };
    auto executed = [&](int depth, const Choice& choice, Footprint footprint) {
      Node& n = stack[static_cast<std::size_t>(depth)];
      child_sleep.clear();
      if (options.sleep_sets) {
        for (const auto* set : {&n.sleep, &n.done}) {
          for (const Entry& e : *set) {
            if (!(e.choice == choice) && independent(e.footprint, footprint)) child_sleep.push_back(e);
          }
        }
      }
      n.chosen_footprint = std::move(footprint);
    };
    RunResult run = execute(make, bounds, choose, executed, nullptr, options.stop_at_first);
    record(out, run, make, options);
    progress.tick(out);
    if (run.violation && options.stop_at_first) break;
    if (dpor) add_backtrack_points();
    // Backtrack to the deepest node with an unexplored, non-redundant choice.
    while (!stack.empty()) {
      Node& n = stack.back();
      n.done.push_back(Entry{n.enabled[n.chosen], std::move(n.chosen_footprint)});
      if (auto next = first_allowed(n)) {
        n.chosen = *next;
        break;
      }
      stack.pop_back();
    }
    if (stack.empty()) {
      out.exhaustive = true;
      break;
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

ExploreResult explore_random(const ScenarioFactory& make, const ExploreOptions& options, std::uint64_t runs,
                             std::uint64_t seed, int pct_depth) {
  const Bounds& bounds = options.bounds;
  auto start = std::chrono::steady_clock::now();
  ExploreResult out;
  Progress progress(options);
  std::mt19937_64 rng(seed);
  // Faults and PCT's priority changes land at depths drawn uniformly over
  // the length of a run (the longest seen so far). Taken with a probability
  // per step instead, faults would nearly all come in the first few steps.
  std::uint64_t horizon = 1;
  for (std::uint64_t r = 0; r < runs; ++r) {
    std::vector<int> fault_points, change_points;
    for (int i = 0; i < bounds.max_faults; ++i) fault_points.push_back(static_cast<int>(rng() % horizon));
    std::sort(fault_points.begin(), fault_points.end());
    // PCT: each process gets a random priority when first seen; at
    // pct_depth - 1 random depths the running process drops to the bottom.
    for (int i = 1; i < pct_depth; ++i) change_points.push_back(static_cast<int>(rng() % horizon));
    std::unordered_map<std::uint64_t, std::int64_t> priority;
    std::int64_t lowest = 0;
    std::size_t faults_taken = 0;
    auto choose = [&](const Decision& d) -> std::optional<std::size_t> {
      std::vector<std::size_t> kills, steps;
      for (std::size_t i = 0; i < d.enabled.size(); ++i) {
        if (!preemption_allowed(d.enabled[i], d, bounds)) continue;
        (d.enabled[i].kind == Choice::Kind::kill ? kills : steps).push_back(i);
      }
      // A fault due here is taken at the first point that has a victim.
      if (!kills.empty() && faults_taken < fault_points.size() && d.depth >= fault_points[faults_taken]) {
        ++faults_taken;
        return kills[rng() % kills.size()];
      }
      if (steps.empty()) return kills[rng() % kills.size()];
      if (pct_depth <= 0) return steps[rng() % steps.size()];
      if (std::find(change_points.begin(), change_points.end(), d.depth) != change_points.end() &&
          !d.last_run.is_nil()) {
        priority[d.last_run.id] = --lowest;
      }
      std::size_t best = steps.front();
      std::int64_t best_priority = INT64_MIN;
      for (auto i : steps) {
        auto [it, fresh] = priority.try_emplace(d.enabled[i].pid.id, 0);
        if (fresh) it->second = static_cast<std::int64_t>(rng() % 1000000) + 1;
        if (it->second > best_priority) {
          best_priority = it->second;
          best = i;
        }
      }
      return best;
    };
    auto executed = [](int, const Choice&, Footprint) {};
    RunResult run = execute(make, bounds, choose, executed, nullptr, options.stop_at_first);
    horizon = std::max<std::uint64_t>(horizon, run.schedule.size());
    record(out, run, make, options);
    progress.tick(out);
    if (run.violation && options.stop_at_first) break;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

std::optional<ReplayResult> replay(const ScenarioFactory& make, const std::vector<Choice>& schedule,
                                   const Bounds& bounds) {
  bool misfit = false;
  auto choose = [&](const Decision& d) -> std::optional<std::size_t> {
    auto depth = static_cast<std::size_t>(d.depth);
    if (depth < schedule.size()) {
      auto it = std::find(d.enabled.begin(), d.enabled.end(), schedule[depth]);
      if (it == d.enabled.end()) {
        misfit = true;
        return std::nullopt;
      }
      return static_cast<std::size_t>(it - d.enabled.begin());
    }
    // Past the schedule: keep running the last process, else the lowest pid.
    std::size_t index = 0;
    for (std::size_t i = 0; i < d.enabled.size(); ++i) {
      if (d.enabled[i] == Choice{Choice::Kind::step, d.last_run}) index = i;
    }
    return index;
  };
  auto executed = [](int, const Choice&, Footprint) {};
  ReplayResult out;
  Bounds unbounded_steps = bounds;
  unbounded_steps.max_steps = std::max<int>(bounds.max_steps, static_cast<int>(schedule.size()));
  RunResult run = execute(make, unbounded_steps, choose, executed, &out.trace, true);
  if (misfit) return std::nullopt;
  out.violation = std::move(run.violation);
  out.schedule = std::move(run.schedule);
  return out;
}

std::string format_trace(const std::vector<TraceLine>& trace) {
  std::size_t width = 0;
  for (const auto& line : trace) width = std::max(width, line.actor.size());
  std::ostringstream out;
  for (const auto& line : trace) {
    std::string step = line.step ? std::to_string(line.step) : "-";
    out << "  " << std::string(step.size() < 4 ? 4 - step.size() : 0, ' ') << step << "  " << line.actor
        << std::string(width - line.actor.size() + 2, ' ') << line.text << '\n';
  }
  return out.str();
}

}  // namespace peer::explore
