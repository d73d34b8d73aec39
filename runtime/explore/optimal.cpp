// explore/optimal.cpp - optimal DPOR: source sets with wakeup trees
// (Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic partial order
// reduction", POPL 2014; the algorithm of Nidhugg and of Concuerror's
// optimal mode).
//
// Source-DPOR (explore_exhaustive) answers a race by adding one process to
// the earlier node's backtrack set; what that process does next is left to
// chance, and sleep sets then cut the runs that turn out equivalent to
// explored ones - three for every useful run on the materializer. Here a race
// is answered with the whole sequence that reverses it (the steps after the
// earlier event that do not depend on it, then the later event), kept in the
// node's wakeup tree and followed step by step, so that every run explored is
// a new trace and none is cut.
//
// What the runtime adds to the textbook setting:
// - A process woken by the earlier event (a message it waited for, a spawn)
//   cannot run before it: that race is not reversible and is skipped.
// - Faults are actors (engine.h's execute): each fault target's fault actor
//   has one event, and so has the no-fault actor; every run runs them all,
//   so no event is optional, as the paper assumes. Their events race like
//   any other: a fault is tried where a race asks for it.
// - Some events disable others: a fault takes its target's next step away,
//   and what makes a process ready takes the wait away. The disabled choice
//   never meets that event in the run, so no race shows it: it is tried
//   before the event (as Flanagan and Godefroid do with disabling), unless a
//   sleeping choice covers it.
// - A step's footprint depends on the state it meets (a monitor of a live
//   process touches other objects than one of a dead process), so the last
//   step of a reversing sequence, and the step taken where no race asks for
//   one, have no known footprint: they are taken to conflict with
//   everything. The other choices' are known in advance
//   (predicted_footprint: a superset, checked when they run): the no-fault
//   event's and the wait's always, a fault actor's event's where the
//   sequence is that event alone.
// - One departure from the paper's insert, for those unknown footprints: a
//   sequence that reaches a leaf extends it with what is left of it, where
//   the paper drops it as covered. A leaf whose step came without a
//   footprint may be explored with a sleeping choice that covers its
//   continuations but not the rest of the sequence, which would be lost
//   (measured: 32 traces of `corrected`, 13 of the restart scenario).
// - The paper's insertion test, made late for the same reason: once the
//   last step of a race's sequence has run, its footprint is known, and if
//   a choice this search explored before (a sleeping one) commutes with it,
//   the sequence was covered and the paper would not have inserted it. The
//   run stops right there (ExploreResult::covered_on_arrival) instead of
//   running on into that sleeping choice, the only end it could reach
//   (before: 32 such dead ends on `corrected`, 70 on the other two, 4 on
//   the restart scenario; now none, the same traces, byte for byte). Not
//   for a choice a unit's sleep set holds from the split: another unit
//   explored it, and its races were never answered here (measured: 534
//   traces of `corrected` lost).
//
// Each trace is explored once, and the searches reach the same set of
// traces: sleep sets alone, source-DPOR and optimal DPOR (the tests compare
// the sets, ExploreOptions::collect_traces). No run of the plain search
// ends in a sleep set; a unit's can, in the sleep set the split gives it.
#include <algorithm>
#include <chrono>

#include "explore/engine.h"

