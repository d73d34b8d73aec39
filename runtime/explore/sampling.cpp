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
    std::vector<int> fault_points, change_points;  // change_points in the order drawn
    for (int i = 0; i < bounds.max_faults; ++i) fault_points.push_back(static_cast<int>(rng() % horizon));
    std::sort(fault_points.begin(), fault_points.end());
    // PCT as published: every process gets a distinct random priority of at
    // least pct_depth when first seen; the i-th of pct_depth - 1 distinct
    // change points (random depths) lowers the process about to run to
    // priority i, below every initial priority and distinct from the others.
    const std::uint64_t distinct_depths = std::min<std::uint64_t>(horizon, static_cast<std::uint64_t>(
                                                                               std::max(0, pct_depth - 1)));
    while (change_points.size() < distinct_depths) {
      int depth = static_cast<int>(rng() % horizon);
      if (std::find(change_points.begin(), change_points.end(), depth) == change_points.end()) {
        change_points.push_back(depth);
      }
    }
    std::unordered_map<std::uint64_t, std::uint64_t> priority;
    std::vector<std::uint64_t> taken;  // initial priorities in use
    auto initial_priority = [&] {
      for (;;) {
        std::uint64_t p = static_cast<std::uint64_t>(pct_depth) + rng() % (1ULL << 62);
        if (std::find(taken.begin(), taken.end(), p) == taken.end()) {
          taken.push_back(p);
          return p;
        }
      }
    };
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
      auto highest = [&] {
        std::size_t best = steps.front();
        std::uint64_t best_priority = 0;
        for (auto i : steps) {
          auto [it, fresh] = priority.try_emplace(d.enabled[i].pid.id, 0);
          if (fresh) it->second = initial_priority();
          if (it->second >= best_priority) {
            best_priority = it->second;
            best = i;
          }
        }
        return best;
      };
      std::size_t best = highest();
      auto change = std::find(change_points.begin(), change_points.end(), d.depth);
      if (change != change_points.end()) {
        priority[d.enabled[best].pid.id] = static_cast<std::uint64_t>(change - change_points.begin()) + 1;
        best = highest();
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

}  // namespace peer::explore
