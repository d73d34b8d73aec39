// Semantics of the runtime, each checked under both schedulers.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "peer/runtime/gen_server.h"
#include "peer/runtime/runtime.h"
#include "support.h"

namespace peer {
namespace {

using namespace std::chrono_literals;
using testing::park;
using testing::parked;

// GCC 12 miscompiles a braced aggregate temporary (e.g. SpawnOptions{...}) or
// a lambda capturing a non-trivial object by copy when it appears in the same
// full-expression as a co_await: the temporary is destroyed twice (double
// free). Such arguments are built in a named local first.

struct Ping {
  static constexpr std::string_view kLabel = "ping";
  int n = 0;
};
struct Pong {
  static constexpr std::string_view kLabel = "pong";
  int n = 0;
};

class RuntimeTest : public testing::BothModes {
 protected:
  ExitReason run(ProcessBody body) { return BothModes::run(std::move(body), 10s); }
};
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
      if (req.request.is<Ping>()) co_await self.reply(req.from, Message::of(Pong{req.request.as<Ping>().n}));
    } else if (env->is<Ping>()) {
      co_await self.send(env->from, Message::of(Pong{env->as<Ping>().n}));
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
  Pid dead = co_await self.spawn("short", [](Self s) { return finish_now(s); });
  Ref watch = co_await self.monitor(dead, "probe");  // may or may not be dead yet
  auto down = co_await self.receive(is<Down>(), 5000ms);
  if (!down) co_return;
  // Now it is certainly dead: a new monitor fires at once with noproc.
  Ref again = co_await self.monitor(dead, "again");
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
  Ref ref = co_await self.monitor(Pid{}, "nil");
  auto down = co_await self.receive(is<Down>(), 1000ms);
  *ok = down && down->as<Down>().ref == ref && down->as<Down>().reason.kind == ExitKind::noproc;
}
TEST_P(RuntimeTest, MonitorOfNilPidFiresNoproc) {
  bool ok = false;
  run([&ok](Self self) { return monitor_nil(self, &ok); });
  EXPECT_TRUE(ok);
}

Task<void> down_carries_reason(Self self, ExitReason* seen) {
  Pid child = co_await self.spawn("crasher", [](Self s) { return crash(s); });
  co_await self.monitor(child, "t");
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
  Pid child = co_await self.spawn("short", [](Self s) { return finish_now(s); });
  Ref ref = co_await self.monitor(child);
  Ref sync = co_await self.monitor(child);  // a second monitor tells us when it is dead
  co_await self.receive([sync](const Envelope& e) { return e.is<Down>() && e.as<Down>().ref == sync; }, 5000ms);
  co_await self.demonitor(ref, true);
  auto left = co_await self.receive(is<Down>(), 0ms);
  *ok = !left.has_value();
}
TEST_P(RuntimeTest, DemonitorFlushDropsQueuedDown) {
  bool ok = false;
  run([&ok](Self self) { return demonitor_flush(self, &ok); });
  EXPECT_TRUE(ok);
}

Task<void> call_dead(Self self, CallResult* out) {
  Pid dead = co_await self.spawn("short", [](Self s) { return finish_now(s); });
  co_await self.monitor(dead);
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
  Pid server = co_await self.spawn("echo", echo_body());
  CallResult r = co_await self.call(server, Message::of(Ping{41}));
  if (r.ok()) *got = r.get<Pong>().n;
  co_await self.exit(server, ExitReason::killed());
}
TEST_P(RuntimeTest, CallReturnsReply) {
  int got = 0;
  run([&got](Self self) { return call_echo(self, &got); });
  EXPECT_EQ(got, 41);
}

// Replies to every call with its own request.
Task<void> mirror(Self self) {
  for (;;) {
    auto env = co_await self.receive(is<CallRequest>());
    co_await self.reply(env->as<CallRequest>().from, env->as<CallRequest>().request);
  }
}

// Bodies too big for std::any's small buffer live on the heap: the request
// must reach the callee intact and the reply come back intact.
Task<void> call_heap_bodies(Self self, std::string* text, std::vector<int>* numbers) {
  Pid server = co_await self.spawn("mirror", [](Self s) { return mirror(s); });
  CallResult a = co_await self.call(server, Message::of(std::string(64, 'x')));
  if (a.ok()) *text = a.get<std::string>();
  const std::vector<int> five{1, 2, 3, 4, 5};  // no initializer_list inside a co_await (GCC 12)
  CallResult b = co_await self.call(server, Message::of(five));
  if (b.ok()) *numbers = b.get<std::vector<int>>();
  co_await self.exit(server, ExitReason::killed());
}
TEST_P(RuntimeTest, CallCarriesHeapStoredRequestsAndReplies) {
  std::string text;
  std::vector<int> numbers;
  EXPECT_EQ(run([&](Self self) { return call_heap_bodies(self, &text, &numbers); }), ExitReason::normal());
  EXPECT_EQ(text, std::string(64, 'x'));
  EXPECT_EQ(numbers, (std::vector<int>{1, 2, 3, 4, 5}));
}

Task<void> call_dies(Self self, CallResult* out) {
  Pid victim = co_await self.spawn("victim", [](Self s) -> Task<void> {
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
  Pid silent = co_await self.spawn("silent", parked());
  *out = co_await self.call(silent, Message::of(Ping{1}), 20ms);
  co_await self.exit(silent, ExitReason::killed());
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

// Replies to the first call only after `delay`, then tells the caller it has
// replied (a Ping sent after the reply), so that the caller can tell a
// dropped reply from one that was never sent.
Task<void> late_replier(Self self, Timeout delay) {
  auto env = co_await self.receive(is<CallRequest>());
  From from = env->as<CallRequest>().from;
  auto nothing = co_await self.receive([](const Envelope&) { return false; }, delay);
  (void)nothing;
  co_await self.reply(from, Message::of(Pong{7}));
  co_await self.send(from.caller, Message::of(Ping{8}));
}

// OTP 24's process aliases: a reply that comes after the call timed out is
// discarded, never delivered to the caller's mailbox.
Task<void> call_then_late_reply(Self self, CallResult* out, std::string* next) {
  Pid slow = co_await self.spawn("slow", [](Self s) { return late_replier(s, 200ms); });
  *out = co_await self.call(slow, Message::of(Ping{1}), 20ms);
  auto env = co_await self.receive_any(5s);
  *next = !env ? "nothing" : env->is<CallReply>() ? "late reply" : env->is<Ping>() ? "ping" : "other";
  auto more = co_await self.receive_any(0ms);
  if (more) *next += more->is<CallReply>() ? " + late reply" : " + other";
}
TEST_P(RuntimeTest, LateReplyAfterTimeoutIsDropped) {
  CallResult result;
  std::string next;
  EXPECT_EQ(run([&](Self self) { return call_then_late_reply(self, &result, &next); }), ExitReason::normal());
  EXPECT_EQ(result.error, CallError::timeout);
  EXPECT_EQ(next, "ping") << "the late reply must be dropped, and the replier's next message arrive";
}

// The reply to a call that ended with the callee's Down (a deferred reply
// from a helper, sent after the callee died) is dropped too.
Task<void> call_then_reply_after_down(Self self, CallResult* out, std::string* next) {
  Pid helper = co_await self.spawn("helper", [](Self s) -> Task<void> {
    auto env = co_await s.receive(is<From>());
    From from = env->as<From>();
    auto nothing = co_await s.receive([](const Envelope&) { return false; }, 100ms);
    (void)nothing;
    co_await s.reply(from, Message::of(Pong{7}));
    co_await s.send(from.caller, Message::of(Ping{8}));
  });
  // The callee hands the call to the helper and dies at once.
  Pid callee = co_await self.spawn("callee", [helper](Self s) -> Task<void> {
    auto env = co_await s.receive(is<CallRequest>());
    co_await s.send(helper, Message::of(env->as<CallRequest>().from));
    s.exit(ExitReason::error("handed over"));
  });
  *out = co_await self.call(callee, Message::of(Ping{1}));
  auto env = co_await self.receive_any(5s);
  *next = !env ? "nothing" : env->is<CallReply>() ? "late reply" : env->is<Ping>() ? "ping" : "other";
}
TEST_P(RuntimeTest, ReplyAfterTheCalleesDownIsDropped) {
  CallResult result;
  std::string next;
  EXPECT_EQ(run([&](Self self) { return call_then_reply_after_down(self, &result, &next); }), ExitReason::normal());
  EXPECT_EQ(result.error, CallError::exited);
  EXPECT_EQ(next, "ping");
}

Task<void> selective(Self self, std::vector<int>* order) {
  co_await self.send(self.pid(), Message::of(Ping{1}));
  co_await self.send(self.pid(), Message::of(Pong{2}));
  co_await self.send(self.pid(), Message::of(Ping{3}));
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

// Receive by reference: the Down of one monitor, past other messages and
// another monitor's Down, which stay queued in order.
Task<void> by_reference(Self self, std::vector<std::string>* seen) {
  Pid first = co_await self.spawn("first", [](Self) -> Task<void> { co_return; });
  Pid second = co_await self.spawn("second", [](Self) -> Task<void> { co_return; });
  Ref watch_first = co_await self.monitor(first, "first");
  Ref watch_second = co_await self.monitor(second, "second");
  co_await self.send(self.pid(), Message::of(Ping{1}));
  // Both Downs arrive (in either order); take the second's by its Ref.
  auto down = co_await self.receive(watch_second);
  seen->push_back(down->as<Down>().tag);
  auto next = co_await self.receive_any();
  auto last = co_await self.receive_any();
  for (const auto& e : {*next, *last}) seen->push_back(e.is<Down>() ? e.as<Down>().tag : "ping");
  auto none = co_await self.receive(watch_first, 0ms);
  if (!none) seen->push_back("nothing left for the first ref");
}
TEST_P(RuntimeTest, ReceiveByReferenceTakesOnlyThatMonitorsDown) {
  std::vector<std::string> seen;
  run([&seen](Self self) { return by_reference(self, &seen); });
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], "second");
  std::vector<std::string> rest{seen[1], seen[2]};
  std::sort(rest.begin(), rest.end());
  EXPECT_EQ(rest, (std::vector<std::string>{"first", "ping"}));
  EXPECT_EQ(seen[3], "nothing left for the first ref");
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
  const SpawnOptions named{key, std::nullopt, false};
  Pid p = co_await self.spawn("named", parked(), named);
  seen->push_back((co_await self.whereis(key)) == p);
  // A second process cannot take the name while the first holds it.
  seen->push_back((co_await self.spawn("dup", parked(), named)).is_nil());
  co_await self.monitor(p);
  co_await self.exit(p, ExitReason::killed());
  co_await self.receive(is<Down>());
  seen->push_back(!(co_await self.whereis(key)).has_value());
  Pid q = co_await self.spawn("named2", parked(), named);
  seen->push_back((co_await self.whereis(key)) == q && q != p);
  co_await self.exit(q, ExitReason::killed());
}
TEST_P(RuntimeTest, NameIsReleasedWithExitAndReusable) {
  std::vector<bool> seen;
  run([&seen](Self self) { return registry_release(self, &seen); });
  EXPECT_EQ(seen, (std::vector<bool>{true, true, true, true}));
}

TEST_P(RuntimeTest, WhereisOfUnknownKeyIsEmpty) { EXPECT_FALSE(rt_->whereis(Key{"no", "one"}).has_value()); }

Task<void> links(Self self, ExitReason* linked_reason, ExitReason* trapped_reason) {
  // An untrapped linked process dies with its partner's abnormal reason.
  Pid partner = co_await self.spawn("partner", parked());
  Pid root = self.pid();
  Pid follower = co_await self.spawn("follower", [partner, root](Self s) -> Task<void> {
    co_await s.link(partner);
    co_await s.send(root, Message::of(Ping{0}));
    co_await park(s);
  });
  co_await self.monitor(follower);
  co_await self.receive(is<Ping>());
  co_await self.exit(partner, ExitReason::error("partner failed"));
  auto down = co_await self.receive(is<Down>());
  *linked_reason = down->as<Down>().reason;
  // A trapping process receives the exit as a message instead.
  self.trap_exit(true);
  const SpawnOptions linked{std::nullopt, self.pid(), false};
  Pid child = co_await self.spawn("child", [](Self s) { return crash(s); }, linked);
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

bool watched_by(const Runtime& rt, Pid target, Pid watcher) {
  for (const auto& [pid, tag] : rt.watchers_of(target)) {
    if (pid == watcher) return true;
  }
  return false;
}

Task<void> kill_mid_call(Self self, ExitReason* caller_exit, CallResult* later, std::size_t* watchers_left,
                         bool* killed_inside_call) {
  Pid silent = co_await self.spawn("silent", parked());
  Pid caller = co_await self.spawn("caller", [silent](Self s) -> Task<void> {
    co_await s.call(silent, Message::of(Ping{1}));  // never answered
  });
  Ref watch = co_await self.monitor(caller);
  co_await self.yield();
  co_await self.yield();
  // Every operation is a step now, so two yields are no longer a count that
  // guarantees where the caller is: wait until its call's monitor is on the
  // callee (deterministic: already the case; threaded: the other worker).
  for (int i = 0; i < 5000 && !watched_by(self.runtime(), silent, caller); ++i) {
    co_await self.receive([](const Envelope&) { return false; }, 1ms);
  }
  *killed_inside_call = watched_by(self.runtime(), silent, caller);
  // The caller is suspended inside call(), two coroutine frames deep: killing
  // it destroys the whole chain and removes it from the callee's watchers.
  co_await self.exit(caller, ExitReason::killed());
  auto down = co_await self.receive([watch](const Envelope& e) { return e.is<Down>() && e.as<Down>().ref == watch; });
  *caller_exit = down->as<Down>().reason;
  // Only our own call's monitor may remain on the callee.
  *watchers_left = self.runtime().watchers_of(silent).size();
  *later = co_await self.call(silent, Message::of(Ping{2}), 10ms);
  co_await self.exit(silent, ExitReason::killed());
}
TEST_P(RuntimeTest, KillingAProcessInsideACallUnwindsIt) {
  ExitReason caller_exit;
  CallResult later;
  std::size_t watchers_left = 99;
  bool killed_inside_call = false;
  run([&](Self self) { return kill_mid_call(self, &caller_exit, &later, &watchers_left, &killed_inside_call); });
  EXPECT_TRUE(killed_inside_call) << "the caller had not placed its call's monitor when it was killed";
  EXPECT_EQ(watchers_left, 0u);
  EXPECT_EQ(caller_exit, ExitReason::killed());
  EXPECT_EQ(later.error, CallError::timeout);
}

// Answers each Ping with a Pong (sent with send_value) until killed.
Task<void> ponger(Self self) {
  for (;;) {
    auto env = co_await self.receive(is<Ping>());
    co_await self.send_value(env->from, Pong{env->as<Ping>().n});
  }
}

Task<void> unlink_stops_propagation(Self self, bool* survived, int* pong) {
  Pid partner = co_await self.spawn("partner", parked());
  Pid root = self.pid();
  Pid follower = co_await self.spawn("follower", [partner, root](Self s) -> Task<void> {
    co_await s.link(partner);
    co_await s.unlink(partner);
    co_await s.send_value(root, Ping{0});
    co_await ponger(s);
  });
  Ref watch = co_await self.monitor(follower);
  co_await self.receive(is<Ping>());
  Ref partner_watch = co_await self.monitor(partner);
  co_await self.exit(partner, ExitReason::error("partner failed"));
  co_await self.receive(
      [partner_watch](const Envelope& e) { return e.is<Down>() && e.as<Down>().ref == partner_watch; });
  // The partner is gone; an unlinked follower still answers.
  co_await self.send_value(follower, Ping{42});
  auto answer = co_await self.receive(is<Pong>(), 5000ms);
  if (answer) *pong = answer->as<Pong>().n;
  auto down =
      co_await self.receive([watch](const Envelope& e) { return e.is<Down>() && e.as<Down>().ref == watch; }, 0ms);
  *survived = !down.has_value() && self.runtime().is_alive(follower);
  co_await self.exit(follower, ExitReason::killed());
}
TEST_P(RuntimeTest, UnlinkStopsExitPropagationAndSendValueDelivers) {
  bool survived = false;
  int pong = 0;
  EXPECT_EQ(run([&](Self self) { return unlink_stops_propagation(self, &survived, &pong); }), ExitReason::normal());
  EXPECT_TRUE(survived);
  EXPECT_EQ(pong, 42);
}

INSTANTIATE_TEST_SUITE_P(Modes, RuntimeTest, ::testing::Values(Runtime::Mode::threaded, Runtime::Mode::deterministic),
                         testing::mode_name);

// --- Deterministic mode: every operation is its own step ---
//
// The tests below drive the schedule by hand with rt.step(pid) and pin the
// granularity: a process suspends before each runtime operation and stays
// ready, so the operation takes effect at its next step, one per step; its
// exit (once its body has returned or thrown) is a step of its own.

// Records the runtime's events (one vector per test), to count operations.
class EventLog : public Observer {
 public:
  bool wants_events() const override { return true; }
  void on_event(Pid actor, const std::string&, const std::string& text) override { events.emplace_back(actor, text); }
  // Events of actor since the last take(), then forgets them all.
  std::vector<std::string> take(Pid actor) {
    std::vector<std::string> out;
    for (const auto& [pid, text] : events) {
      if (pid == actor) out.push_back(text);
    }
    events.clear();
    return out;
  }
  std::vector<std::pair<Pid, std::string>> events;
};

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

bool contains(const std::vector<Pid>& pids, Pid pid) { return std::find(pids.begin(), pids.end(), pid) != pids.end(); }

// Waits for one message and records it, then parks.
Task<void> record_one(Self self, std::optional<Envelope>* got) {
  *got = co_await self.receive_any();
  co_await park(self);
}

// A deterministic runtime whose registered target already waits in its
// receive, with every event logged.
struct WaitingTarget {
  WaitingTarget() {
    rt->set_observer(&log);
    target =
        rt->spawn("target", [this](Self s) { return record_one(s, &got); }, SpawnOptions{key, std::nullopt, false});
    rt->run_until_quiescent();
  }
  ~WaitingTarget() { rt->set_observer(nullptr); }
  std::unique_ptr<Runtime> rt = Runtime::deterministic();
  EventLog log;
  Key key{"stack", "target"};
  std::optional<Envelope> got;
  Pid target;
};

struct ThreeOps {
  std::vector<std::string> progress;
  std::optional<std::optional<Pid>> found;
  std::optional<Ref> ref;
};

Task<void> whereis_send_monitor(Self self, Key key, ThreeOps* out) {
  out->progress.push_back("started");
  std::optional<Pid> target = co_await self.whereis(key);
  out->found = target;
  out->progress.push_back("looked up");
  co_await self.send(*target, Message::of(Ping{7}));
  out->progress.push_back("sent");
  out->ref = co_await self.monitor(*target, "watch");
  out->progress.push_back("monitored");
  co_await park(self);
}

TEST(DeterministicOperations, EachOperationTakesEffectAtItsOwnStep) {
  WaitingTarget setup;
  auto& [rt, log, key, got, target] = setup;
  ASSERT_TRUE(rt->ready_processes().empty());

  ThreeOps ops;
  Pid actor = rt->spawn("actor", [key, &ops](Self s) { return whereis_send_monitor(s, key, &ops); });
  log.events.clear();

  // Step 1: the body runs up to its first operation, which has not happened.
  rt->step(actor);
  EXPECT_EQ(ops.progress, (std::vector<std::string>{"started"}));
  EXPECT_FALSE(ops.found.has_value());
  EXPECT_EQ(log.take(actor), (std::vector<std::string>{"starts"}));
  EXPECT_EQ(rt->ready_processes(), (std::vector<Pid>{actor}));
  EXPECT_TRUE(rt->watchers_of(target).empty());

  // Step 2: the whereis, and nothing else.
  rt->step(actor);
  EXPECT_EQ(ops.progress, (std::vector<std::string>{"started", "looked up"}));
  ASSERT_TRUE(ops.found.has_value());
  EXPECT_EQ(*ops.found, std::optional<Pid>(target));
  auto events = log.take(actor);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(starts_with(events[0], "whereis")) << events[0];
  EXPECT_EQ(rt->ready_processes(), (std::vector<Pid>{actor})) << "the target has no message yet";
  EXPECT_FALSE(got.has_value());
  EXPECT_TRUE(rt->watchers_of(target).empty());

  // Step 3: the send: the target's receive now matches (it becomes ready).
  rt->step(actor);
  EXPECT_EQ(ops.progress, (std::vector<std::string>{"started", "looked up", "sent"}));
  events = log.take(actor);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(starts_with(events[0], "sends ping")) << events[0];
  EXPECT_EQ(rt->ready_processes(), (std::vector<Pid>{target, actor}));
  EXPECT_TRUE(rt->watchers_of(target).empty()) << "the monitor is the next step, not this one";

  // Step 4: the monitor; then the actor parks (no longer ready).
  rt->step(actor);
  EXPECT_EQ(ops.progress, (std::vector<std::string>{"started", "looked up", "sent", "monitored"}));
  events = log.take(actor);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(starts_with(events[0], "monitors")) << events[0];
  EXPECT_EQ(rt->watchers_of(target), (std::vector<std::pair<Pid, std::string>>{{actor, "watch"}}));
  EXPECT_EQ(rt->ready_processes(), (std::vector<Pid>{target}));

  // The target takes the message only at its own step.
  EXPECT_FALSE(got.has_value());
  rt->step(target);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->from, actor);
  ASSERT_TRUE(got->is<Ping>());
  EXPECT_EQ(got->as<Ping>().n, 7);
  EXPECT_TRUE(rt->ready_processes().empty());
}

TEST(DeterministicOperations, KillBetweenWhereisAndSendMeansTheSendNeverHappens) {
  WaitingTarget setup;
  auto& [rt, log, key, got, target] = setup;

  ThreeOps ops;
  Pid actor = rt->spawn("actor", [key, &ops](Self s) { return whereis_send_monitor(s, key, &ops); });
  rt->step(actor);  // up to the whereis
  rt->step(actor);  // the whereis; suspended before the send
  ASSERT_EQ(ops.progress, (std::vector<std::string>{"started", "looked up"}));
  ASSERT_EQ(ops.found, std::optional<std::optional<Pid>>(target));
  ASSERT_TRUE(contains(rt->ready_processes(), actor));
  log.events.clear();

  rt->exit(actor, ExitReason::killed());  // the fault, between two operations
  EXPECT_FALSE(rt->is_alive(actor));
  EXPECT_FALSE(contains(rt->ready_processes(), actor));
  rt->run_until_quiescent();

  EXPECT_EQ(rt->wait_exit(actor, 1s), ExitReason::killed());
  EXPECT_EQ(ops.progress, (std::vector<std::string>{"started", "looked up"}));
  EXPECT_FALSE(got.has_value()) << "the target received the message the killed process had not sent yet";
  EXPECT_TRUE(rt->is_alive(target));
  EXPECT_TRUE(rt->watchers_of(target).empty());
  for (const auto& [pid, text] : log.events) {
    EXPECT_FALSE(pid == actor && (starts_with(text, "sends") || starts_with(text, "monitors"))) << text;
  }
}

struct DownSeen {
  std::optional<Ref> ref;
  std::optional<Down> down;
};

Task<void> monitor_and_wait(Self self, Pid target, DownSeen* out) {
  out->ref = co_await self.monitor(target, "late");
  auto env = co_await self.receive(is<Down>());
  out->down = env->as<Down>();
}

Task<void> exit_with(Self self, ExitReason reason) {
  if (reason.kind == ExitKind::normal) co_return;
  self.exit(std::move(reason));
}

// A registered process whose body has ended (by co_return, or by throwing
// through Self::exit) is alive and registered until its next step; a monitor
// placed in between sees the real exit reason, not noproc.
void check_exit_is_its_own_step(ExitReason reason) {
  auto rt = Runtime::deterministic();
  Key key{"stack", "ending"};
  Pid ending =
      rt->spawn("ending", [reason](Self s) { return exit_with(s, reason); }, SpawnOptions{key, std::nullopt, false});
  const std::size_t live = rt->live_processes();
  rt->step(ending);  // the body runs to its end: the exit is still to come
  EXPECT_TRUE(rt->is_alive(ending));
  EXPECT_EQ(rt->whereis(key), std::optional<Pid>(ending));
  EXPECT_EQ(rt->ready_processes(), (std::vector<Pid>{ending}));
  EXPECT_EQ(rt->live_processes(), live);

  DownSeen seen;
  Pid watcher = rt->spawn("watcher", [ending, &seen](Self s) { return monitor_and_wait(s, ending, &seen); });
  rt->step(watcher);  // up to the monitor
  rt->step(watcher);  // the monitor, on a process that is still alive; then waits
  ASSERT_TRUE(seen.ref.has_value());
  EXPECT_EQ(rt->watchers_of(ending), (std::vector<std::pair<Pid, std::string>>{{watcher, "late"}}));
  EXPECT_FALSE(seen.down.has_value());
  EXPECT_EQ(rt->ready_processes(), (std::vector<Pid>{ending}));
  EXPECT_EQ(rt->whereis(key), std::optional<Pid>(ending)) << "the name must stay until the exit step";

  rt->step(ending);  // the exit: name released, monitors fired
  EXPECT_FALSE(rt->is_alive(ending));
  EXPECT_FALSE(rt->whereis(key).has_value());
  EXPECT_EQ(rt->wait_exit(ending, 1s), reason);
  EXPECT_EQ(rt->ready_processes(), (std::vector<Pid>{watcher}));

  rt->step(watcher);
  ASSERT_TRUE(seen.down.has_value());
  EXPECT_EQ(seen.down->ref, *seen.ref);
  EXPECT_EQ(seen.down->pid, ending);
  EXPECT_EQ(seen.down->reason, reason) << "a monitor placed before the exit step must not see noproc";
  EXPECT_EQ(seen.down->tag, "late");
}

TEST(DeterministicOperations, ExitIsItsOwnStepAfterTheBodyReturns) { check_exit_is_its_own_step(ExitReason::normal()); }

TEST(DeterministicOperations, ExitIsItsOwnStepAfterTheBodyThrows) {
  check_exit_is_its_own_step(ExitReason::error("thrown"));
}

Task<void> spawn_child(Self self, Key key, std::optional<Pid>* child) {
  const SpawnOptions options{key, std::nullopt, false};
  *child = co_await self.spawn("child", parked(), options);
  co_await park(self);
}

TEST(DeterministicOperations, SpawnFromAProcessIsAnOperation) {
  auto rt = Runtime::deterministic();
  Key key{"stack", "child"};
  std::optional<Pid> child;
  Pid parent = rt->spawn("parent", [key, &child](Self s) { return spawn_child(s, key, &child); });
  EXPECT_EQ(rt->live_processes(), 1u);

  rt->step(parent);  // up to the spawn: no child yet
  EXPECT_EQ(rt->live_processes(), 1u);
  EXPECT_FALSE(child.has_value());
  EXPECT_FALSE(rt->whereis(key).has_value());
  EXPECT_EQ(rt->ready_processes(), (std::vector<Pid>{parent}));

  rt->step(parent);  // the spawn
  EXPECT_EQ(rt->live_processes(), 2u);
  ASSERT_TRUE(child.has_value());
  ASSERT_FALSE(child->is_nil());
  EXPECT_TRUE(rt->is_alive(*child));
  EXPECT_EQ(rt->whereis(key), child);
  EXPECT_EQ(rt->ready_processes(), (std::vector<Pid>{*child})) << "the parent parks; the child is ready to start";
}

// Threaded, a process that performs operations without ever waiting does
// not keep its worker: after its budget it yields, as Erlang preempts after
// a budget of reductions. One worker, a sender of 200 000 messages and a
// process that only wants to run once: it runs long before the sender is
// done.
struct Progress {
  std::atomic<int> sent{0};
  std::atomic<int> sent_when_other_ran{-1};
};

Task<void> send_many(Self self, Pid to, int n, Progress* progress) {
  for (int i = 0; i < n; ++i) {
    co_await self.send(to, Message::of(i));
    progress->sent.store(i + 1, std::memory_order_relaxed);
  }
}

Task<void> note_progress(Self self, Progress* progress) {
  progress->sent_when_other_ran.store(progress->sent.load(std::memory_order_relaxed));
  co_return;
}

TEST(ThreadedFairness, ABusySenderYieldsItsWorker) {
  constexpr int kMessages = 200000;
  auto rt = Runtime::threaded(1);
  Progress progress;
  Pid sink = rt->spawn("sink", parked());
  Pid sender = rt->spawn("sender", [sink, &progress](Self s) { return send_many(s, sink, kMessages, &progress); });
  Pid other = rt->spawn("other", [&progress](Self s) { return note_progress(s, &progress); });
  ASSERT_EQ(rt->wait_exit(other, 10s), ExitReason::normal());
  ASSERT_EQ(rt->wait_exit(sender, 10s), ExitReason::normal());
  EXPECT_GE(progress.sent_when_other_ran.load(), 0);
  EXPECT_LT(progress.sent_when_other_ran.load(), kMessages / 10) << "the sender kept the only worker";
  rt->exit(sink, ExitReason::killed());
}

}  // namespace
}  // namespace peer