namespace peer::explore {

namespace {

using namespace detail;

// A step with its footprint; empty: not known (not run yet, or run
// elsewhere in another state).
using Step = SleepEntry;

// An ordered forest: each path from a root is a sequence of steps to run
// from the node that holds it, leftmost first.
struct Branch {
  Step step;
  std::vector<Branch> children;
  bool asked = true;  // a race's sequence, not a choice tried for want of one
};
using WakeupTree = std::vector<Branch>;

struct Node {
  std::vector<Choice> enabled;
  std::vector<Step> sleep;  // the sleep set it was reached with, then each explored sibling
  WakeupTree wut;           // branches still to explore here
  Step chosen;              // the branch being explored (its footprint once run)
  Messages messages;              // what chosen queued and took, once run
  bool expect_footprint = false;  // chosen came with a footprint: check it
  bool expect_footprint_exact = false;  // that footprint was recorded, not predicted
  std::vector<Step> predictions;  // the fault model's choices here, with predicted footprints
  std::vector<std::uint64_t> before;  // bit j: node j's step happens before this one's
  // chosen ends a race's sequence and came without a footprint: once it has
  // run, a sleeping choice may turn out to cover the sequence (executed).
  bool may_be_covered = false;
};

bool contains(const std::vector<Choice>& choices, const Choice& c) {
  return std::find(choices.begin(), choices.end(), c) != choices.end();
}

// Whether step commutes with s. A step not run yet has no footprint: it is
// taken to conflict with everything (a conservative answer).
bool commutes(const Step& step, const Step& s) { return detail::commutes(step.footprint, s.footprint); }

// If step is an initial of v (its actor's first step in v commutes with
// everything before it there), v without that step; if step commutes with all
// of v (a weak initial), v itself; otherwise nothing.
std::optional<std::vector<Step>> after_initial(const Step& step, const std::vector<Step>& v) {
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (v[k].choice == step.choice) {
      std::vector<Step> rest = v;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(k));
      return rest;
    }
    if (!commutes(step, v[k])) return std::nullopt;
  }
  return v;
}

bool weak_initial(const Step& step, const std::vector<Step>& v) {
  for (const Step& s : v) {
    if (s.choice == step.choice) return true;
    if (!commutes(step, s)) return false;
  }
  return true;
}

// insert[E](v, tree): follow the leftmost branch whose step is a (weak)
// initial of what is left of v; the rest of v becomes a new, rightmost
// branch where none is, or extends the leaf reached (see the file comment).
void insert(WakeupTree& tree, std::vector<Step> v) {
  WakeupTree* level = &tree;
  for (;;) {
    Branch* into = nullptr;
    for (Branch& b : *level) {
      if (auto rest = after_initial(b.step, v)) {
        v = std::move(*rest);
        into = &b;
        break;
      }
    }
    if (!into || into->children.empty()) {
      if (into) level = &into->children;
      for (Step& s : v) {
        level->push_back(Branch{std::move(s), {}});
        level = &level->back().children;
      }
      return;
    }
    level = &into->children;
  }
}

const Step* prediction(const Node& n, const Choice& c) {
  for (const Step& s : n.predictions) {
    if (s.choice == c) return &s;
  }
  return nullptr;
}

bool is_root(const WakeupTree& tree, const Choice& c) {
  return std::any_of(tree.begin(), tree.end(), [&](const Branch& b) { return b.step.choice == c; });
}

bool sleeping(const Node& n, const Choice& c) {
  return std::any_of(n.sleep.begin(), n.sleep.end(), [&](const Step& s) { return s.choice == c; });
}

class OptimalSearch {
 public:
  // With a unit (explore_optimal_split): the search below unit.prefix only,
  // its first node starting with unit.sleep; races with a step of the
  // prefix are left to the split (which tries every choice there).
  // With max_runs: gives up (exhaustive false) after that many runs.
  OptimalSearch(const ScenarioFactory& make, const ExploreOptions& options, const OptimalUnit* unit = nullptr,
                std::uint64_t max_runs = 0, bool keep_leftmost = false)
      : make_(make),
        options_(options),
        progress_(options),
        unit_(unit),
        base_(unit ? unit->prefix.size() : 0),
        max_runs_(max_runs),
        keep_leftmost_(keep_leftmost) {}

  ExploreResult run() {
    auto start = std::chrono::steady_clock::now();
    search();
    out_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::move(out_);
  }

  ExploreResult take() { return std::move(out_); }

  // Runs until the search is done (true) or gives up (max_runs, or the
  // first violation when asked to stop there).
  bool search() {
    for (;;) {
      child_sleep_.clear();
      auto choose = [&](const Decision& d) { return this->choose(d); };
      auto executed = [&](int depth, const Choice& choice, Footprint footprint, const Messages& messages) {
        this->executed(static_cast<std::size_t>(depth), choice, std::move(footprint), messages);
      };
      RunResult run =
          execute(make_, options_.bounds, choose, executed, nullptr, options_.stop_at_first, options_.collect_traces);
      handed_down_.clear();
      if (keep_leftmost_ && first_run_.empty()) first_run_ = run.schedule;
      if (covered_ && run.blocked && !run.violation) {
        ++out_.covered_on_arrival;
      } else {
        record(out_, run, make_, options_);
      }
      covered_ = false;
      progress_.tick(out_);
      if (run.violation && options_.stop_at_first) return false;
      add_wakeup_sequences();
      if (!backtrack()) {
        out_.exhaustive = true;
        return true;
      }
      if (max_runs_ && out_.runs() >= max_runs_) return false;
    }
  }

