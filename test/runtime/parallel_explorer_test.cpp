// -j N: the sleep-set search and optimal DPOR split across threads give the
// result of one thread - the same counts, the same first and shortest counterexamples, the
// same first schedule per outcome - on both shipped scenarios, racy and
// corrected. Under TSan (runtime-tsan-Tests) it also checks that the workers
// share nothing unguarded.
#include <gtest/gtest.h>

#include "electric/scenario.h"
#include "explore/engine.h"
#include "explore/explorer.h"
#include "explore/gtest.h"
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
  EXPECT_EQ(one.covered_on_arrival, many.covered_on_arrival);
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

void expect_same_traces(const ExploreResult& one, const ExploreResult& many) {
  ASSERT_EQ(one.traces.size(), many.traces.size());
  for (const auto& [trace, schedule] : one.traces) {
    auto it = many.traces.find(trace);
    ASSERT_NE(it, many.traces.end()) << to_string(schedule);
    EXPECT_EQ(to_string(schedule), to_string(it->second));
  }
  EXPECT_EQ(one.repeated_traces, many.repeated_traces);
  EXPECT_EQ(one.wakeup_anomalies, many.wakeup_anomalies);
}

// The search of options on 2 and 3 workers gives one's result; splits: it
// runs on that many (else on one).
void expect_workers_agree(const ScenarioFactory& make, const ExploreOptions& options, const ExploreResult& one,
                          bool splits) {
  for (unsigned workers : {2u, 3u}) {
    SCOPED_TRACE(std::to_string(workers) + " workers");
    ExploreOptions parallel = options;
    parallel.workers = workers;
    ExploreResult many = explore_exhaustive(make, parallel);
    EXPECT_EQ(many.workers, splits ? workers : 1u);
    EXPECT_EQ(many.worker_cpu_seconds.size(), splits ? workers : 0u);
    many.workers = 1;  // expect_same wants one's
    expect_same(one, many);
    if (options.collect_traces) expect_same_traces(one, many);
  }
}

void check_workers(const ScenarioFactory& make, const ExploreOptions& options, std::uint64_t min_schedules) {
  ASSERT_TRUE(splits_across_workers(options));
  ExploreResult one = explore_exhaustive(make, options);
  ASSERT_GE(one.schedules, min_schedules) << "too small a space to split";
  expect_workers_agree(make, options, one, true);
}

// Sanitized builds run 10-20 times slower: smaller spaces.
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

// Optimal DPOR split into units (explore/parallel_optimal.cpp): with 1, 2
// and 3 workers the same result in every respect but seconds - counts,
// redundant runs, the first and shortest counterexamples with their traces,
// the first schedule of each outcome and of each trace - and the set of
// traces is the plain (unsplit) optimal search's, each reached once. A
// small space (the restart scenario) is searched whole, on one thread: the
// plain search's result exactly.
ExploreOptions optimal(int faults) {
  ExploreOptions options;
  options.stop_at_first = false;
  options.optimal = true;
  options.collect_outcomes = true;
  options.collect_traces = true;
  options.bounds.max_faults = faults;
  return options;
}

void check_optimal_workers(const ScenarioFactory& make, const ExploreOptions& options, std::uint64_t min_schedules) {
  ASSERT_TRUE(splits_across_workers(options));
  ASSERT_TRUE(splits_optimal(options));
  ExploreOptions plain = options;
  plain.split_units = 0;
  ASSERT_FALSE(splits_optimal(plain));
  ExploreResult reference = explore_exhaustive(make, plain);
  ExploreResult one = explore_exhaustive(make, options);
  ASSERT_GE(one.schedules, min_schedules);
  // The split reaches the plain search's traces, each once.
  EXPECT_EQ(testing::missing_traces(reference, one), "");
  EXPECT_EQ(testing::missing_traces(one, reference), "");
  EXPECT_EQ(one.repeated_traces, 0u);
  EXPECT_EQ(one.exhaustive, true);
  bool split = reference.runs() > options.split_above;
  if (split) {
    // A run cut after a violation counts as a schedule: more of them.
    EXPECT_GE(one.schedules, reference.schedules);
    if (reference.violations == 0) EXPECT_EQ(one.schedules, reference.schedules);
    EXPECT_GE(one.sleep_blocked, reference.sleep_blocked);
    for (const auto& [kind, count] : reference.violations_by_kind) EXPECT_GE(one.violations_by_kind[kind], count);
    EXPECT_EQ(one.violations_by_kind.size(), reference.violations_by_kind.size());
  } else {
    expect_same(reference, one);  // not split
    expect_same_traces(reference, one);
  }
  expect_workers_agree(make, options, one, split);
}

