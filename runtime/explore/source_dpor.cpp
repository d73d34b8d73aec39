// explore/source_dpor.cpp - the exhaustive depth-first search with sleep
// sets and source-DPOR (Abdulla et al., POPL 2014, without wakeup trees),
// or sleep sets alone, or no reduction; with options.optimal it hands over
// to optimal DPOR (optimal.cpp).
#include <algorithm>
#include <chrono>

#include "explore/engine.h"

namespace peer::explore {

using namespace detail;

namespace {

// The exhaustive depth-first search with sleep sets and source-DPOR, or
// sleep sets alone, or no reduction: one stack of nodes, each run replaying
// the stack's prefix and extending it.
class SourceDporSearch {
 public:
  SourceDporSearch(const ScenarioFactory& make, const ExploreOptions& options)
      : make_(make),
        options_(options),
        bounds_(options.bounds),
        // DPOR needs every choice it asks for to be explorable; a preemption
        // bound could forbid one, so bounded searches explore all enabled
        // choices.
        dpor_(options.dpor && options.bounds.max_preemptions < 0) {}

  ExploreResult run() {
    auto start = std::chrono::steady_clock::now();
    Progress progress(options_);
    for (;;) {
      child_sleep_.clear();
      auto choose = [&](const Decision& d) { return choose_at(d); };
      auto executed = [&](int depth, const Choice& choice, Footprint footprint) {
        record_execution(depth, choice, std::move(footprint));
      };
      RunResult run =
          execute(make_, bounds_, choose, executed, nullptr, options_.stop_at_first, options_.collect_traces);
      record(out_, run, make_, options_);
      progress.tick(out_);
      if (run.violation && options_.stop_at_first) break;
      if (dpor_) add_backtrack_points();
      if (!backtrack()) {
        out_.exhaustive = true;
        break;
      }
    }
    out_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::move(out_);
  }

 private:
  struct Node : SleepNode {
    std::vector<Choice> todo;  // DPOR: choices some race asks to try here
  };

  static std::size_t index_of(const Node& n, const Choice& c) {
    return static_cast<std::size_t>(std::find(n.enabled.begin(), n.enabled.end(), c) - n.enabled.begin());
  }

  // The next choice to explore at n: with DPOR, one a race asked for (a
  // fresh node starts with its first allowed choice); without, any. Faults
  // are actors (engine.h's execute): a race asks for them as for any other.
  std::optional<std::size_t> first_allowed(Node& n) const {
    if (!dpor_) {
      for (std::size_t i = 0; i < n.enabled.size(); ++i) {
        if (n.allows(n.enabled[i], bounds_)) return i;
      }
      return std::nullopt;
    }
    if (n.todo.empty() && n.done.empty()) seed_todo(n);
    for (const Choice& c : n.todo) {
      if (n.allows(c, bounds_)) return index_of(n, c);
    }
    return std::nullopt;
  }

  // A fresh node's first choice under DPOR: the first allowed one.
  void seed_todo(Node& n) const {
    for (const Choice& c : n.enabled) {
      if (n.allows(c, bounds_)) {
        n.todo.push_back(c);
        break;
      }
    }
  }

  std::optional<std::size_t> choose_at(const Decision& d) {
    auto depth = static_cast<std::size_t>(d.depth);
    if (depth < stack_.size()) return stack_[depth].chosen;  // replaying the current prefix
    Node n;
    n.enabled = d.enabled;
    n.sleep = options_.sleep_sets ? child_sleep_ : std::vector<SleepEntry>{};
    n.last_run = d.last_run;
    n.preemptions = d.preemptions;
    auto index = first_allowed(n);
    if (!index) return std::nullopt;
    n.chosen = *index;
    stack_.push_back(std::move(n));
    return index;
  }

  void record_execution(int depth, const Choice& choice, Footprint footprint) {
    Node& n = stack_[static_cast<std::size_t>(depth)];
    child_sleep_.clear();
    if (options_.sleep_sets) n.sleep_after(choice, footprint, child_sleep_);
    n.chosen_footprint = std::move(footprint);
  }

  // Backtracks to the deepest node with an unexplored, non-redundant
  // choice; false when there is none (the search is complete).
  bool backtrack() {
    while (!stack_.empty()) {
      Node& n = stack_.back();
      n.finish_chosen();
      if (auto next = first_allowed(n)) {
        n.chosen = *next;
        return true;
      }
      stack_.pop_back();
    }
    return false;
  }

  const Choice& chosen(std::size_t k) const { return stack_[k].enabled[stack_[k].chosen]; }
  bool happens_before(std::size_t i, std::size_t j) const { return (before_[i * words_ + j / 64] >> (j % 64)) & 1; }

