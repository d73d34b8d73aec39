// The schedule explorer on the Consumer/Materializer scenario: it finds the
// seed's crash and the shipped version's lost updates, and proves the
// corrected startup safe over the whole bounded space.
#include <gtest/gtest.h>

#include "electric/scenario.h"
#include "explore/explorer.h"

namespace peer::explore {
namespace {

using electric::StartupVariant;

ScenarioFactory scenario(StartupVariant variant) {
  electric::ScenarioOptions options;
  options.variant = variant;
  return electric::materializer_scenario(options);
}

ExploreOptions full_search() {
  ExploreOptions options;
  options.stop_at_first = false;
#ifdef PEER_SANITIZED_BUILD
  // Sanitizers slow each run 5-20x: keep the suite quick with a preemption
  // bound; the unbounded space is covered by the plain build.
  options.bounds.max_preemptions = 1;
#endif
  return options;
}

bool has_kill(const std::vector<Choice>& schedule) {
  for (const auto& c : schedule) {
    if (c.kind == Choice::Kind::kill) return true;
  }
  return false;
}

TEST(Explorer, SeedOriginalCrashesWithNoproc) {
  ExploreResult r = explore_exhaustive(scenario(StartupVariant::seed_original), full_search());
  EXPECT_TRUE(r.exhaustive);
  EXPECT_GT(r.violations_by_kind["invariant 1 (crash: materializer noproc)"], 0u);
  ASSERT_TRUE(r.shortest_by_invariant.count(1));
  EXPECT_NE(r.shortest_by_invariant[1].violation.text.find("noproc"), std::string::npos);
}

TEST(Explorer, ElectricShippedLosesUpdatesUnderRestartWithoutCrashing) {
  ExploreResult r = explore_exhaustive(scenario(StartupVariant::electric_shipped), full_search());
  EXPECT_TRUE(r.exhaustive);
  EXPECT_EQ(r.violations_by_invariant.count(1), 0u) << "the shipped version must not crash";
  EXPECT_GT(r.violations_by_invariant[2] + r.violations_by_invariant[3], 0u);
  EXPECT_GT(r.violations_by_kind["invariant 3 (lost updates)"], 0u);
  for (const auto& [invariant, cx] : r.shortest_by_invariant) {
    EXPECT_TRUE(has_kill(cx.schedule)) << "invariant " << invariant << " broken without a consumer restart";
  }
}

TEST(Explorer, CorrectedIsSafeInTheWholeBoundedSpace) {
  ExploreOptions options = full_search();
  ExploreResult r = explore_exhaustive(scenario(StartupVariant::corrected), options);
  EXPECT_TRUE(r.exhaustive) << "the search must cover the whole bounded space, not a sample";
  EXPECT_EQ(r.violations, 0u);
  EXPECT_EQ(r.step_bound_hits, 0u);
#ifndef PEER_SANITIZED_BUILD
  // The size of the space with sleep sets and DPOR, unbounded preemptions,
  // one fault: a change here means the scenario or the reduction changed.
  EXPECT_EQ(r.schedules, 10808u);
#endif
}

TEST(Explorer, SleepSetsKeepTheBugsAndShrinkTheSpace) {
#ifdef PEER_SANITIZED_BUILD
  GTEST_SKIP() << "the unreduced search is too slow under sanitizers; covered by the plain build";
#endif
  ExploreOptions with = full_search();
  with.bounds.max_preemptions = 0;
  ExploreOptions without = with;
  without.sleep_sets = false;
  ExploreResult a = explore_exhaustive(scenario(StartupVariant::electric_shipped), with);
  ExploreResult b = explore_exhaustive(scenario(StartupVariant::electric_shipped), without);
  EXPECT_TRUE(a.exhaustive);
  EXPECT_TRUE(b.exhaustive);
  EXPECT_LT(a.schedules, b.schedules);
  EXPECT_EQ(a.violations_by_invariant.empty(), b.violations_by_invariant.empty());
  EXPECT_GT(a.violations, 0u);
  ExploreResult c = explore_exhaustive(scenario(StartupVariant::corrected), without);
  EXPECT_EQ(c.violations, 0u);
}

// DPOR skips only orders equivalent to ones it explores: it must find the
// same kinds of violation as the search without it, and prove the same
// variant safe.
TEST(Explorer, DporFindsWhatTheSleepSetSearchFinds) {
#ifdef PEER_SANITIZED_BUILD
  GTEST_SKIP() << "unbounded searches are covered by the plain build";
#endif
  for (auto variant : {StartupVariant::seed_original, StartupVariant::electric_shipped, StartupVariant::corrected}) {
    ExploreOptions with_dpor;
    with_dpor.stop_at_first = false;
    ExploreOptions without = with_dpor;
    without.dpor = false;
    ExploreResult a = explore_exhaustive(scenario(variant), with_dpor);
    ExploreResult b = explore_exhaustive(scenario(variant), without);
    EXPECT_TRUE(a.exhaustive && b.exhaustive);
    std::vector<std::string> kinds_a, kinds_b;
    for (const auto& [kind, count] : a.violations_by_kind) kinds_a.push_back(kind);
    for (const auto& [kind, count] : b.violations_by_kind) kinds_b.push_back(kind);
    EXPECT_EQ(kinds_a, kinds_b) << electric::variant_name(variant);
    EXPECT_LE(a.schedules + a.sleep_blocked, b.schedules + b.sleep_blocked);
  }
}

TEST(Explorer, CounterexampleReplaysExactly) {
  ExploreOptions options;
  options.stop_at_first = true;
  ExploreResult r = explore_exhaustive(scenario(StartupVariant::electric_shipped), options);
  ASSERT_TRUE(r.first.has_value());
  auto text = to_string(r.first->schedule);
  auto parsed = parse_schedule(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, r.first->schedule);
  auto once = replay(scenario(StartupVariant::electric_shipped), *parsed, options.bounds);
  auto twice = replay(scenario(StartupVariant::electric_shipped), *parsed, options.bounds);
  ASSERT_TRUE(once && twice);
  ASSERT_TRUE(once->violation.has_value());
  EXPECT_EQ(once->violation->text, r.first->violation.text);
  EXPECT_EQ(format_trace(once->trace), format_trace(r.first->trace));
  EXPECT_EQ(format_trace(once->trace), format_trace(twice->trace));
  EXPECT_EQ(once->schedule, r.first->schedule);
}

TEST(Explorer, ScheduleThatDoesNotFitIsRejected) {
  auto bogus = parse_schedule("99.k42");
  ASSERT_TRUE(bogus.has_value());
  EXPECT_FALSE(replay(scenario(StartupVariant::corrected), *bogus, Bounds{}).has_value());
  EXPECT_FALSE(parse_schedule("1.x.2").has_value());
}

TEST(Explorer, RandomAndPctSamplingFindTheShippedBug) {
  ExploreOptions options;
  ExploreResult random = explore_random(scenario(StartupVariant::electric_shipped), options, 5000, 1);
  EXPECT_GT(random.violations, 0u);
  ExploreResult pct = explore_random(scenario(StartupVariant::electric_shipped), options, 5000, 1, 3);
  EXPECT_GT(pct.violations, 0u);
  ExploreResult safe = explore_random(scenario(StartupVariant::corrected), options, 500, 7, 3);
  EXPECT_EQ(safe.violations, 0u);
  EXPECT_EQ(safe.schedules, 500u);
}

TEST(Explorer, SameSeedSameRuns) {
  ExploreOptions options;
  options.stop_at_first = true;
  ExploreResult a = explore_random(scenario(StartupVariant::seed_original), options, 2000, 42);
  ExploreResult b = explore_random(scenario(StartupVariant::seed_original), options, 2000, 42);
  ASSERT_TRUE(a.first && b.first);
  EXPECT_EQ(a.schedules, b.schedules);
  EXPECT_EQ(a.first->schedule, b.first->schedule);
}

}  // namespace
}  // namespace peer::explore
