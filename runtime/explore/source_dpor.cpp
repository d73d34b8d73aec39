// explore/source_dpor.cpp - the exhaustive depth-first search with sleep
// sets and source-DPOR (Abdulla et al., POPL 2014, without wakeup trees),
// or sleep sets alone, or no reduction; with options.optimal it hands over
// to optimal DPOR (optimal.cpp).
#include <algorithm>
#include <chrono>

#include "explore/engine.h"

namespace peer::explore {

using namespace detail;

ExploreResult explore_exhaustive(const ScenarioFactory& make, const ExploreOptions& options) {
  if (options.optimal && options.dpor && options.sleep_sets && options.bounds.max_preemptions < 0) {
    return explore_optimal(make, options);
  }
  if (options.workers > 1 && splits_across_workers(options)) return explore_parallel(make, options, options.workers);
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

}  // namespace peer::explore
