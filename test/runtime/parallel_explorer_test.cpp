// -j N: the sleep-set search split across threads gives the result of one
// thread - the same counts, the same first and shortest counterexamples, the
// same first schedule per outcome - on both shipped scenarios, racy and
// corrected. Under TSan (runtime-tsan-Tests) it also checks that the workers
// share nothing unguarded.
#include <gtest/gtest.h>

#include "electric/scenario.h"
#include "explore/explorer.h"
#include "scenarios/call_across_restart.h"

namespace peer::explore {
namespace {

using electric::StartupVariant;
using scenarios::RestartVariant;

ScenarioFactory materializer(StartupVariant variant) {
  electric::ScenarioOptions options;
  options.variant = variant;
  return electric::materializer_scenario(options);
}

ExploreOptions sleep_sets_only(int max_preemptions) {
  ExploreOptions options;
  options.stop_at_first = false;
  options.collect_outcomes = true;
  options.dpor = false;
  options.optimal = false;
  options.bounds.max_preemptions = max_preemptions;
  return options;
}

void expect_same(const ExploreResult& one, const ExploreResult& many) {
  EXPECT_EQ(one.workers, 1u);
  EXPECT_EQ(one.schedules, many.schedules);
  EXPECT_EQ(one.violations, many.violations);
  EXPECT_EQ(one.sleep_blocked, many.sleep_blocked);
  EXPECT_EQ(one.step_bound_hits, many.step_bound_hits);
  EXPECT_EQ(one.exhaustive, many.exhaustive);
  EXPECT_EQ(one.violations_by_invariant, many.violations_by_invariant);
  EXPECT_EQ(one.violations_by_kind, many.violations_by_kind);
  ASSERT_EQ(one.first.has_value(), many.first.has_value());
  if (one.first) {
    EXPECT_EQ(to_string(one.first->schedule), to_string(many.first->schedule));
    EXPECT_EQ(one.first->violation.text, many.first->violation.text);
    EXPECT_EQ(format_trace(one.first->trace), format_trace(many.first->trace));
  }
  ASSERT_EQ(one.shortest_by_invariant.size(), many.shortest_by_invariant.size());
  for (const auto& [invariant, cx] : one.shortest_by_invariant) {
    auto it = many.shortest_by_invariant.find(invariant);
    ASSERT_NE(it, many.shortest_by_invariant.end()) << "invariant " << invariant;
    EXPECT_EQ(to_string(cx.schedule), to_string(it->second.schedule)) << "invariant " << invariant;
  }
  ASSERT_EQ(one.outcomes.size(), many.outcomes.size());
  for (const auto& [outcome, schedule] : one.outcomes) {
    auto it = many.outcomes.find(outcome);
    ASSERT_NE(it, many.outcomes.end()) << outcome;
    EXPECT_EQ(to_string(schedule), to_string(it->second)) << outcome;
  }
}

void check_workers(const ScenarioFactory& make, const ExploreOptions& options, std::uint64_t min_schedules) {
  ASSERT_TRUE(splits_across_workers(options));
  ExploreResult one = explore_exhaustive(make, options);
  ASSERT_GE(one.schedules, min_schedules) << "too small a space to split";
  for (unsigned workers : {2u, 3u}) {
    SCOPED_TRACE(std::to_string(workers) + " workers");
    ExploreOptions parallel = options;
    parallel.workers = workers;
    ExploreResult many = explore_exhaustive(make, parallel);
    EXPECT_EQ(many.workers, workers);
    EXPECT_EQ(many.worker_cpu_seconds.size(), workers);
    expect_same(one, many);
  }
}

#ifdef PEER_SANITIZED_BUILD
constexpr int kPreemptions = 1;
#else
constexpr int kPreemptions = 2;
#endif

TEST(ParallelExplorer, MaterializerSeedOriginalSameAsOneWorker) {
  check_workers(materializer(StartupVariant::seed_original), sleep_sets_only(kPreemptions), 100);
}

TEST(ParallelExplorer, MaterializerCorrectedSameAsOneWorker) {
  check_workers(materializer(StartupVariant::corrected), sleep_sets_only(kPreemptions), 100);
}

TEST(ParallelExplorer, UnreducedSearchSameAsOneWorker) {
  ExploreOptions options = sleep_sets_only(0);
  options.sleep_sets = false;
  options.bounds.max_faults = 0;
  check_workers(materializer(StartupVariant::electric_shipped), options, 100);
}

TEST(ParallelExplorer, RestartRacyAndCorrectedSameAsOneWorker) {
  for (auto variant : {RestartVariant::racy, RestartVariant::corrected}) {
    SCOPED_TRACE(variant == RestartVariant::racy ? "racy" : "corrected");
    check_workers(scenarios::call_across_restart(variant), sleep_sets_only(-1), 20);
  }
}

// DPOR strategies do not split: asked for workers, they run on one and give
// their usual result.
TEST(ParallelExplorer, DporSearchesRunOnOneWorker) {
  ExploreOptions options;
  options.stop_at_first = false;
  options.optimal = true;
  options.bounds.max_faults = 0;
  EXPECT_FALSE(splits_across_workers(options));
  ExploreResult one = explore_exhaustive(scenarios::call_across_restart(RestartVariant::racy), options);
  options.workers = 2;
  ExploreResult two = explore_exhaustive(scenarios::call_across_restart(RestartVariant::racy), options);
  EXPECT_EQ(two.workers, 1u);
  EXPECT_EQ(one.schedules, two.schedules);
  ExploreOptions first = sleep_sets_only(-1);
  first.stop_at_first = true;
  EXPECT_FALSE(splits_across_workers(first)) << "stopping at the first violation is a sequential notion";
}

}  // namespace
}  // namespace peer::explore
