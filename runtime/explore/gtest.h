// explore/gtest.h - the explorer in a GoogleTest test:
//
//   EXPECT_NO_VIOLATION(explore(my_scenario));          // the whole bounded space
//   EXPECT_NO_VIOLATION(explore(my_scenario, bounds));
//
// On failure the message names the broken invariant and prints the shortest
// counterexample of the first invariant broken: its trace and the schedule
// that replays it (replay(), or peer-explore --replay for a registered
// scenario).
#ifndef PEER_EXPLORE_GTEST_H
#define PEER_EXPLORE_GTEST_H

#include <gtest/gtest.h>

#include "explore/explorer.h"
#include "explore/scenario_kit.h"

namespace peer::explore::testing {

// Exhaustive search with optimal DPOR over the whole bounded space (it does
// not stop at the first violation, so every kind broken is counted).
inline ExploreResult explore(const ScenarioFactory& scenario, const Bounds& bounds = {}) {
  ExploreOptions options;
  options.bounds = bounds;
  options.optimal = true;
  options.stop_at_first = false;
  return explore_exhaustive(scenario, options);
}

// The partial-order traces of from (searched with collect_traces) that in
// does not reach, a schedule of each on a line; empty when in has them all.
//   EXPECT_EQ(missing_traces(reference, r), "");
inline std::string missing_traces(const ExploreResult& from, const ExploreResult& in) {
  std::string out;
  for (const auto& [trace, schedule] : from.traces) {
    if (!in.traces.count(trace)) out += "\n  " + to_string(schedule);
  }
  return out;
}

inline ::testing::AssertionResult NoViolation(const char* expression, const ExploreResult& result) {
  if (result.violations == 0 && result.exhaustive) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure() << expression;
  if (result.violations == 0) return failure << " did not cover the whole bounded space";
  failure << " broke an invariant in " << result.violations << " of " << result.schedules << " schedules:";
  for (const auto& [kind, count] : result.violations_by_kind) failure << "\n  " << kind << ": " << count;
  if (!result.shortest_by_invariant.empty()) {
    const Counterexample& cx = result.shortest_by_invariant.begin()->second;
    failure << "\nshortest counterexample: invariant " << cx.violation.invariant << ": " << cx.violation.text
            << "\ntrace:\n"
            << format_trace(cx.trace) << "schedule: " << to_string(cx.schedule);
  }
  return failure;
}

}  // namespace peer::explore::testing

#define EXPECT_NO_VIOLATION(result) EXPECT_PRED_FORMAT1(::peer::explore::testing::NoViolation, result)
#define ASSERT_NO_VIOLATION(result) ASSERT_PRED_FORMAT1(::peer::explore::testing::NoViolation, result)

#endif  // PEER_EXPLORE_GTEST_H
