// The schedule explorer on the Consumer/Materializer scenario: it finds the
// seed's crash and the shipped version's lost updates, and proves the
// corrected startup safe over the whole bounded space.
#include <gtest/gtest.h>

#include "electric/scenario.h"
#include "explore/explorer.h"
#include "explore/gtest.h"

namespace peer::explore {
namespace {

using electric::StartupVariant;
using testing::missing_traces;

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

// Whether a fault struck in the counterexample (a fault actor's event, "k5",
// strikes nothing after the no-fault event or once its target is gone).
bool fault_struck(const Counterexample& cx) { return format_trace(cx.trace).find("FAULT: exit") != std::string::npos; }

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
    EXPECT_TRUE(fault_struck(cx)) << "invariant " << invariant << " broken without a consumer restart";
  }
}

TEST(Explorer, CorrectedIsSafeInTheWholeBoundedSpace) {
  ExploreOptions options = full_search();
  ExploreResult r = explore_exhaustive(scenario(StartupVariant::corrected), options);
  EXPECT_TRUE(r.exhaustive) << "the search must cover the whole bounded space, not a sample";
  EXPECT_EQ(r.violations, 0u);
  EXPECT_EQ(r.step_bound_hits, 0u);
#ifndef PEER_SANITIZED_BUILD
  // The size of the space with sleep sets and source-DPOR, unbounded
  // preemptions, one fault: a change here means the scenario or the
  // reduction changed. (13 876 runs of 12 514 traces while a fault was
  // offered only when some process was ready; 12 517 traces, each run once,
  // since it is also offered when none is.)
  EXPECT_EQ(r.schedules, 12517u);
#endif
}

std::vector<std::string> kinds_of(const ExploreResult& r) {
  std::vector<std::string> out;
  for (const auto& [kind, count] : r.violations_by_kind) out.push_back(kind);
  return out;
}

// Optimal DPOR explores each trace once (no complete run repeats one, and no
// run is cut without faults: the goal of the POPL 2014 algorithm), and it
// reaches the same traces as source-DPOR, with the same kinds of violation,
// with and without a fault. The redundant runs with faults are counted
// exactly: a change means the reduction changed (docs/performance.md says
// where they come from).
TEST(Explorer, OptimalDporExploresTheSameTracesWithoutRedundantRuns) {
#ifdef PEER_SANITIZED_BUILD
  GTEST_SKIP() << "unbounded searches are covered by the plain build";
#endif
  for (int faults : {0, 1}) {
    for (auto variant : {StartupVariant::electric_shipped, StartupVariant::corrected}) {
      ExploreOptions source = full_search();
      source.bounds.max_faults = faults;
      source.collect_traces = true;
      ExploreOptions optimal = source;
      optimal.optimal = true;
      optimal.split_units = 0;  // the plain search (the split's figures: ParallelExplorer)
      ExploreResult a = explore_exhaustive(scenario(variant), source);
      ExploreResult b = explore_exhaustive(scenario(variant), optimal);
      SCOPED_TRACE(std::string(electric::variant_name(variant)) + ", faults " + std::to_string(faults));
      EXPECT_TRUE(a.exhaustive && b.exhaustive);
      EXPECT_EQ(b.repeated_traces, 0u);
      EXPECT_EQ(b.schedules, b.traces.size());
      EXPECT_EQ(missing_traces(b, a), "") << "traces source-DPOR missed";
      EXPECT_EQ(missing_traces(a, b), "") << "traces optimal DPOR missed";
      EXPECT_EQ(a.repeated_traces, 0u);
      EXPECT_EQ(kinds_of(b), kinds_of(a));
      EXPECT_EQ(b.wakeup_anomalies, 0u);
      EXPECT_GT(a.sleep_blocked, 0u);
      // No run ends in a sleep set.
      EXPECT_EQ(b.sleep_blocked, 0u);
      if (faults == 0) {
        EXPECT_EQ(b.violations, a.violations);
        EXPECT_EQ(b.covered_on_arrival, 0u);
      } else {
        EXPECT_EQ(b.schedules, variant == StartupVariant::corrected ? 12517u : 27283u);
        // A process step that reverses a race has no known footprint until
        // it runs; run earlier, it may commute with a sleeping choice after
        // all: the run stops right there (before, it ran on into the sleep
        // set: 32 and 70 cut runs; with faults tried at every point, before
        // they were actors, 531 and 569).
        EXPECT_EQ(b.covered_on_arrival, variant == StartupVariant::corrected ? 32u : 70u);
        EXPECT_LT(b.covered_on_arrival * 500, a.sleep_blocked);
      }
    }
  }
}