// Sanitized builds: the restart scenario split all the same (below).
#ifndef PEER_SANITIZED_BUILD
TEST(ParallelExplorer, OptimalMaterializerSameAsOneWorker) {
  for (auto variant : {StartupVariant::seed_original, StartupVariant::electric_shipped, StartupVariant::corrected}) {
    SCOPED_TRACE(static_cast<int>(variant));
    ExploreOptions options = optimal(1);
    // Traces of 27 283 runs cost more than the runs: counts only there.
    options.collect_traces = variant == StartupVariant::corrected;
    check_optimal_workers(materializer(variant), options, 1000);
  }
}

TEST(ParallelExplorer, OptimalMaterializerWithoutFaultsSameAsOneWorker) {
  for (auto variant : {StartupVariant::seed_original, StartupVariant::electric_shipped, StartupVariant::corrected}) {
    SCOPED_TRACE(static_cast<int>(variant));
    check_optimal_workers(materializer(variant), optimal(0), 1000);
  }
}
#endif

TEST(ParallelExplorer, OptimalRestartSameAsOneWorker) {
  for (auto variant : {RestartVariant::racy, RestartVariant::corrected}) {
    SCOPED_TRACE(variant == RestartVariant::racy ? "racy" : "corrected");
    // Not 2 faults: runs hit the step bound, and a cut-off run's partial
    // order depends on which steps it holds (it is not a trace).
    for (int faults : {0, 1}) {
      SCOPED_TRACE(std::to_string(faults) + " faults");
      check_optimal_workers(scenarios::call_across_restart(variant), optimal(faults), 2);
      // Split all the same: every run a unit of its own, or nearly.
      ExploreOptions split = optimal(faults);
      split.split_above = 0;
      check_optimal_workers(scenarios::call_across_restart(variant), split, 2);
      // Split after a try of 10 runs, which worker 0 goes on with as the
      // leftmost unit (or keeps) while the others take the other units.
      split.split_above = 10;
      check_optimal_workers(scenarios::call_across_restart(variant), split, 2);
    }
  }
}

// The size of the split changes the runs (a smaller one cuts fewer), never
// the traces: every size reaches the same set, each once.
TEST(ParallelExplorer, OptimalSplitSizeKeepsTheTraces) {
#ifdef PEER_SANITIZED_BUILD
  GTEST_SKIP() << "unbounded searches are covered by the plain build";
#endif
  ExploreOptions options = optimal(0);
  options.split_units = 0;
  auto make = materializer(StartupVariant::corrected);
  ExploreResult reference = explore_exhaustive(make, options);
  for (unsigned units : {1u, 2u, 5u, 64u, 1000u}) {
    SCOPED_TRACE("split into " + std::to_string(units));
    options.split_units = units;
    options.workers = 2;
    ExploreResult split = explore_exhaustive(make, options);
    EXPECT_EQ(split.workers, 2u);
    EXPECT_EQ(testing::missing_traces(reference, split), "");
    EXPECT_EQ(testing::missing_traces(split, reference), "");
    EXPECT_EQ(split.schedules, reference.schedules);
    EXPECT_EQ(split.repeated_traces, 0u);
  }
}

