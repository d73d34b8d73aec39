// explore/parallel_optimal.cpp - optimal DPOR over the whole space, split
// into units that any number of workers explore, with a result that does not
// depend on the number of workers (-j 1 included) or on their timing.
//
// Optimal DPOR answers a race by inserting the reversing sequence into the
// wakeup tree of the node where the race's first step ran, which shapes the
// later siblings there: what is explored below a node depends on everything
// explored before it, and two workers exploring siblings at once would see
// other wakeup trees (other runs, other counts) from one timing to the next.
// So the tree is split where it does not depend on that: the top of it is
// searched with sleep sets alone, every enabled choice tried at every node in
// a fixed order (as in explore/parallel.cpp the tree there is fixed by the
// path), and each leaf of that top part is a unit, explored by
// the sequential optimal search with the sleep set the split gives it
// (optimal.cpp, explore_optimal_unit). A race whose first step is in the
// unit's prefix is not the unit's to answer: the split tries every choice
// there, and sleep sets alone are complete. Each unit is deterministic, so
// the whole search is: the same runs whatever the number of workers and
// their timing.
//
// How far the top part grows (Splitter) depends only on the tree: about
// ExploreOptions::split_units leaves, the one likely to hold the most work
// expanded first (Probe: Knuth's estimate of the size of the tree below
// it), and a leaf with more than two sleeping choices is left whole (its
// search is small: a sleep set cuts it). On the materializer the work is
// very uneven (one subtree deep down the left holds 40 % of it), so a split
// by depth alone needed 256 units and 440 redundant runs to balance two
// workers; by size, 96 units and 287 (docs/performance.md).
//
// A small space is not split: the plain search runs first, on worker 0,
// and if it is done within ExploreOptions::split_above runs (500: the
// restart scenario), that is the result, on one worker. Otherwise the space
// is split, and the try is not lost: until the plain search leaves the
// subtree of the leftmost unit (below its first run's first choices, with
// no sleep set), it runs what that unit's search runs, in the same order, so
// worker 0 takes that unit and goes on with the try's search there, or keeps
// the result it had when it left (OptimalTry; before, the try was dropped:
// 4 % of `corrected`'s search). With two workers or more it runs beside the
// split: worker 1 lists the units meanwhile and starts on the others.
//
// The units are listed first (one run per node of the split, to learn each
// choice's footprint and the estimate), then the workers take them largest
// estimate first (so that no big unit starts last), each unit's result is
// kept apart, and they are merged in depth-first order as one
// thread records them: counts add, the first counterexample is the first
// unit's, the shortest per invariant the first of the fewest choices, and
// the first schedule per outcome and per trace the first unit's. So -j N
// gives -j 1's result but for seconds and workers.
//
// The price of the split: the top part is not reduced by races, and a unit's
// search starts with no wakeup tree, so it runs into its sleep set more often
// than the unsplit search does: on `corrected`, 287 runs cut as redundant
// instead of 32, and a violation seen before a run is cut counts as a
// schedule (docs/performance.md). The traces reached are the same, each once.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <time.h>

#include "explore/engine.h"

