// The threaded mailbox under load: many senders push onto one receiver's
// lock-free inbox while it receives selectively, waits, and times out. Run
// in every flavour, TSan included: a lost wake-up hangs a test (caught by
// wait_exit's timeout), a lost or reordered message fails an assertion, a
// data race on the inbox or the state fails the TSan build.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>
#include <vector>

#include "peer/runtime/runtime.h"

namespace peer {
namespace {

using namespace std::chrono_literals;

#ifdef PEER_SANITIZED_BUILD
constexpr int kPerSender = 400;
#else
constexpr int kPerSender = 3000;
#endif
constexpr int kSenders = 8;

struct Numbered {
  static constexpr std::string_view kLabel = "numbered";
  int sender = 0;
  int seq = 0;
};
struct Go {
  static constexpr std::string_view kLabel = "go";
};

struct Tally {
  std::array<int, kSenders> next{};  // next expected seq per sender
  int received = 0;
  std::string error;  // the first order violation, if any
  int timeouts = 0;
};

void check(Tally& t, const Envelope& e) {
  const auto& m = e.as<Numbered>();
  if (m.seq != t.next[m.sender] && t.error.empty()) {
    t.error = "sender " + std::to_string(m.sender) + ": got " + std::to_string(m.seq) + ", expected " +
              std::to_string(t.next[m.sender]);
  }
  t.next[m.sender] = m.seq + 1;
  ++t.received;
}

Task<void> numbered_sender(Self self, Pid to, int index, int count) {
  co_await self.receive(is<Go>());  // all senders start together
  for (int i = 0; i < count; ++i) {
    co_await self.send(to, Message::of(Numbered{index, i}));
    if (i % 97 == 0) co_await self.yield();  // vary the interleaving
  }
}

// Receives selectively: mostly the messages of one sender at a time (the
// others pile up behind, scanned past), sometimes any message.
Task<void> selective_receiver(Self self, Tally* t) {
  std::vector<Pid> senders;
  for (int k = 0; k < kSenders; ++k) {
    senders.push_back(
        co_await self.spawn("sender", [to = self.pid(), k](Self s) { return numbered_sender(s, to, k, kPerSender); }));
  }
  for (Pid s : senders) co_await self.send_value(s, Go{});
  const int total = kSenders * kPerSender;
  int round = 0;
  while (t->received < total) {
    ++round;
    if (round % 5 == 0) {
      auto e = co_await self.receive_any(5s);
      if (!e) break;  // a lost message or a lost wake-up
      check(*t, *e);
      continue;
    }
    int k = round % kSenders;
    if (t->next[k] == kPerSender) continue;  // that sender is done
    auto e = co_await self.receive([k](const Envelope& env) { return env.as<Numbered>().sender == k; }, 5s);
    if (!e) break;
    check(*t, *e);
  }
}

TEST(MailboxStress, EightSendersToOneSelectiveReceiverKeepPerSenderOrderAndLoseNothing) {
  for (unsigned workers : {1u, 2u, 4u}) {
    SCOPED_TRACE("workers " + std::to_string(workers));
    auto rt = Runtime::threaded(workers);
    Tally t;
    Pid root = rt->spawn("receiver", [&t](Self s) { return selective_receiver(s, &t); });
    auto exit = rt->wait_exit(root, 120s);
    ASSERT_TRUE(exit.has_value()) << "receiver hung";
    EXPECT_EQ(*exit, ExitReason::normal());
    EXPECT_EQ(t.error, "");
    EXPECT_EQ(t.received, kSenders * kPerSender);
    for (int k = 0; k < kSenders; ++k) EXPECT_EQ(t.next[k], kPerSender) << "sender " << k;
  }
}

struct Noise {
  static constexpr std::string_view kLabel = "noise";
  int seq = 0;
};

// Wanted messages and noise, sent at an uneven pace.
Task<void> pacing_sender(Self self, Pid to, int count) {
  for (int i = 0; i < count; ++i) {
    co_await self.send_value(to, Noise{i});
    co_await self.send(to, Message::of(Numbered{0, i}));
    if (i % 16 == 0) co_await self.receive_any(1ms);  // a pause: the receiver's timers fire
  }
}

// Receives the wanted messages with short timeouts (0 ms polls and 1 ms
// waits) while noise keeps waking it: a timeout may race a send, yet every
// wanted message arrives once, in order, and the noise is all still there.
Task<void> timing_receiver(Self self, Tally* t, int count, int* noise) {
  co_await self.spawn("pacer", [to = self.pid(), count](Self s) { return pacing_sender(s, to, count); });
  // Polls spin without waiting: the bound on no progress is wall time.
  auto progress = std::chrono::steady_clock::now();
  while (t->received < count && std::chrono::steady_clock::now() - progress < 10s) {
    Timeout timeout = t->received % 3 == 0 ? 0ms : 1ms;
    auto e = co_await self.receive(is<Numbered>(), timeout);
    if (!e) {
      ++t->timeouts;
      continue;
    }
    progress = std::chrono::steady_clock::now();
    check(*t, *e);
  }
  int expected_noise = 0;
  while (auto e = co_await self.receive(is<Noise>(), 0ms)) {
    if (e->as<Noise>().seq != expected_noise) break;
    ++expected_noise;
  }
  *noise = expected_noise;
}

TEST(MailboxStress, ReceiveWithTimeoutRacingSendsLosesNothing) {
  constexpr int kCount = kPerSender / 2;
  for (unsigned workers : {1u, 2u}) {
    SCOPED_TRACE("workers " + std::to_string(workers));
    auto rt = Runtime::threaded(workers);
    Tally t;
    int noise = -1;
    Pid root = rt->spawn("receiver", [&](Self s) { return timing_receiver(s, &t, kCount, &noise); });
    auto exit = rt->wait_exit(root, 120s);
    ASSERT_TRUE(exit.has_value()) << "receiver hung";
    EXPECT_EQ(*exit, ExitReason::normal());
    EXPECT_EQ(t.error, "");
    EXPECT_EQ(t.received, kCount);
    EXPECT_EQ(noise, kCount) << "every noise message, in order";
    EXPECT_GT(t.timeouts, 0) << "the timeouts were exercised";
  }
}

// A receive with a timeout while non-matching messages keep waking its
// process: the owner re-checks and waits again, and the timer - set at the
// first wait, whichever way that wait ended - still ends the receive.
struct Stop {
  static constexpr std::string_view kLabel = "stop";
};
Task<void> noisy(Self self, Pid to) {
  for (int i = 0;; ++i) {
    co_await self.send_value(to, Noise{i});
    if (i % 64 == 0 && co_await self.receive(is<Stop>(), 0ms)) co_return;
  }
}
Task<void> waits_through_noise(Self self, int* timeouts) {
  Pid noise = co_await self.spawn("noisy", [me = self.pid()](Self s) { return noisy(s, me); });
  for (int i = 0; i < 20; ++i) {
    if (!co_await self.receive(is<Stop>(), 2ms)) ++*timeouts;
    co_await self.receive([](const Envelope&) { return false; }, 0ms);  // a poll between
  }
  co_await self.send_value(noise, Stop{});
}
TEST(MailboxStress, ATimeoutEndsAReceiveThatNoiseKeepsWaking) {
  for (unsigned workers : {1u, 2u}) {
    SCOPED_TRACE("workers " + std::to_string(workers));
    auto rt = Runtime::threaded(workers);
    int timeouts = 0;
    Pid root = rt->spawn("receiver", [&timeouts](Self s) { return waits_through_noise(s, &timeouts); });
    auto exit = rt->wait_exit(root, 60s);
    ASSERT_TRUE(exit.has_value()) << "a receive lost its timer";
    EXPECT_EQ(timeouts, 20);
  }
}

// A ping-pong across two workers, with the waiting side parked each time:
// a single lost wake-up hangs it.
struct Ball {
  static constexpr std::string_view kLabel = "ball";
  int n = 0;
};
Task<void> bouncer(Self self) {
  for (;;) {
    auto e = co_await self.receive(is<Ball>());
    co_await self.send_value(e->from, Ball{e->as<Ball>().n + 1});
  }
}
Task<void> thrower(Self self, Pid other, int rounds, int* last) {
  for (int i = 0; i < rounds; ++i) {
    co_await self.send_value(other, Ball{2 * i});
    auto e = co_await self.receive(is<Ball>(), 10s);
    if (!e) co_return;
    *last = e->as<Ball>().n;
  }
}
TEST(MailboxStress, PingPongAcrossWorkersNeverLosesAWakeUp) {
  auto rt = Runtime::threaded(2);
  Pid b = rt->spawn("bouncer", [](Self s) { return bouncer(s); });
  std::array<int, 3> last{-1, -1, -1};
  std::vector<Pid> throwers;
  for (int i = 0; i < 3; ++i) {  // more pairs than workers: they migrate
    throwers.push_back(rt->spawn("thrower", [b, &last, i](Self s) { return thrower(s, b, kPerSender, &last[i]); }));
  }
  for (Pid p : throwers) ASSERT_TRUE(rt->wait_exit(p, 120s).has_value());
  for (int v : last) EXPECT_EQ(v, 2 * (kPerSender - 1) + 1);
  rt->exit(b, ExitReason::killed());
}

// A message sent to a process that exits meanwhile is never delivered and
// never leaks (ASan): senders race the receiver's exit.
Task<void> short_lived(Self self) { co_await self.receive_any(1ms); }
Task<void> spray(Self self, std::vector<Pid> targets) {
  for (int round = 0; round < 20; ++round) {
    for (Pid p : targets) co_await self.send_value(p, Noise{round});
  }
}
TEST(MailboxStress, SendsRacingExitsAreDroppedWithoutLeaks) {
  auto rt = Runtime::threaded(2);
  std::vector<Pid> targets;
  for (int i = 0; i < 200; ++i) targets.push_back(rt->spawn("target", [](Self s) { return short_lived(s); }));
  std::vector<Pid> sprayers;
  for (int i = 0; i < 4; ++i) sprayers.push_back(rt->spawn("spray", [targets](Self s) { return spray(s, targets); }));
  for (Pid p : sprayers) ASSERT_TRUE(rt->wait_exit(p, 60s).has_value());
  for (Pid p : targets) ASSERT_TRUE(rt->wait_exit(p, 60s).has_value());
}

}  // namespace
}  // namespace peer