// The split's try of the plain search (detail::OptimalTry), given up after
// max_runs runs, is the start of the leftmost unit's search: below every
// prefix of its first run, the result it gives for that unit is the one the
// unit's own search gives - kept from when the try left the unit's subtree,
// or by going on with the try where it had not. Any other unit: none.
void check_try_is_leftmost_unit(const ScenarioFactory& make, const ExploreOptions& options, std::uint64_t max_runs) {
  auto first_choice = [](const detail::Decision&) { return std::optional<std::size_t>(0); };
  auto ignore = [](int, const Choice&, detail::Footprint) {};
  std::vector<Choice> first_run = detail::execute(make, options.bounds, first_choice, ignore, nullptr, false).schedule;
  ASSERT_GE(first_run.size(), 4u);
  std::uint64_t smaller = 0, larger = 0;  // units the try got past, units it did not finish
  for (std::size_t depth = 1; depth < first_run.size(); depth += 3) {
    SCOPED_TRACE("below the first " + std::to_string(depth) + " choices");
    detail::OptimalUnit unit{std::vector<Choice>(first_run.begin(), first_run.begin() + depth), {}};
    ExploreResult alone = detail::explore_optimal_unit(make, options, unit);
    (alone.runs() < max_runs ? smaller : larger) += 1;
    detail::OptimalTry attempt(make, options, max_runs);
    ASSERT_FALSE(attempt.run().has_value()) << "the space is smaller than the try";
    std::optional<ExploreResult> kept = attempt.leftmost_unit(unit);
    ASSERT_TRUE(kept.has_value());
    expect_same(alone, *kept);
    expect_same_traces(alone, *kept);
  }
  EXPECT_GT(smaller, 0u);
  EXPECT_GT(larger, 0u);
  detail::OptimalTry attempt(make, options, max_runs);
  ASSERT_FALSE(attempt.run().has_value());
  detail::OptimalUnit asleep{std::vector<Choice>(first_run.begin(), first_run.begin() + 2), {{first_run[2], {}}}};
  EXPECT_FALSE(attempt.leftmost_unit(asleep).has_value());
  detail::OptimalUnit elsewhere{{first_run[0], Choice{Choice::Kind::wait, Pid{}}}, {}};
  EXPECT_FALSE(attempt.leftmost_unit(elsewhere).has_value());
}

TEST(ParallelExplorer, OptimalTryIsTheLeftmostUnitsStart) {
  SCOPED_TRACE("restart scenario");
  check_try_is_leftmost_unit(scenarios::call_across_restart(RestartVariant::racy), optimal(1), 12);
#ifndef PEER_SANITIZED_BUILD
  SCOPED_TRACE("materializer");
  check_try_is_leftmost_unit(materializer(StartupVariant::corrected), optimal(0), 150);
#endif
}

// Whether the try's runs are kept or the leftmost unit is searched anew, the
// split's result is the same.
TEST(ParallelExplorer, OptimalSplitSameWithAndWithoutTheTry) {
#ifdef PEER_SANITIZED_BUILD
  GTEST_SKIP() << "unbounded searches are covered by the plain build";
#endif
  auto make = materializer(StartupVariant::corrected);
  ExploreOptions options = optimal(0);
  options.split_above = 0;
  ExploreResult anew = explore_exhaustive(make, options);
  for (std::uint64_t above : {100u, 500u}) {  // the leftmost unit: about 300 runs
    SCOPED_TRACE("tried for " + std::to_string(above) + " runs");
    options.split_above = above;
    ExploreResult kept = explore_exhaustive(make, options);
    expect_same(anew, kept);
    expect_same_traces(anew, kept);
  }
}

// Source-DPOR does not split: asked for workers, it runs on one and gives
// its usual result. Nor does a search that stops at the first violation.
TEST(ParallelExplorer, SourceDporRunsOnOneWorker) {
  ExploreOptions options;
  options.stop_at_first = false;
  options.optimal = false;
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
  ExploreOptions optimal_first = optimal(1);
  optimal_first.stop_at_first = true;
  EXPECT_FALSE(splits_across_workers(optimal_first));
}

}  // namespace
}  // namespace peer::explore
