// GenServer behaviour, supervisor restarts, and threaded stress (for TSan).
#include <gtest/gtest.h>

#include <atomic>

#include "electric/consumer.h"
#include "electric/materializer.h"
#include "peer/runtime/gen_server.h"
#include "support.h"

namespace peer {
namespace {

using namespace std::chrono_literals;

struct Get {
  static constexpr std::string_view kLabel = "get";
};
struct Add {
  static constexpr std::string_view kLabel = "add";
  int n = 0;
};
struct WaitFor {  // replied to (deferred) once the counter reaches n
  static constexpr std::string_view kLabel = "wait_for";
  int n = 0;
};
struct Stop {
  static constexpr std::string_view kLabel = "stop";
};

class Counter final : public GenServer {
 public:
  explicit Counter(std::vector<std::string>* log) : log_(log) {}
  Task<Action> init(Self&) override {
    log_->push_back("init");
    co_return Action::then_continue(Message::of(Add{10}));
  }
  Task<Action> handle_continue(Self&, const Message& what) override {
    log_->push_back("continue");
    value_ += what.as<Add>().n;
    co_return Action::noreply();
  }
  Task<CallAction> handle_call(Self& self, const Message& request, const From& from) override {
    if (request.is<Get>()) co_return CallAction::reply_with(Message::of(value_));
    if (request.is<WaitFor>()) {
      if (value_ >= request.as<WaitFor>().n) co_return CallAction::reply_with(Message::of(value_));
      waiters_.emplace_back(request.as<WaitFor>().n, from);
      co_return CallAction::deferred();
    }
    if (request.is<Stop>())
      co_return CallAction::reply_with(Message::of(value_), Action::stop_with(ExitReason::normal()));
    co_return co_await GenServer::handle_call(self, request, from);
  }
  Task<Action> handle_cast(Self& self, const Message& request) override {
    value_ += request.as<Add>().n;
    // Replies are operations (awaited): pick the waiters first, then answer.
    std::vector<From> satisfied;
    std::erase_if(waiters_, [&](const auto& w) {
      if (value_ < w.first) return false;
      satisfied.push_back(w.second);
      return true;
    });
    for (const From& from : satisfied) co_await self.reply(from, Message::of(value_));
    co_return Action::noreply();
  }
  Task<Action> handle_info(Self&, const Envelope&) override {
    log_->push_back("info");
    co_return Action::noreply();
  }
  Task<void> terminate(Self&, const ExitReason& reason) override {
    log_->push_back("terminate " + reason.to_string());
    co_return;
  }

 private:
  std::vector<std::string>* log_;
  int value_ = 0;
  std::vector<std::pair<int, From>> waiters_;
};

class GenServerTest : public testing::BothModes {
 protected:
  ExitReason run(ProcessBody body) { return BothModes::run(std::move(body), 20s); }
};

Task<void> exercise_counter(Self self, std::vector<std::string>* log, std::vector<int>* seen) {
  Pid server = co_await self.spawn("counter", gen_server([log] { return std::make_unique<Counter>(log); }));
  Pid waiter = co_await self.spawn("waiter", [server, seen](Self s) -> Task<void> {
    CallResult r = co_await s.call(server, Message::of(WaitFor{15}));
    seen->push_back(r.ok() ? r.get<int>() : -1);
  });
  co_await self.monitor(waiter);
  co_await self.send(server, Message::of(Get{}));  // a plain message: handle_info
  CallResult first = co_await self.call(server, Message::of(Get{}));
  seen->push_back(first.get<int>());
  co_await self.cast(server, Message::of(Add{5}));
  co_await self.receive(is<Down>());  // the deferred reply reached the waiter
  co_await self.monitor(server);
  CallResult last = co_await self.call(server, Message::of(Stop{}));
  seen->push_back(last.get<int>());
  auto down = co_await self.receive(is<Down>());
  if (down->as<Down>().reason != ExitReason::normal()) seen->push_back(-2);
}

TEST_P(GenServerTest, CallbacksRunInOrderAndDeferredRepliesArrive) {
  std::vector<std::string> log;
  std::vector<int> seen;
  EXPECT_EQ(run([&](Self self) { return exercise_counter(self, &log, &seen); }), ExitReason::normal());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], 10);
  EXPECT_EQ(seen[1], 15);
  EXPECT_EQ(seen[2], 15);
  EXPECT_EQ(log, (std::vector<std::string>{"init", "continue", "info", "terminate normal"}));
}