namespace peer::explore {

namespace {

using namespace detail;

bool asleep(const std::vector<SleepEntry>& sleep, const Choice& c) {
  return std::any_of(sleep.begin(), sleep.end(), [&](const SleepEntry& e) { return e.choice == c; });
}

// What one run shows of a node of the split, the end of `prefix`: the
// choices enabled there (reached: false if the run ended or hit the step
// bound before), the footprint of the prefix's last choice, the sleep set
// the node inherits (the parent's explored choices that commute with that
// one), and how big the search below the node is likely to be. That is
// Knuth's estimator of the size of a backtrack tree ("Estimating the
// efficiency of backtrack programs", 1975) on one path: the run goes on down
// the leftmost path the sleep-set search would take, and the estimate is the
// product of the choices awake at each node (log2 of it, here). It is rough
// but ranks the units well enough to balance them: on the materializer its
// rank correlation with the runs a unit takes is 0.78-0.85, and the largest
// unit has the largest estimate.
struct Probe {
  bool reached = false;
  std::vector<Choice> enabled;
  Footprint last_footprint;
  std::vector<SleepEntry> sleep;
  double log2_size = 0;
};

Probe probe(const ScenarioFactory& make, const Bounds& bounds, const std::vector<Choice>& prefix,
            const std::vector<SleepEntry>& explored_at_parent) {
  Probe out;
  std::vector<SleepEntry> sleep_here;  // the sleep set along the path below the node
  auto choose = [&](const Decision& d) -> std::optional<std::size_t> {
    auto depth = static_cast<std::size_t>(d.depth);
    if (depth < prefix.size()) {
      auto it = std::find(d.enabled.begin(), d.enabled.end(), prefix[depth]);
      if (it == d.enabled.end()) return std::nullopt;  // cannot happen: runs are deterministic
      return static_cast<std::size_t>(it - d.enabled.begin());
    }
    if (depth == prefix.size()) {
      out.reached = true;
      out.enabled = d.enabled;
    }
    std::size_t awake = 0, first = d.enabled.size();
    for (std::size_t i = 0; i < d.enabled.size(); ++i) {
      if (asleep(sleep_here, d.enabled[i])) continue;
      if (awake++ == 0) first = i;
    }
    if (awake == 0) return std::nullopt;  // the sleep-set search stops here too
    out.log2_size += std::log2(static_cast<double>(awake));
    return first;
  };
  auto executed = [&](int step, const Choice&, Footprint footprint) {
    auto depth = static_cast<std::size_t>(step);
    if (depth + 1 == prefix.size()) {
      for (const SleepEntry& e : explored_at_parent) {
        if (commutes(e.footprint, footprint)) out.sleep.push_back(e);
      }
      sleep_here = out.sleep;
      out.last_footprint = std::move(footprint);
    } else if (depth >= prefix.size()) {
      std::erase_if(sleep_here, [&](const SleepEntry& e) { return !commutes(e.footprint, footprint); });
    }
  };
  execute(make, bounds, choose, executed, nullptr, false);
  return out;
}

// The sleep-set search of the top of the tree, grown one node at a time
// until there are `units` leaves: each time the open leaf with the largest
// estimate (then the leftmost) with at most kMaxSleep sleeping choices is
// expanded. A leaf where a run
// ends, or whose every choice sleeps, is never expanded. The leaves, in
// depth-first order, are the units. All of this depends only on the tree.
struct Split {
  std::vector<OptimalUnit> units;  // in depth-first order
  std::vector<double> log2_sizes;  // each unit's estimate (Probe)
};

class Splitter {
 public:
  // A leaf with more sleeping choices than this is a unit: its search is
  // cut short enough by them (on the materializer, 1 gives 493 redundant
  // runs on `corrected` instead of 287, 3 the same units as 2).
  static constexpr std::size_t kMaxSleep = 2;

  Splitter(const ScenarioFactory& make, const Bounds& bounds, std::size_t units)
      : make_(make), bounds_(bounds), target_(units) {}

  Split run() {
    std::vector<Leaf> leaves;
    leaves.push_back(Leaf{{}, {}, probe(make_, bounds_, {}, {})});
    for (;;) {
      std::size_t best = leaves.size();
      for (std::size_t i = 0; i < leaves.size(); ++i) {
        const Leaf& l = leaves[i];
        if (!l.open || l.here.sleep.size() > kMaxSleep) continue;  // reduced enough: a unit
        if (best == leaves.size() || l.here.log2_size > leaves[best].here.log2_size ||
            (l.here.log2_size == leaves[best].here.log2_size && l.key < leaves[best].key)) {
          best = i;
        }
      }
      if (best == leaves.size() || leaves.size() >= target_) break;
      std::vector<Leaf> children = expand(leaves[best]);
      if (children.empty()) {  // every choice sleeps: a unit (a cut run)
        leaves[best].open = false;
        continue;
      }
      leaves.erase(leaves.begin() + static_cast<std::ptrdiff_t>(best));
      for (Leaf& c : children) leaves.push_back(std::move(c));
    }
    std::sort(leaves.begin(), leaves.end(), [](const Leaf& a, const Leaf& b) { return a.key < b.key; });
    Split out;
    for (Leaf& l : leaves) {
      out.units.push_back(OptimalUnit{std::move(l.prefix), std::move(l.here.sleep)});
      out.log2_sizes.push_back(l.here.log2_size);
    }
    return out;
  }

