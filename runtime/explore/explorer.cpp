#include "explore/explorer.h"

#include "explore/cli.h"
#include "explore/engine.h"

#include <algorithm>
#include <random>
#include <sstream>
#include <unordered_map>

namespace peer::explore {

namespace detail {

void record(ExploreResult& out, const RunResult& run, const ScenarioFactory& make, const ExploreOptions& options) {
  const Bounds& bounds = options.bounds;
  if (run.blocked && !run.violation) {  // a violation before the cut is real
    ++out.sleep_blocked;
    return;
  }
  ++out.schedules;
  // A run cut by a sleep set after a violation has no final state: its
  // outcome is that of the equivalent run explored elsewhere.
  if (options.collect_outcomes && !run.blocked) out.outcomes.try_emplace(run.outcome, run.schedule);
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

}  // namespace detail

using namespace detail;

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
  if (options.optimal && options.dpor && options.sleep_sets && options.bounds.max_preemptions < 0) {
    return explore_optimal(make, options);
  }
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