// With one fault, the sleep-set search (no DPOR: every choice no sleep set
// proves redundant) is the reference: 12 517 traces on `corrected`, each run
// once, and both DPOR searches reach exactly that set. While a fault was
// offered only when some process was ready, a step that left nothing ready
// took every fault away whatever the footprints said: the sleep-set search
// had to repeat 7 301 runs to reach them all, source-DPOR missed 3 traces
// and optimal DPOR 4. The restart scenario holds every strategy, -j 2 too,
// to the same set (ScenarioKit.EveryStrategyReachesTheSameTracesWithAFault).
TEST(Explorer, SleepSetsReachEveryTraceWithAFault) {
#ifdef PEER_SANITIZED_BUILD
  GTEST_SKIP() << "unbounded searches are covered by the plain build";
#endif
  ExploreOptions sleep = full_search();
  sleep.collect_traces = true;
  sleep.dpor = false;
  ExploreOptions source = sleep;
  source.dpor = true;
  ExploreOptions optimal = source;
  optimal.optimal = true;
  ExploreResult reference = explore_exhaustive(scenario(StartupVariant::corrected), sleep);
  ExploreResult a = explore_exhaustive(scenario(StartupVariant::corrected), source);
  ExploreResult b = explore_exhaustive(scenario(StartupVariant::corrected), optimal);
  EXPECT_TRUE(reference.exhaustive && a.exhaustive && b.exhaustive);
  EXPECT_EQ(reference.traces.size(), 12517u);
  EXPECT_EQ(reference.schedules, 12517u);
  EXPECT_EQ(reference.repeated_traces, 0u);
  EXPECT_EQ(missing_traces(a, reference), "");
  EXPECT_EQ(missing_traces(b, reference), "");
  EXPECT_EQ(missing_traces(reference, a), "") << "traces source-DPOR missed";
  EXPECT_EQ(missing_traces(reference, b), "") << "traces optimal DPOR missed";
  EXPECT_EQ(b.repeated_traces, 0u);
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

std::vector<std::string> outcomes_of(const ExploreResult& r) {
  std::vector<std::string> out;
  for (const auto& [outcome, schedule] : r.outcomes) out.push_back(outcome);
  return out;
}

// Outcomes one search reaches and the other does not, with a schedule.
std::string missing(const ExploreResult& from, const ExploreResult& in) {
  std::string out;
  for (const auto& [outcome, schedule] : from.outcomes) {
    if (!in.outcomes.count(outcome)) out += "\n  " + outcome + " (schedule " + to_string(schedule) + ")";
  }
  return out;
}

// A reduction may skip only orders equivalent to ones it explores: DPOR
// (with sleep sets) must reach every final state that the search with sleep
// sets alone reaches, and so find the same violations. The scenario has one
// change, so that the sleep-set search stays quick; every variant, faults
// included.
TEST(Explorer, DporReachesEveryOutcomeOfTheSleepSetSearch) {
#ifdef PEER_SANITIZED_BUILD
  GTEST_SKIP() << "unbounded searches are covered by the plain build";
#endif
  for (auto variant : {StartupVariant::seed_original, StartupVariant::electric_shipped, StartupVariant::corrected}) {
    electric::ScenarioOptions small;
    small.variant = variant;
    small.changes = {{electric::Change::Op::insert, 3, 0}};
    ExploreOptions with_dpor;
    with_dpor.stop_at_first = false;
    with_dpor.collect_outcomes = true;
    ExploreOptions without = with_dpor;
    without.dpor = false;
    ExploreOptions optimal = with_dpor;
    optimal.optimal = true;
    ExploreResult a = explore_exhaustive(electric::materializer_scenario(small), with_dpor);
    ExploreResult b = explore_exhaustive(electric::materializer_scenario(small), without);
    ExploreResult c = explore_exhaustive(electric::materializer_scenario(small), optimal);
    EXPECT_TRUE(a.exhaustive && b.exhaustive && c.exhaustive);
    EXPECT_GT(a.outcomes.size(), 5u);
    EXPECT_EQ(outcomes_of(a), outcomes_of(b))
        << electric::variant_name(variant) << ": DPOR misses" << missing(b, a) << "\nand adds" << missing(a, b);
    EXPECT_EQ(outcomes_of(c), outcomes_of(b))
        << electric::variant_name(variant) << ": optimal DPOR misses" << missing(b, c) << "\nand adds" << missing(c, b);
    EXPECT_LT(a.schedules + a.sleep_blocked, b.schedules + b.sleep_blocked);
    EXPECT_LT(c.schedules + c.sleep_blocked, a.schedules + a.sleep_blocked);
    EXPECT_EQ(c.wakeup_anomalies, 0u);
  }
}

// A scenario small enough for the search without any reduction: a server
// registered under a key, one client that looks it up and sends to it, one
// that looks it up and monitors it; a fault may kill the server.
class RegistryRace final : public Scenario {
 public:
  void start(Runtime& rt) override {
    Key key{"server"};
    server_ = rt.spawn(
        "server",
        [this](Self self) -> Task<void> {
          auto message = co_await self.receive_any();
          got_ = message.has_value();
        },
        SpawnOptions{key});
    rt.spawn("sender", [this, key](Self self) -> Task<void> {
      std::optional<Pid> server = co_await self.whereis(key);
      sender_found_ = server.has_value();
      if (server) co_await self.send_value(*server, 1);
    });
    rt.spawn("watcher", [this, key](Self self) -> Task<void> {
      std::optional<Pid> server = co_await self.whereis(key);
      watcher_found_ = server.has_value();
      if (!server) co_return;
      co_await self.monitor(*server);
      auto down = co_await self.receive(is<Down>());
      down_ = down->as<Down>().reason.to_string();
    });
  }
  std::vector<Pid> fault_targets(Runtime& rt) override {
    if (rt.is_alive(server_)) return {server_};
    return {};
  }
  void on_exit(Pid pid, const std::string&, const ExitReason& reason) override {
    if (pid == server_) server_exit_ = reason.to_string();
  }
  std::optional<Violation> after_step(Runtime&) override { return std::nullopt; }
  std::optional<Violation> at_quiescence(Runtime&) override { return std::nullopt; }
  std::string outcome(Runtime&) override {
    return "server " + server_exit_ + (got_ ? " got the message" : "") + "; sender found " +
           std::to_string(sender_found_) + "; watcher found " + std::to_string(watcher_found_) + ", down " + down_;
  }

 private:
  Pid server_;
  bool got_ = false, sender_found_ = false, watcher_found_ = false;
  std::string server_exit_ = "alive", down_ = "-";
};

// Ground truth: the unreduced search tries every order and fault placement.
// Sleep sets alone, and DPOR with sleep sets, must reach the same outcomes
// with fewer runs.
TEST(Explorer, ReductionsReachEveryOutcomeOfTheUnreducedSearch) {
  ScenarioFactory make = [] { return std::make_unique<RegistryRace>(); };
  ExploreOptions full;
  full.stop_at_first = false;
  full.collect_outcomes = true;
  full.sleep_sets = false;
  full.dpor = false;
  ExploreOptions sleep = full;
  sleep.sleep_sets = true;
  ExploreOptions dpor = sleep;
  dpor.dpor = true;
  ExploreOptions optimal = dpor;
  optimal.optimal = true;
  ExploreResult a = explore_exhaustive(make, full);
  ExploreResult b = explore_exhaustive(make, sleep);
  ExploreResult c = explore_exhaustive(make, dpor);
  ExploreResult d = explore_exhaustive(make, optimal);
  EXPECT_TRUE(a.exhaustive && b.exhaustive && c.exhaustive && d.exhaustive);
  // Found by hand: the server alive or killed before/after the message, the
  // clients finding it or not (it is registered from the start, so only a
  // kill before their lookup hides it), the watcher's Down killed or noproc.
  EXPECT_GE(a.outcomes.size(), 6u);
  EXPECT_EQ(outcomes_of(b), outcomes_of(a)) << "sleep sets miss" << missing(a, b);
  EXPECT_EQ(outcomes_of(c), outcomes_of(a)) << "DPOR misses" << missing(a, c);
  EXPECT_EQ(outcomes_of(d), outcomes_of(a)) << "optimal DPOR misses" << missing(a, d);
  EXPECT_LT(b.schedules + b.sleep_blocked, a.schedules);
  EXPECT_LT(c.schedules + c.sleep_blocked, b.schedules + b.sleep_blocked);
  EXPECT_LE(d.schedules + d.sleep_blocked, c.schedules + c.sleep_blocked);
  EXPECT_EQ(d.sleep_blocked, 0u) << "optimal DPOR runs no redundant schedule";
  EXPECT_EQ(d.wakeup_anomalies, 0u);
}

// A call with a timeout races with its reply. The server answers when a
// kicker tells it to, and the kicker waits for a timer as long as the
// caller's: whichever timer was set first fires first (virtual time moves
// only when nothing can run), so the order of the caller's and the kicker's
// first steps decides whether the reply comes in time or after the call
// timed out. In no order may the late reply reach the caller's mailbox
// (OTP 24's process aliases): the caller's next message is the server's
// Ping, sent after its reply.
class LateReply final : public Scenario {
 public:
  struct Ping {
    static constexpr std::string_view kLabel = "ping";
  };
  struct Go {
    static constexpr std::string_view kLabel = "go";
  };
  void start(Runtime& rt) override {
    server_ = rt.spawn("server", [](Self self) -> Task<void> {
      auto env = co_await self.receive(is<CallRequest>());
      From from = env->as<CallRequest>().from;
      auto go = co_await self.receive(is<Go>());
      (void)go;
      co_await self.reply(from, Message::of(1));
      co_await self.send_value(from.caller, Ping{});
    });
    rt.spawn("kicker", [this](Self self) -> Task<void> {
      auto nothing = co_await self.receive([](const Envelope&) { return false; }, Timeout(10));
      (void)nothing;
      co_await self.send_value(server_, Go{});
    });
    rt.spawn("caller", [this](Self self) -> Task<void> {
      CallResult r = co_await self.call(server_, Message::of(0), Timeout(10));
      call_ = r.to_string();
      auto env = co_await self.receive_any();
      next_ = env->is<CallReply>() ? "late reply" : env->is<Ping>() ? "ping" : "other";
    });
  }
  std::vector<Pid> fault_targets(Runtime& rt) override {
    if (rt.is_alive(server_)) return {server_};
    return {};
  }
  void on_exit(Pid, const std::string&, const ExitReason&) override {}
  std::optional<Violation> after_step(Runtime&) override { return check(); }
  std::optional<Violation> at_quiescence(Runtime&) override { return check(); }
  std::string outcome(Runtime&) override { return "call " + call_ + "; next " + next_; }

 private:
  std::optional<Violation> check() const {
    if (next_ != "late reply") return std::nullopt;
    return Violation{1, "the caller received a reply after its call was over", "late reply"};
  }
  Pid server_;
  std::string call_ = "-", next_ = "-";
};

TEST(Explorer, LateRepliesAreDroppedUnderEverySchedule) {
  ScenarioFactory make = [] { return std::make_unique<LateReply>(); };
  ExploreOptions options;
  options.stop_at_first = false;
  options.collect_outcomes = true;
  ExploreOptions unreduced = options;
  unreduced.sleep_sets = false;
  unreduced.dpor = false;
  ExploreOptions optimal = options;
  optimal.optimal = true;
  for (const ExploreOptions& o : {options, unreduced, optimal}) {
    ExploreResult r = explore_exhaustive(make, o);
    EXPECT_TRUE(r.exhaustive);
    EXPECT_EQ(r.violations, 0u) << (r.first ? format_trace(r.first->trace) : std::string());
    // Both sides of the race are explored: the reply in time, and too late.
    EXPECT_TRUE(r.outcomes.count("call ok; next ping"));
    EXPECT_TRUE(r.outcomes.count("call timeout; next ping")) << "the late-reply order was never run";
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