 private:
  struct Leaf {
    std::vector<Choice> prefix;
    std::vector<std::uint32_t> key;  // sibling ranks along the prefix: depth-first order
    Probe here;
    bool open = true;
    Leaf(std::vector<Choice> p, std::vector<std::uint32_t> k, Probe h)
        : prefix(std::move(p)), key(std::move(k)), here(std::move(h)), open(here.reached) {}
  };

  // The children of a leaf: every choice that does not sleep there, each
  // with the sleep set it inherits.
  std::vector<Leaf> expand(const Leaf& at) {
    std::vector<SleepEntry> explored = at.here.sleep;
    std::vector<Leaf> children;
    for (const Choice& c : at.here.enabled) {
      if (asleep(explored, c)) continue;
      std::vector<Choice> prefix = at.prefix;
      prefix.push_back(c);
      Probe next = probe(make_, bounds_, prefix, explored);
      explored.push_back(SleepEntry{c, next.last_footprint});
      std::vector<std::uint32_t> key = at.key;
      key.push_back(static_cast<std::uint32_t>(children.size()));
      children.emplace_back(std::move(prefix), std::move(key), std::move(next));
    }
    return children;
  }

  const ScenarioFactory& make_;
  const Bounds& bounds_;
  const std::size_t target_;
};

// Adds a unit's result (from) after everything merged so far, as one
// thread's detail::record would have: counts add, "first" items stay.
void merge_after(ExploreResult& into, ExploreResult&& from) {
  into.schedules += from.schedules;
  into.violations += from.violations;
  into.sleep_blocked += from.sleep_blocked;
  into.step_bound_hits += from.step_bound_hits;
  into.wakeup_anomalies += from.wakeup_anomalies;
  into.covered_on_arrival += from.covered_on_arrival;
  into.exhaustive = into.exhaustive && from.exhaustive;
  if (!into.first && from.first) into.first = std::move(from.first);
  for (const auto& [k, v] : from.violations_by_invariant) into.violations_by_invariant[k] += v;
  for (const auto& [k, v] : from.violations_by_kind) into.violations_by_kind[k] += v;
  for (auto& [invariant, cx] : from.shortest_by_invariant) {
    auto it = into.shortest_by_invariant.find(invariant);
    if (it == into.shortest_by_invariant.end() || cx.schedule.size() < it->second.schedule.size()) {
      into.shortest_by_invariant[invariant] = std::move(cx);
    }
  }
  for (auto& [outcome, schedule] : from.outcomes) into.outcomes.try_emplace(outcome, std::move(schedule));
  into.repeated_traces += from.repeated_traces;
  for (auto& [trace, schedule] : from.traces) {
    if (!into.traces.try_emplace(trace, std::move(schedule)).second) ++into.repeated_traces;
  }
}

double thread_cpu_seconds() {
  timespec cpu{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) != 0) return 0;
  return static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) / 1e9;
}

}  // namespace

bool splits_optimal(const ExploreOptions& options) {
  return options.optimal && options.dpor && options.sleep_sets && options.bounds.max_preemptions < 0 &&
         !options.stop_at_first && options.split_units > 0;
}

