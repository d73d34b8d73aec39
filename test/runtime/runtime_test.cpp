// Semantics of the runtime, each checked under both schedulers.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "peer/runtime/gen_server.h"
#include "peer/runtime/runtime.h"

namespace peer {
namespace {

using namespace std::chrono_literals;

struct Ping {
  static constexpr std::string_view kLabel = "ping";
  int n = 0;
};
struct Pong {
  static constexpr std::string_view kLabel = "pong";
  int n = 0;
};

class RuntimeTest : public ::testing::TestWithParam<Runtime::Mode> {
 protected:
  void SetUp() override {
    rt_ = GetParam() == Runtime::Mode::threaded ? Runtime::threaded(2) : Runtime::deterministic();
  }
  // Runs body as a root process and returns its exit reason.
  ExitReason run(ProcessBody body) {
    Pid root = rt_->spawn("root", std::move(body));
    auto reason = rt_->wait_exit(root, 10s);
    EXPECT_TRUE(reason.has_value()) << "root did not finish";
    return reason.value_or(ExitReason::error("did not finish"));
  }
  std::unique_ptr<Runtime> rt_;
};

// Parks forever (until killed).
Task<void> park(Self self) { co_await self.receive([](const Envelope&) { return false; }); }
ProcessBody parked() {
  return [](Self self) { return park(self); };
}
Task<void> finish_now(Self) { co_return; }
Task<void> crash(Self self) {
  co_await self.yield();
  throw std::runtime_error("boom");
}

Task<void> echo(Self self) {
  for (;;) {
    auto env = co_await self.receive_any();
    if (env->is<CallRequest>()) {
      const auto& req = env->as<CallRequest>();
      if (req.request.is<Ping>()) self.reply(req.from, Message::of(Pong{req.request.as<Ping>().n}));
    } else if (env->is<Ping>()) {
      self.send(env->from, Message::of(Pong{env->as<Ping>().n}));
    }
  }
}
ProcessBody echo_body() {
  return [](Self self) { return echo(self); };
}

TEST_P(RuntimeTest, NormalReturnIsNormalExit) {
  EXPECT_EQ(run([](Self self) { return finish_now(self); }), ExitReason::normal());
}

TEST_P(RuntimeTest, ExceptionIsErrorExit) {
  EXPECT_EQ(run([](Self self) { return crash(self); }).kind, ExitKind::error);
}

Task<void> monitor_dead_pid(Self self, bool* ok) {
  Pid dead = self.spawn("short", [](Self s) { return finish_now(s); });
  Ref watch = self.monitor(dead, "probe");  // may or may not be dead yet
  auto down = co_await self.receive(is<Down>(), 5000ms);
  if (!down) co_return;
  // Now it is certainly dead: a new monitor fires at once with noproc.
  Ref again = self.monitor(dead, "again");
  auto noproc = co_await self.receive(is<Down>(), 5000ms);
  *ok = noproc && noproc->as<Down>().ref == again && noproc->as<Down>().reason == ExitReason::noproc() &&
        noproc->as<Down>().tag == "again" && down->as<Down>().ref == watch;
}
TEST_P(RuntimeTest, MonitorOfDeadPidFiresNoproc) {
  bool ok = false;
  run([&ok](Self self) { return monitor_dead_pid(self, &ok); });
  EXPECT_TRUE(ok);
}

Task<void> monitor_nil(Self self, bool* ok) {
  Ref ref = self.monitor(Pid{}, "nil");
  auto down = co_await self.receive(is<Down>(), 1000ms);
  *ok = down && down->as<Down>().ref == ref && down->as<Down>().reason.kind == ExitKind::noproc;
}
TEST_P(RuntimeTest, MonitorOfNilPidFiresNoproc) {
  bool ok = false;
  run([&ok](Self self) { return monitor_nil(self, &ok); });
  EXPECT_TRUE(ok);
}

Task<void> down_carries_reason(Self self, ExitReason* seen) {
  Pid child = self.spawn("crasher", [](Self s) { return crash(s); });
  self.monitor(child, "t");
  auto down = co_await self.receive(is<Down>(), 5000ms);
  if (down) *seen = down->as<Down>().reason;
}
TEST_P(RuntimeTest, DownCarriesExitReason) {
  ExitReason seen;
  run([&seen](Self self) { return down_carries_reason(self, &seen); });
  EXPECT_EQ(seen.kind, ExitKind::error);
  EXPECT_EQ(seen.text, "boom");
}

Task<void> demonitor_flush(Self self, bool* ok) {
  Pid child = self.spawn("short", [](Self s) { return finish_now(s); });
  Ref ref = self.monitor(child);
  Ref sync = self.monitor(child);  // a second monitor tells us when it is dead
  co_await self.receive([sync](const Envelope& e) { return e.is<Down>() && e.as<Down>().ref == sync; }, 5000ms);
  self.demonitor(ref, true);
  auto left = co_await self.receive(is<Down>(), 0ms);
  *ok = !left.has_value();
}
TEST_P(RuntimeTest, DemonitorFlushDropsQueuedDown) {
  bool ok = false;
  run([&ok](Self self) { return demonitor_flush(self, &ok); });
  EXPECT_TRUE(ok);
}

Task<void> call_dead(Self self, CallResult* out) {
  Pid dead = self.spawn("short", [](Self s) { return finish_now(s); });
  self.monitor(dead);
  co_await self.receive(is<Down>());
  *out = co_await self.call(dead, Message::of(Ping{1}), 1000ms);
}
TEST_P(RuntimeTest, CallToDeadPidIsNoproc) {
  CallResult result;
  EXPECT_EQ(run([&result](Self self) { return call_dead(self, &result); }), ExitReason::normal());
  EXPECT_EQ(result.error, CallError::noproc);
}

Task<void> call_nil(Self self, CallResult* out) { *out = co_await self.call(Pid{}, Message::of(Ping{1})); }
TEST_P(RuntimeTest, CallToNilPidIsNoprocNotAHang) {
  CallResult result;
  run([&result](Self self) { return call_nil(self, &result); });
  EXPECT_EQ(result.error, CallError::noproc);
}

Task<void> call_echo(Self self, int* got) {
  Pid server = self.spawn("echo", echo_body());
  CallResult r = co_await self.call(server, Message::of(Ping{41}));
  if (r.ok()) *got = r.get<Pong>().n;
  self.exit(server, ExitReason::killed());
}
TEST_P(RuntimeTest, CallReturnsReply) {
  int got = 0;
  run([&got](Self self) { return call_echo(self, &got); });
  EXPECT_EQ(got, 41);
}

Task<void> call_dies(Self self, CallResult* out) {
  Pid victim = self.spawn("victim", [](Self s) -> Task<void> {
    auto env = co_await s.receive(is<CallRequest>());
    (void)env;
    s.exit(ExitReason::error("died mid-call"));
  });
  *out = co_await self.call(victim, Message::of(Ping{1}));
}
TEST_P(RuntimeTest, CallToProcessDyingMidCallIsExited) {
  CallResult result;
  run([&result](Self self) { return call_dies(self, &result); });
  EXPECT_EQ(result.error, CallError::exited);
  EXPECT_EQ(result.reason.text, "died mid-call");
}

Task<void> call_timeout(Self self, CallResult* out, bool* no_down_left) {
  Pid silent = self.spawn("silent", parked());
  *out = co_await self.call(silent, Message::of(Ping{1}), 20ms);
  self.exit(silent, ExitReason::killed());
  // The call's monitor is gone: no Down for it arrives later.
  auto stray = co_await self.receive(is<Down>(), 50ms);
  *no_down_left = !stray.has_value();
}
TEST_P(RuntimeTest, CallTimesOut) {
  CallResult result;
  bool clean = false;
  run([&](Self self) { return call_timeout(self, &result, &clean); });
  EXPECT_EQ(result.error, CallError::timeout);
  EXPECT_TRUE(clean);
}

Task<void> selective(Self self, std::vector<int>* order) {
  self.send(self.pid(), Message::of(Ping{1}));
  self.send(self.pid(), Message::of(Pong{2}));
  self.send(self.pid(), Message::of(Ping{3}));
  auto pong = co_await self.receive(is<Pong>());
  order->push_back(pong->as<Pong>().n);
  for (int i = 0; i < 2; ++i) {
    auto ping = co_await self.receive(is<Ping>());
    order->push_back(ping->as<Ping>().n);
  }
  auto none = co_await self.receive_any(0ms);
  if (!none) order->push_back(0);
}
TEST_P(RuntimeTest, SelectiveReceiveKeepsOtherMessagesInOrder) {
  std::vector<int> order;
  run([&order](Self self) { return selective(self, &order); });
  EXPECT_EQ(order, (std::vector<int>{2, 1, 3, 0}));
}

Task<void> receive_timeout(Self self, bool* timed_out) {
  auto env = co_await self.receive(is<Ping>(), 10ms);
  *timed_out = !env.has_value();
}
TEST_P(RuntimeTest, ReceiveTimesOut) {
  bool timed_out = false;
  run([&timed_out](Self self) { return receive_timeout(self, &timed_out); });
  EXPECT_TRUE(timed_out);
}

Task<void> registry_release(Self self, std::vector<bool>* seen) {
  Key key{"stack", "shape"};
  Pid p = self.spawn("named", parked(), SpawnOptions{key, std::nullopt, false});
  seen->push_back(self.whereis(key) == p);
  // A second process cannot take the name while the first holds it.
  seen->push_back(self.spawn("dup", parked(), SpawnOptions{key, std::nullopt, false}).is_nil());
  self.monitor(p);
  self.exit(p, ExitReason::killed());
  co_await self.receive(is<Down>());
  seen->push_back(!self.whereis(key).has_value());
  Pid q = self.spawn("named2", parked(), SpawnOptions{key, std::nullopt, false});
  seen->push_back(self.whereis(key) == q && q != p);
  self.exit(q, ExitReason::killed());
}
TEST_P(RuntimeTest, NameIsReleasedWithExitAndReusable) {
  std::vector<bool> seen;
  run([&seen](Self self) { return registry_release(self, &seen); });
  EXPECT_EQ(seen, (std::vector<bool>{true, true, true, true}));
}

TEST_P(RuntimeTest, WhereisOfUnknownKeyIsEmpty) { EXPECT_FALSE(rt_->whereis(Key{"no", "one"}).has_value()); }

Task<void> links(Self self, ExitReason* linked_reason, ExitReason* trapped_reason) {
  // An untrapped linked process dies with its partner's abnormal reason.
  Pid partner = self.spawn("partner", parked());
  Pid root = self.pid();
  Pid follower = self.spawn("follower", [partner, root](Self s) -> Task<void> {
    s.link(partner);
    s.send(root, Message::of(Ping{0}));
    co_await park(s);
  });
  self.monitor(follower);
  co_await self.receive(is<Ping>());
  self.exit(partner, ExitReason::error("partner failed"));
  auto down = co_await self.receive(is<Down>());
  *linked_reason = down->as<Down>().reason;
  // A trapping process receives the exit as a message instead.
  self.trap_exit(true);
  Pid child = self.spawn("child", [](Self s) { return crash(s); }, SpawnOptions{std::nullopt, self.pid(), false});
  auto exit = co_await self.receive(is<ExitSignal>());
  if (exit->as<ExitSignal>().from == child) *trapped_reason = exit->as<ExitSignal>().reason;
}
TEST_P(RuntimeTest, LinksPropagateAbnormalExitsAndTrapExitTurnsThemIntoMessages) {
  ExitReason linked, trapped;
  run([&](Self self) { return links(self, &linked, &trapped); });
  EXPECT_EQ(linked, ExitReason::error("partner failed"));
  EXPECT_EQ(trapped, ExitReason::error("boom"));
}

TEST_P(RuntimeTest, PidsAreNeverReused) {
  Pid a = rt_->spawn("a", [](Self s) { return finish_now(s); });
  rt_->wait_exit(a, 5s);
  Pid b = rt_->spawn("b", [](Self s) { return finish_now(s); });
  rt_->wait_exit(b, 5s);
  EXPECT_NE(a, b);
  EXPECT_GT(b.id, a.id);
}

TEST_P(RuntimeTest, KillFromOutsideIsKilled) {
  Pid p = rt_->spawn("victim", parked());
  if (rt_->mode() == Runtime::Mode::deterministic) rt_->run_until_quiescent();
  rt_->exit(p, ExitReason::killed());
  EXPECT_EQ(rt_->wait_exit(p, 5s), ExitReason::killed());
  EXPECT_FALSE(rt_->is_alive(p));
}

Task<void> kill_mid_call(Self self, ExitReason* caller_exit, CallResult* later, std::size_t* watchers_left) {
  Pid silent = self.spawn("silent", parked());
  Pid caller = self.spawn("caller", [silent](Self s) -> Task<void> {
    co_await s.call(silent, Message::of(Ping{1}));  // never answered
  });
  Ref watch = self.monitor(caller);
  co_await self.yield();
  co_await self.yield();
  // The caller is suspended inside call(), two coroutine frames deep: killing
  // it destroys the whole chain and removes it from the callee's watchers.
  self.exit(caller, ExitReason::killed());
  auto down = co_await self.receive([watch](const Envelope& e) { return e.is<Down>() && e.as<Down>().ref == watch; });
  *caller_exit = down->as<Down>().reason;
  // Only our own call's monitor may remain on the callee.
  *watchers_left = self.runtime().watchers_of(silent).size();
  *later = co_await self.call(silent, Message::of(Ping{2}), 10ms);
  self.exit(silent, ExitReason::killed());
}
TEST_P(RuntimeTest, KillingAProcessInsideACallUnwindsIt) {
  ExitReason caller_exit;
  CallResult later;
  std::size_t watchers_left = 99;
  run([&](Self self) { return kill_mid_call(self, &caller_exit, &later, &watchers_left); });
  EXPECT_EQ(watchers_left, 0u);
  EXPECT_EQ(caller_exit, ExitReason::killed());
  EXPECT_EQ(later.error, CallError::timeout);
}

INSTANTIATE_TEST_SUITE_P(Modes, RuntimeTest,
                         ::testing::Values(Runtime::Mode::threaded, Runtime::Mode::deterministic),
                         [](const auto& info) {
                           return info.param == Runtime::Mode::threaded ? "Threaded" : "Deterministic";
                         });

}  // namespace
}  // namespace peer