// Polling pause: 1 ms of wall time (threaded) or until nothing else can run
// (deterministic: virtual time only moves at quiescence).
ReceiveAwaiter nap(const Self& self) {
  return self.receive([](const Envelope&) { return false; }, 1ms);
}


Task<void> supervise_restart(Self self, std::vector<Pid>* incarnations, ExitReason* supervisor_exit) {
  Key key{"stack", "shape"};
  // Built outside the co_await: GCC 12 rejects an initializer_list temporary
  // inside an awaited full-expression ("array used as initializer"), and
  // destroys a braced aggregate or a lambda capturing non-trivial objects by
  // copy twice when they share a full-expression with a co_await.
  ProcessBody body = supervisor({ChildSpec{"worker", testing::parked(), key, Restart::permanent}}, 1);
  Pid sup = co_await self.spawn("supervisor", std::move(body));
  co_await self.monitor(sup);
  for (int round = 0; round < 2; ++round) {
    // Wait until an incarnation is registered (the supervisor runs concurrently).
    std::optional<Pid> now;
    for (int i = 0; i < 5000; ++i) {
      if ((now = co_await self.whereis(key))) break;
      co_await nap(self);
    }
    if (!now) co_return;
    incarnations->push_back(*now);
    CallResult children = co_await self.call(sup, Message::of(WhichChildren{}));
    if (children.get<std::vector<Pid>>() != std::vector<Pid>{*now}) co_return;
    Ref watch = co_await self.monitor(*now);
    co_await self.exit(*now, ExitReason::killed());
    co_await self.receive([watch](const Envelope& e) { return e.is<Down>() && e.as<Down>().ref == watch; });
    // Polls the registry for the next incarnation: looking up again is the point.
    for (int i = 0; i < 5000; ++i) {
      // NOLINTNEXTLINE(peer-repeated-lookup)
      if (co_await self.whereis(key) != now) break;
      co_await nap(self);
    }
  }
  // The second kill exceeds the restart intensity (1): the supervisor stops.
  auto down = co_await self.receive([sup](const Envelope& e) { return e.is<Down>() && e.as<Down>().pid == sup; });
  *supervisor_exit = down->as<Down>().reason;
}

TEST_P(GenServerTest, SupervisorRestartsUnderTheSameKeyWithANewPid) {
  std::vector<Pid> incarnations;
  ExitReason supervisor_exit;
  run([&](Self self) { return supervise_restart(self, &incarnations, &supervisor_exit); });
  ASSERT_EQ(incarnations.size(), 2u);
  EXPECT_NE(incarnations[0], incarnations[1]);
  EXPECT_EQ(supervisor_exit, ExitReason::shutdown());
}

Task<void> electric_happy_path(Self self, electric::ShapeStorage* storage, electric::ShapeProbe* probe, bool* ok) {
  using namespace electric;
  ShapeKey shape{"stack", "shape"};
  ProcessBody body = supervisor(  // outside the co_await: see supervise_restart
      {ChildSpec{"consumer", gen_server([=] { return make_consumer(ConsumerConfig{shape, storage, {1, 2}, probe}); }),
                 shape.registry_key(), Restart::transient}},
      1);
  Pid sup = co_await self.spawn("supervisor", std::move(body));
  for (int i = 0; i < 5000; ++i) {
    if (co_await self.whereis(shape.registry_key())) break;
    co_await nap(self);
  }
  ProcessBody materializer = gen_server([=] {  // outside the co_await: see supervise_restart
    return make_materializer(MaterializerConfig{shape, StartupVariant::corrected, storage, {}, probe});
  });
  Pid mat = co_await self.spawn("materializer", std::move(materializer));
  // Wait until the materializer is subscribed, then write through the consumer.
  for (int i = 0; i < 5000; ++i) {
    auto consumers = probe->consumers();
    bool subscribed = false;
    for (auto& [id, subs] : consumers) subscribed |= subs.count(mat.id) > 0;
    if (subscribed) break;
    co_await nap(self);
  }
  if (auto consumer = co_await self.whereis(shape.registry_key())) {
    co_await self.cast(*consumer, Message::of(NewChange{Change{Change::Op::insert, 3, 0}}));
    co_await self.cast(*consumer, Message::of(NewChange{Change{Change::Op::remove, 1, 0}}));
  }
  for (int i = 0; i < 5000; ++i) {
    auto mats = probe->materializers();
    if (mats.count(mat.id) && mats[mat.id].values == std::set<int>{2, 3}) {
      *ok = true;
      break;
    }
    co_await nap(self);
  }
  co_await self.monitor(mat);
  co_await self.exit(sup, ExitReason::shutdown());  // consumer goes down with it; the materializer follows
  auto down = co_await self.receive([mat](const Envelope& e) { return e.is<Down>() && e.as<Down>().pid == mat; });
  *ok = *ok && down->as<Down>().reason == ExitReason::shutdown();
}