  // The plain search, given up (max_runs) before it was done, as the search
  // of a unit below the first run's first choices with no sleep set (the
  // split's leftmost unit): until the search first leaves the subtree below
  // a prefix of its first run, it runs what that unit's search runs, in the
  // same order - the same sleep sets (none yet above), the same races
  // answered below the prefix, and those with a step of the prefix only
  // inserted above it, where the unit leaves them. So the try is not lost:
  // if it left the subtree, the result it had then (kept at each backtrack
  // to a shallower node than before); if not, its search goes on as the
  // unit's. nullopt: not such a unit.
  std::optional<ExploreResult> leftmost_unit(const OptimalUnit& unit) {
    const std::size_t depth = unit.prefix.size();
    if (!keep_leftmost_ || !unit.sleep.empty() || first_run_.size() < depth ||
        !std::equal(unit.prefix.begin(), unit.prefix.end(), first_run_.begin())) {
      return std::nullopt;
    }
    for (auto& [from, result] : left_) {  // shallowest backtrack last
      if (from < depth) {
        result.exhaustive = true;
        return std::move(result);
      }
    }
    unit_ = &unit;
    base_ = depth;
    max_runs_ = 0;
    keep_leftmost_ = false;
    left_.clear();
    return run();
  }

 private:
  static std::size_t index_of(const Node& n, const Choice& c) {
    return static_cast<std::size_t>(std::find(n.enabled.begin(), n.enabled.end(), c) - n.enabled.begin());
  }

  // Takes the next branch of n's wakeup tree; false when none is left.
  bool take_next(Node& n) {
    while (!n.wut.empty()) {
      Branch b = std::move(n.wut.front());
      n.wut.erase(n.wut.begin());
      if (!contains(n.enabled, b.step.choice) || sleeping(n, b.step.choice)) {
        // The sequence cannot be followed here (a dependency the footprints
        // missed): fall back to trying every choice at this node.
        ++out_.wakeup_anomalies;
        for (const Choice& c : n.enabled) {
          if (!sleeping(n, c) && !is_root(n.wut, c)) n.wut.push_back(Branch{Step{c, {}}, {}, false});
        }
        continue;
      }
      bool predicted = false;
      n.may_be_covered = b.asked && b.children.empty() && b.step.footprint.empty();
      if (b.step.footprint.empty()) {
        if (const Step* p = prediction(n, b.step.choice)) {
          b.step.footprint = p->footprint;
          predicted = true;
        }
      }
      n.chosen = std::move(b.step);
      // A prediction holds what the choice touches; a recorded footprint is
      // what it touched. (A wait's is everything, whatever it records.)
      n.expect_footprint = !n.chosen.footprint.empty() && n.chosen.choice.kind != Choice::Kind::wait;
      n.expect_footprint_exact = !predicted && n.chosen.choice.kind == Choice::Kind::step;
      handed_down_ = std::move(b.children);
      return true;
    }
    return false;
  }