ExploreResult explore_optimal_split(const ScenarioFactory& make, const ExploreOptions& options) {
  auto start = std::chrono::steady_clock::now();
  const unsigned workers = std::max(1u, options.workers);
  ExploreOptions unit_options = options;
  unit_options.progress = nullptr;  // the units run on the workers: progress is reported here
  unit_options.stop_at_first = false;

  // A small space is not worth splitting (the split costs redundant runs):
  // the plain search, if it is done within split_above runs, is the result.
  // Worker 0 tries it while worker 1 lists the units and starts on them
  // (with one worker, one after the other); on a large space worker 0 then
  // goes on with it as the leftmost unit's search.
  std::optional<ExploreResult> small;
  std::vector<OptimalUnit> units;
  std::vector<std::size_t> order;  // the units by estimated size, largest first
  bool listed = false;  // guarded by mu
  std::vector<ExploreResult> results;
  std::atomic<bool> abandon{false};  // the space was small: the units are not needed
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> schedules{0}, violations{0};
  std::vector<double> cpu(workers, 0.0);
  std::mutex mu;
  std::condition_variable cv;
  unsigned running = workers;  // guarded by mu
  const unsigned lister = workers > 1 ? 1 : 0;
  // The try's runs are the first of the leftmost unit's (OptimalTry): that
  // unit is worker 0's, which goes on with the try's search there.
  std::optional<OptimalTry> attempt;
  const bool tried = options.split_above > 0;
  auto work = [&](unsigned self) {
    if (self == 0 && tried) {
      attempt.emplace(make, unit_options, options.split_above);
      if (std::optional<ExploreResult> whole = attempt->run()) {
        std::lock_guard lock(mu);
        small = std::move(whole);
        abandon.store(true, std::memory_order_relaxed);
        cv.notify_all();
      }
    }
    if (self == lister && !abandon.load(std::memory_order_relaxed)) {
      Split split = Splitter(make, options.bounds, options.split_units).run();
      std::vector<std::size_t> by_size;
      for (std::size_t i = tried ? 1 : 0; i < split.units.size(); ++i) by_size.push_back(i);
      std::stable_sort(by_size.begin(), by_size.end(),
                       [&](std::size_t a, std::size_t b) { return split.log2_sizes[a] > split.log2_sizes[b]; });
      std::lock_guard lock(mu);
      units = std::move(split.units);
      order = std::move(by_size);
      results.resize(units.size());
      listed = true;
      cv.notify_all();
    } else {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return listed || abandon.load(std::memory_order_relaxed); });
    }
    // After `listed` (or abandon) under mu, units and results no longer change.
    auto explore_unit = [&](std::size_t i) {
      std::optional<ExploreResult> kept = i == 0 && attempt ? attempt->leftmost_unit(units[0]) : std::nullopt;
      results[i] = kept ? std::move(*kept) : explore_optimal_unit(make, unit_options, units[i]);
      schedules.fetch_add(results[i].schedules, std::memory_order_relaxed);
      violations.fetch_add(results[i].violations, std::memory_order_relaxed);
    };
    if (self == 0 && tried && !abandon.load(std::memory_order_relaxed) && !units.empty()) explore_unit(0);
    for (std::size_t n; !abandon.load(std::memory_order_relaxed) &&
                        (n = next.fetch_add(1, std::memory_order_relaxed)) < order.size();) {
      explore_unit(order[n]);
    }
    cpu[self] = thread_cpu_seconds();
    std::lock_guard lock(mu);
    if (--running == 0) cv.notify_all();
  };
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w) threads.emplace_back(work, w);
  {
    std::unique_lock lock(mu);
    while (running > 0) {
      if (cv.wait_for(lock, std::chrono::seconds(1)) == std::cv_status::timeout && options.progress) {
        ExploreResult snapshot;
        snapshot.schedules = schedules.load(std::memory_order_relaxed);
        snapshot.violations = violations.load(std::memory_order_relaxed);
        lock.unlock();
        options.progress(snapshot);
        lock.lock();
      }
    }
  }
  for (auto& t : threads) t.join();
  if (small) {
    small->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::move(*small);  // workers: 1
  }

  ExploreResult out;
  out.exhaustive = true;
  for (ExploreResult& r : results) merge_after(out, std::move(r));
  out.workers = workers;
  if (workers > 1) out.worker_cpu_seconds = std::move(cpu);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace peer::explore
