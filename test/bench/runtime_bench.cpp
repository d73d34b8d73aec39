// Google Benchmark for the threaded runtime (compared with Erlang/OTP by
// test/bench/runtime_vs_erlang.sh): call round trip, message throughput,
// spawn+exit, and deterministic-mode steps (what bounds the explorer).
#include <benchmark/benchmark.h>

#include "electric/scenario.h"
#include "explore/explorer.h"
#include "peer/runtime/gen_server.h"

namespace {

using namespace peer;

constexpr int kCallsPerRun = 100000;
constexpr int kMessagesPerRun = 1000000;

struct Echo {
  static constexpr std::string_view kLabel = "echo";
  int n = 0;
};

// The same shape as the Erlang side: a gen_server whose handle_call replies.
class EchoServer final : public GenServer {
 public:
  Task<CallAction> handle_call(Self&, const Message& request, const From&) override {
    co_return CallAction::reply_with(request);
  }
};

Task<void> call_loop(Self self, Pid server, int calls) {
  for (int i = 0; i < calls; ++i) {
    CallResult r = co_await self.call(server, Message::of(Echo{i}));
    if (!r.ok()) self.exit(ExitReason::error("call failed"));
  }
}

void BM_CallRoundTrip(benchmark::State& state) {
  auto rt = Runtime::threaded(static_cast<unsigned>(state.range(0)));
  Pid server = rt->spawn("echo", gen_server([] { return std::make_unique<EchoServer>(); }));
  for (auto _ : state) {
    Pid client = rt->spawn("client", [server](Self s) { return call_loop(s, server, kCallsPerRun); });
    rt->wait_exit(client, std::chrono::minutes(1));
  }
  state.counters["calls_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kCallsPerRun, benchmark::Counter::kIsRate);
  rt->exit(server, ExitReason::killed());
}
BENCHMARK(BM_CallRoundTrip)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

struct Count {
  static constexpr std::string_view kLabel = "count";
};
struct Done {
  static constexpr std::string_view kLabel = "done";
};

Task<void> sink(Self self, int expected, Pid report_to) {
  for (int i = 0; i < expected; ++i) co_await self.receive_any();
  co_await self.send(report_to, Message::of(Done{}));
}

Task<void> flood(Self self, int messages) {
  Pid receiver = co_await self.spawn("sink", [me = self.pid(), messages](Self s) { return sink(s, messages, me); });
  for (int i = 0; i < messages; ++i) co_await self.send(receiver, Message::of(Count{}));
  co_await self.receive(peer::is<Done>());
}

void BM_MessageThroughput(benchmark::State& state) {
  auto rt = Runtime::threaded(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    Pid sender = rt->spawn("flood", [](Self s) { return flood(s, kMessagesPerRun); });
    rt->wait_exit(sender, std::chrono::minutes(1));
  }
  state.counters["msgs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kMessagesPerRun, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MessageThroughput)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

Task<void> nothing(Self) { co_return; }
Task<void> spawn_many(Self self, int n) {
  for (int i = 0; i < n; ++i) {
    Pid child = co_await self.spawn("child", [](Self s) { return nothing(s); });
    co_await self.monitor(child);
    co_await self.receive(peer::is<Down>());
  }
}

void BM_SpawnMonitorExit(benchmark::State& state) {
  auto rt = Runtime::threaded(2);
  constexpr int kSpawns = 20000;
  for (auto _ : state) {
    Pid root = rt->spawn("root", [](Self s) { return spawn_many(s, kSpawns); });
    rt->wait_exit(root, std::chrono::minutes(1));
  }
  state.counters["spawns_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kSpawns, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SpawnMonitorExit)->Unit(benchmark::kMillisecond)->UseRealTime();

// One full run of the explorer's scenario (about 30 steps) per iteration.
void BM_ExplorerRun(benchmark::State& state) {
  electric::ScenarioOptions options;
  auto make = electric::materializer_scenario(options);
  explore::ExploreOptions explore_options;
  for (auto _ : state) {
    auto r = explore::explore_random(make, explore_options, 100, 1);
    benchmark::DoNotOptimize(r.schedules);
  }
  state.counters["runs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 100, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ExplorerRun)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