TEST_P(GenServerTest, CorrectedMaterializerFollowsTheConsumerAndStopsWithIt) {
  electric::ShapeStorage storage(1);
  electric::ShapeProbe probe;
  bool ok = false;
  EXPECT_EQ(run([&](Self self) { return electric_happy_path(self, &storage, &probe, &ok); }), ExitReason::normal());
  EXPECT_TRUE(ok);
}

INSTANTIATE_TEST_SUITE_P(Modes, GenServerTest, ::testing::Values(Runtime::Mode::threaded, Runtime::Mode::deterministic),
                         testing::mode_name);

// Threaded stress: many callers, many servers, servers killed mid-flight.
// Every call must end (reply, noproc or exited); none may hang or throw.
Task<void> echo_server(Self self) {
  for (;;) {
    auto env = co_await self.receive_any();
    if (env->is<CallRequest>()) co_await self.reply(env->as<CallRequest>().from, env->as<CallRequest>().request);
  }
}

Task<void> caller(Self self, std::vector<Pid> servers, std::atomic<int>* done, std::atomic<int>* failed) {
  for (int i = 0; i < 200; ++i) {
    Pid target = servers[static_cast<std::size_t>(i) % servers.size()];
    CallResult r = co_await self.call(target, Message::of(i), 5000ms);
    if (r.ok() && r.get<int>() != i) failed->fetch_add(1);
    if (r.error == CallError::timeout) failed->fetch_add(1);
  }
  done->fetch_add(1);
}

Task<void> stress(Self self, std::atomic<int>* done, std::atomic<int>* failed) {
  std::vector<Pid> servers;
  for (int i = 0; i < 4; ++i) servers.push_back(co_await self.spawn("echo", [](Self s) { return echo_server(s); }));
  std::vector<Pid> callers;
  for (int i = 0; i < 16; ++i) {
    // Outside the co_await (GCC 12: see supervise_restart): it captures a vector.
    ProcessBody body = [=](Self s) { return caller(s, servers, done, failed); };
    Pid c = co_await self.spawn("caller", std::move(body));
    co_await self.monitor(c);
    callers.push_back(c);
  }
  co_await self.yield();
  co_await self.exit(servers[1], ExitReason::killed());
  co_await self.exit(servers[2], ExitReason::error("injected"));
  for (std::size_t i = 0; i < callers.size(); ++i) co_await self.receive(is<Down>());
  co_await self.exit(servers[0], ExitReason::killed());
  co_await self.exit(servers[3], ExitReason::killed());
}

TEST(ThreadedStress, CallsNeverHangOnDyingServers) {
  auto rt = Runtime::threaded(2);
  std::atomic<int> done{0}, failed{0};
  Pid root = rt->spawn("root", [&](Self self) { return stress(self, &done, &failed); });
  EXPECT_EQ(rt->wait_exit(root, 30s), ExitReason::normal());
  EXPECT_EQ(done.load(), 16);
  EXPECT_EQ(failed.load(), 0);
}

}  // namespace
}  // namespace peer