  std::optional<std::size_t> choose(const Decision& d) {
    auto depth = static_cast<std::size_t>(d.depth);
    if (covered_) return std::nullopt;  // the run stops (executed)
    if (depth < stack_.size()) return index_of(stack_[depth], stack_[depth].chosen.choice);  // the prefix
    Node n;
    n.enabled = d.enabled;
    if (depth < base_) {  // the unit's prefix: fixed, kept for happens-before
      n.chosen = Step{unit_->prefix[depth], {}};
      std::size_t index = index_of(n, n.chosen.choice);
      if (index == n.enabled.size()) return std::nullopt;  // cannot happen: runs are deterministic
      stack_.push_back(std::move(n));
      return index;
    }
    // (Below the unit's prefix only: races and disabled choices are answered
    // there alone.)
    for (const Choice& c : n.enabled) {
      if (c.kind != Choice::Kind::step) n.predictions.push_back(Step{c, predicted_footprint(d, c)});
    }
    n.sleep = depth == base_ && unit_ ? unit_->sleep : child_sleep_;
    if (depth == base_ && unit_) {
      for (Step& s : n.sleep) s.from_split = true;
    }
    n.wut = std::move(handed_down_);
    handed_down_.clear();
    if (n.wut.empty()) {  // no race asks for a choice here: the first that does not sleep
      for (const Choice& c : n.enabled) {
        if (!sleeping(n, c)) {
          n.wut.push_back(Branch{Step{c, {}}, {}, false});
          break;
        }
      }
    }
    // Sleep-set blocked: rarely (see the file comment).
    if (!take_next(n)) return std::nullopt;
    std::size_t index = index_of(n, n.chosen.choice);
    stack_.push_back(std::move(n));
    return index;
  }

  void executed(std::size_t depth, const Choice& choice, Footprint footprint, const Messages& messages) {
    Node& n = stack_[depth];
    n.messages = messages;
    if (n.expect_footprint &&
        (n.expect_footprint_exact ? n.chosen.footprint != footprint : !covers(n.chosen.footprint, footprint))) {
      ++out_.wakeup_anomalies;
    }
    n.expect_footprint = false;
    n.chosen.footprint = std::move(footprint);
    // The insertion test, now that the footprint is known (file comment): a
    // choice this search explored before that commutes with the step is a
    // weak initial of the sequence, which the paper would not have
    // inserted. The rest of this run could only run into that sleeping
    // choice, so it stops here.
    if (n.may_be_covered) {
      covered_ = std::any_of(n.sleep.begin(), n.sleep.end(), [&](const Step& s) {
        return !s.from_split && s.choice != choice && commutes(s, n.chosen);
      });
    }
    child_sleep_.clear();
    for (const Step& s : n.sleep) {
      if (s.choice == choice || !commutes(s, n.chosen)) continue;
      child_sleep_.push_back(s);
    }
  }

  // For every race of this run - two dependent steps j < i of different
  // actors that nothing else orders - the sequence that reverses it, v =
  // (the steps between them that do not depend on j) then i, goes into j's
  // wakeup tree, unless j's sleep set holds a weak initial of v (then an
  // explored sibling covers it). Then every choice some step disabled is
  // tried before that step.
  void add_wakeup_sequences() {
    const std::size_t n = stack_.size();
    auto test = [&](std::size_t i, std::size_t j) { return (stack_[i].before[j / 64] >> (j % 64)) & 1; };
    std::vector<Step> v;
    auto insert_unless_covered = [&](Node& at) {
      if (std::none_of(at.sleep.begin(), at.sleep.end(), [&](const Step& s) { return weak_initial(s, v); })) {
        insert(at.wut, v);
      }
    };
    // Only the steps this run took anew: the prefix is the last run's, and
    // so are its races and their sequences (inserted then, or covered).
    for (std::size_t i = fresh_; i < n; ++i) {
      const Step& si = stack_[i].chosen;
      std::vector<std::uint64_t>& bi = stack_[i].before;
      bi.assign(i / 64 + 1, 0);
      for (std::size_t j = i; j-- > 0;) {
        if (test(i, j)) continue;
        const Step& sj = stack_[j].chosen;
        bool same_actor = si.choice == sj.choice;
        if (!same_actor && independent(sj.footprint, si.footprint)) continue;
        if (!same_actor && j >= base_ && reversible(j, i)) {
          v.clear();
          for (std::size_t k = j + 1; k < i; ++k) {
            if (!test(k, j)) v.push_back(stack_[k].chosen);
          }
          // i's actor goes last; run before j, what a process step does may
          // differ from what it did here (e.g. a monitor finds j's process
          // alive): its footprint is not known. The no-fault event's and
          // the wait's are the same everywhere, and a fault's is predicted
          // where it goes right at j.
          Step last{si.choice, {}};
          const Step* p = prediction(stack_[j], si.choice);
          if (p && (si.choice.kind != Choice::Kind::kill || v.empty())) last = *p;
          v.push_back(std::move(last));
          insert_unless_covered(stack_[j]);
        }
        bi[j / 64] |= 1ULL << (j % 64);
        const std::vector<std::uint64_t>& bj = stack_[j].before;
        for (std::size_t w = 0; w < bj.size(); ++w) bi[w] |= bj[w];
      }
    }
    for (std::size_t j = std::max(base_, fresh_); j + 1 < n; ++j) {
      Node& at = stack_[j];
      for (const Choice& c : at.enabled) {
        if (c == at.chosen.choice || contains(stack_[j + 1].enabled, c)) continue;
        const Step* p = prediction(at, c);
        v.assign(1, p ? *p : Step{c, {}});
        insert_unless_covered(at);
      }
    }
  }

