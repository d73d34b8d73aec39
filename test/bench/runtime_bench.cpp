// Google Benchmark for the threaded runtime (compared with Erlang/OTP by
// test/bench/runtime_vs_erlang.sh, whose Erlang side, runtime_bench_erl.erl,
// has the same shapes): call round trip, message throughput one to one and
// many to one, a token around a ring, spawn+exit, and deterministic-mode
// steps (what bounds the explorer). Each threaded benchmark runs with 1 and
// with 2 worker threads (the argument).
#include <benchmark/benchmark.h>

#include <chrono>
#include <vector>

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

// Runs body as a root process once per iteration, with state.range(0)
// workers; `counter`: how many of `per_run` things per second.
void rate_of_runs(benchmark::State& state, const ProcessBody& body, const char* counter, int per_run) {
  auto rt = Runtime::threaded(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    Pid root = rt->spawn("root", body);
    rt->wait_exit(root, std::chrono::minutes(1));
  }
  state.counters[counter] =
      benchmark::Counter(static_cast<double>(state.iterations()) * per_run, benchmark::Counter::kIsRate);
}

void BM_MessageThroughput(benchmark::State& state) {
  rate_of_runs(state, [](Self s) { return flood(s, kMessagesPerRun); }, "msgs_per_s", kMessagesPerRun);
}
BENCHMARK(BM_MessageThroughput)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Many to one: 8 processes send kMessagesPerRun messages in all to one
// receiver; time from the first send to the receiver's report.
constexpr int kSenders = 8;
struct Start {
  static constexpr std::string_view kLabel = "start";
};
Task<void> burst(Self self, Pid to, int messages) {
  co_await self.receive(peer::is<Start>());
  for (int i = 0; i < messages; ++i) co_await self.send(to, Message::of(Count{}));
}
Task<void> many_to_one(Self self, int messages) {
  Pid receiver = co_await self.spawn("sink", [me = self.pid(), messages](Self s) { return sink(s, messages, me); });
  std::vector<Pid> senders;
  for (int k = 0; k < kSenders; ++k) {
    senders.push_back(
        co_await self.spawn("burst", [receiver, messages](Self s) { return burst(s, receiver, messages / kSenders); }));
  }
  for (Pid p : senders) co_await self.send(p, Message::of(Start{}));
  co_await self.receive(peer::is<Done>());
}

void BM_ManyToOne(benchmark::State& state) {
  rate_of_runs(state, [](Self s) { return many_to_one(s, kMessagesPerRun); }, "msgs_per_s", kMessagesPerRun);
}
BENCHMARK(BM_ManyToOne)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// A ring of kRingSize processes passes a token kRingRounds times around;
// timed from the first pass to the token's last return (building the ring
// is spawn's cost, measured below).
constexpr int kRingSize = 1000;
constexpr int kRingRounds = 100;
struct Token {
  static constexpr std::string_view kLabel = "token";
  bool stop = false;
};
Task<void> ring_member(Self self, Pid next) {
  for (;;) {
    auto e = co_await self.receive_any();
    bool stop = e->as<Token>().stop;
    co_await self.send(next, std::move(e->msg));
    if (stop) co_return;
  }
}
Task<void> ring(Self self, int rounds, double* seconds) {
  // The root is one member; the others are spawned last first, each
  // knowing its successor.
  Pid next = self.pid();
  for (int i = 1; i < kRingSize; ++i) {
    next = co_await self.spawn("member", [next](Self s) { return ring_member(s, next); });
  }
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    co_await self.send(next, Message::of(Token{}));
    co_await self.receive_any();
  }
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  co_await self.send(next, Message::of(Token{true}));
  co_await self.receive_any();
}

void BM_Ring(benchmark::State& state) {
  auto rt = Runtime::threaded(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    double seconds = 0;
    Pid root = rt->spawn("root", [&seconds](Self s) { return ring(s, kRingRounds, &seconds); });
    rt->wait_exit(root, std::chrono::minutes(1));
    state.SetIterationTime(seconds);
  }
  state.counters["hops_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()) * kRingSize * kRingRounds,
                                                    benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Ring)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseManualTime();

// Spawn + exit: a process spawns a child that returns at once, monitors it,
// and waits for its Down, kSpawns times in a row.
Task<void> nothing(Self) { co_return; }
Task<void> spawn_many(Self self, int n) {
  for (int i = 0; i < n; ++i) {
    Pid child = co_await self.spawn("child", [](Self s) { return nothing(s); });
    co_await self.monitor(child);
    co_await self.receive(peer::is<Down>());
  }
}

void BM_SpawnMonitorExit(benchmark::State& state) {
  constexpr int kSpawns = 20000;
  rate_of_runs(state, [](Self s) { return spawn_many(s, kSpawns); }, "spawns_per_s", kSpawns);
}
BENCHMARK(BM_SpawnMonitorExit)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

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