  // The initials of v for the race of j and i. Row i is still being built,
  // but it is final above j, which is all this reads of it.
  void collect_initials(std::size_t j, std::size_t i) {
    initials_.clear();
    in_v_.clear();
    for (std::size_t k = j + 1; k <= i; ++k) {
      if (k < i && happens_before(k, j)) continue;  // depends on j: not in v
      bool initial = std::none_of(in_v_.begin(), in_v_.end(), [&](std::size_t m) { return happens_before(k, m); });
      in_v_.push_back(k);
      if (initial && std::find(initials_.begin(), initials_.end(), chosen(k)) == initials_.end()) {
        initials_.push_back(chosen(k));
      }
    }
  }

  // Unless j's backtrack set already holds an initial, adds one: i's actor
  // if it can run at j, else the first that can, else everything that can.
  void ask_to_reverse(Node& at, const Choice& ci) {
    auto enabled_at = [&](const Choice& c) {
      return std::find(at.enabled.begin(), at.enabled.end(), c) != at.enabled.end();
    };
    auto in_todo = [&](const Choice& c) { return std::find(at.todo.begin(), at.todo.end(), c) != at.todo.end(); };
    if (std::any_of(initials_.begin(), initials_.end(), in_todo)) return;
    auto pick = std::find(initials_.begin(), initials_.end(), ci);
    if (pick == initials_.end() || !enabled_at(*pick))
      pick = std::find_if(initials_.begin(), initials_.end(), enabled_at);
    if (pick != initials_.end()) {
      at.todo.push_back(*pick);
      return;
    }
    for (const Choice& c : at.enabled) {
      if (!in_todo(c)) at.todo.push_back(c);
    }
  }

  // Source-DPOR (Abdulla et al., POPL 2014): for every pair of dependent
  // steps j < i of different actors in this run that nothing else orders,
  // the reversed order must be reachable from j. It starts with one of the
  // "initials" of v - the steps after j that do not depend on j, then i -
  // that is, an actor whose first step in v depends on nothing earlier in v.
  // If j's backtrack set holds none of them, add one (i's actor if it is).
  void add_backtrack_points() {
    const std::size_t n = stack_.size();
    words_ = (n + 63) / 64;
    // before_[i]: the steps that happen before step i (a bit per step).
    before_.assign(n * words_, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const Choice ci = chosen(i);
      std::uint64_t* bi = &before_[i * words_];
      for (std::size_t j = i; j-- > 0;) {
        if (happens_before(i, j)) continue;  // ordered through a later step already
        bool same_actor = ci == chosen(j);
        if (!same_actor && independent(stack_[j].chosen_footprint, stack_[i].chosen_footprint)) continue;
        // A wait (which conflicts with everything) races only with what
        // could have come after it: a fault at a point where nothing ran.
        bool waits = ci.kind == Choice::Kind::wait || chosen(j).kind == Choice::Kind::wait;
        if (!same_actor &&
            (!waits || std::find(stack_[j].enabled.begin(), stack_[j].enabled.end(), ci) != stack_[j].enabled.end())) {
          // j and i race: nothing orders them but their conflict.
          collect_initials(j, i);
          ask_to_reverse(stack_[j], ci);
        }
        bi[j / 64] |= 1ULL << (j % 64);
        const std::uint64_t* bj = &before_[j * words_];
        for (std::size_t w = 0; w < words_; ++w) bi[w] |= bj[w];
      }
    }
    // A choice a step disabled (a fault takes its target's step away; what
    // makes a process ready takes the wait away) never meets that step in
    // this run, so no race shows it: it is tried before the step.
    for (std::size_t j = 0; j + 1 < n; ++j) {
      Node& at = stack_[j];
      for (const Choice& c : at.enabled) {
        if (c == chosen(j) ||
            std::find(stack_[j + 1].enabled.begin(), stack_[j + 1].enabled.end(), c) != stack_[j + 1].enabled.end()) {
          continue;
        }
        if (std::find(at.todo.begin(), at.todo.end(), c) == at.todo.end()) at.todo.push_back(c);
      }
    }
  }

  const ScenarioFactory& make_;
  const ExploreOptions& options_;
  const Bounds& bounds_;
  const bool dpor_;
  ExploreResult out_;
  std::vector<Node> stack_;
  std::vector<SleepEntry> child_sleep_;
  // add_backtrack_points's scratch space, kept between runs.
  std::size_t words_ = 0;
  std::vector<std::uint64_t> before_;
  std::vector<Choice> initials_;
  std::vector<std::size_t> in_v_;
};

}  // namespace

ExploreResult explore_exhaustive(const ScenarioFactory& make, const ExploreOptions& options) {
  if (options.optimal && options.dpor && options.sleep_sets && options.bounds.max_preemptions < 0) {
    return splits_optimal(options) ? explore_optimal_split(make, options) : explore_optimal(make, options);
  }
  if (options.workers > 1 && splits_across_workers(options)) return explore_parallel(make, options, options.workers);
  return SourceDporSearch(make, options).run();
}

}  // namespace peer::explore