  // i could have gone before j: it does not take a message j sent, and its
  // actor was not woken (or spawned, or offered as a fault) by j.
  bool reversible(std::size_t j, std::size_t i) const {
    for (std::uint64_t m : stack_[i].messages.received) {
      const auto& sent = stack_[j].messages.sent;
      if (std::find(sent.begin(), sent.end(), m) != sent.end()) return false;
    }
    const Choice& c = stack_[i].chosen.choice;
    // A wait goes only where no process is ready, and nothing that ran after
    // it was ready before it but a fault.
    if (c.kind == Choice::Kind::wait || stack_[j].chosen.choice.kind == Choice::Kind::wait) {
      return contains(stack_[j].enabled, c);
    }
    return contains(stack_[j].enabled, c) || !contains(stack_[j + 1].enabled, c);
  }

  // To the deepest node with a branch left; false when the search is done.
  bool backtrack() {
    while (stack_.size() > base_) {
      Node& n = stack_.back();
      n.sleep.push_back(std::move(n.chosen));
      if (take_next(n)) {
        fresh_ = stack_.size() - 1;
        if (keep_leftmost_ && (left_.empty() || fresh_ < left_.back().first)) {
          // Every run so far shares the first fresh_ + 1 choices, and no
          // later one will: the result of the units below them (and below
          // any longer prefix of the first run, up to the last such node).
          left_.emplace_back(fresh_, out_);
        }
        return true;
      }
      stack_.pop_back();
    }
    return false;
  }

  const ScenarioFactory& make_;
  const ExploreOptions& options_;
  Progress progress_;
  ExploreResult out_;
  std::vector<Node> stack_;
  std::vector<Step> child_sleep_;
  WakeupTree handed_down_;  // below the branch just taken: the next fresh node's tree
  std::size_t fresh_ = 0;  // the first node whose step the next run takes anew
  const OptimalUnit* unit_;
  std::size_t base_;  // the unit's prefix: nodes above it are fixed
  std::uint64_t max_runs_;
  // The try (OptimalTry): the first run's choices, and the result at each
  // backtrack to a shallower node than any before (leftmost_unit).
  bool keep_leftmost_ = false;
  std::vector<Choice> first_run_;
  std::vector<std::pair<std::size_t, ExploreResult>> left_;  // shallower and shallower
  bool covered_ = false;  // the step just run ends a covered sequence: stop
};

}  // namespace

ExploreResult explore_optimal(const ScenarioFactory& make, const ExploreOptions& options) {
  return OptimalSearch(make, options).run();
}

namespace detail {

ExploreResult explore_optimal_unit(const ScenarioFactory& make, const ExploreOptions& options,
                                   const OptimalUnit& unit) {
  return OptimalSearch(make, options, &unit).run();
}

struct OptimalTry::Search {
  OptimalSearch search;
};

OptimalTry::OptimalTry(const ScenarioFactory& make, const ExploreOptions& options, std::uint64_t max_runs)
    : search_(new Search{OptimalSearch(make, options, nullptr, max_runs, true)}) {}

OptimalTry::~OptimalTry() = default;

std::optional<ExploreResult> OptimalTry::run() {
  if (!search_->search.search()) return std::nullopt;
  return search_->search.take();
}

std::optional<ExploreResult> OptimalTry::leftmost_unit(const OptimalUnit& unit) {
  return search_->search.leftmost_unit(unit);
}

}  // namespace detail

}  // namespace peer::explore
