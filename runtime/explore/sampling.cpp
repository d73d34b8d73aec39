// explore/sampling.cpp - random sampling and PCT (probabilistic concurrency
// testing, Burckhardt et al., ASPLOS 2010).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <unordered_map>

#include "explore/engine.h"

namespace peer::explore {

using namespace detail;

namespace {

// One sampled run's plan, drawn before it starts: the depths of its faults
// and (PCT) of its priority changes; then its choices, drawn as it goes.
// The draws from the generator keep one order, so a seed replays a run.
class SampledRun {
 public:
  SampledRun(std::mt19937_64& rng, const Bounds& bounds, int pct_depth, std::uint64_t horizon)
      : rng_(rng), bounds_(bounds), pct_depth_(pct_depth) {
    for (int i = 0; i < bounds.max_faults; ++i) fault_points_.push_back(static_cast<int>(rng_() % horizon));
    std::sort(fault_points_.begin(), fault_points_.end());
    // PCT as published: every process gets a distinct random priority of at
    // least pct_depth when first seen; the i-th of pct_depth - 1 distinct
    // change points (random depths) lowers the process about to run to
    // priority i, below every initial priority and distinct from the others.
    const std::uint64_t distinct_depths =
        std::min<std::uint64_t>(horizon, static_cast<std::uint64_t>(std::max(0, pct_depth - 1)));
    while (change_points_.size() < distinct_depths) {
      int depth = static_cast<int>(rng_() % horizon);
      if (std::find(change_points_.begin(), change_points_.end(), depth) == change_points_.end()) {
        change_points_.push_back(depth);
      }
    }
  }

  std::optional<std::size_t> choose(const Decision& d) {
    // kills: fault actors whose event would strike now; rest: the fault
    // model's other events (the no-fault event first).
    std::vector<std::size_t> kills, steps, rest;
    for (std::size_t i = 0; i < d.enabled.size(); ++i) {
      const Choice& c = d.enabled[i];
      if (!preemption_allowed(c, d, bounds_)) continue;
      if (c.kind == Choice::Kind::step || c.kind == Choice::Kind::wait) {
        steps.push_back(i);
      } else if (c.kind == Choice::Kind::kill && d.budget_left &&
                 std::find(d.targets->begin(), d.targets->end(), c.pid) != d.targets->end()) {
        kills.push_back(i);
      } else {
        rest.insert(c.kind == Choice::Kind::no_fault ? rest.begin() : rest.end(), i);
      }
    }
    // A fault due here is taken at the first point that has a victim.
    if (!kills.empty() && faults_taken_ < fault_points_.size() && d.depth >= fault_points_[faults_taken_]) {
      ++faults_taken_;
      return kills[rng_() % kills.size()];
    }
    // With nothing else to do, the run gives up its faults, then ends.
    if (steps.empty()) return rest.empty() ? kills.front() : rest.front();
    if (pct_depth_ <= 0) return steps[rng_() % steps.size()];
    std::size_t best = highest(d, steps);
    auto change = std::find(change_points_.begin(), change_points_.end(), d.depth);
    if (change != change_points_.end()) {
      priority_[d.enabled[best].pid.id] = static_cast<std::uint64_t>(change - change_points_.begin()) + 1;
      best = highest(d, steps);
    }
    return best;
  }

 private:
  std::uint64_t initial_priority() {
    for (;;) {
      std::uint64_t p = static_cast<std::uint64_t>(pct_depth_) + rng_() % (1ULL << 62);
      if (std::find(taken_.begin(), taken_.end(), p) == taken_.end()) {
        taken_.push_back(p);
        return p;
      }
    }
  }

  // The enabled step of the highest priority (the last of equals).
  std::size_t highest(const Decision& d, const std::vector<std::size_t>& steps) {
    std::size_t best = steps.front();
    std::uint64_t best_priority = 0;
    for (auto i : steps) {
      auto [it, fresh] = priority_.try_emplace(d.enabled[i].pid.id, 0);
      if (fresh) it->second = initial_priority();
      if (it->second >= best_priority) {
        best_priority = it->second;
        best = i;
      }
    }
    return best;
  }

  std::mt19937_64& rng_;
  const Bounds& bounds_;
  int pct_depth_;
  std::vector<int> fault_points_, change_points_;  // change_points_ in the order drawn
  std::unordered_map<std::uint64_t, std::uint64_t> priority_;
  std::vector<std::uint64_t> taken_;  // initial priorities in use
  std::size_t faults_taken_ = 0;
};

}  // namespace

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
    SampledRun sampled(rng, bounds, pct_depth, horizon);
    auto choose = [&](const Decision& d) { return sampled.choose(d); };
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

}  // namespace peer::explore
