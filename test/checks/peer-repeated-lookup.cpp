// RUN: %check_peer_tidy %s %t -- -I%S/Inputs

#include "runtime_api.h"

// Looked up, used, looked up again: two incarnations may answer.
void lookup_twice(Runtime &rt, Key key) {
  auto first = rt.whereis(key);
  if (!first)
    return;
  rt.call(*first, 1);
  auto second = rt.whereis(key);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'rt.whereis(key)' is looked up again after an earlier lookup of it already fed an operation; the two may find different incarnations: look it up once and reuse the handle [peer-repeated-lookup]
  // CHECK-MESSAGES: :[[@LINE-6]]:16: note: earlier lookup of 'rt.whereis(key)' here
  if (!second)
    return;
  rt.monitor(*second);
}

// The first lookup was only tested, never used: not this check's finding.
void test_then_lookup(Runtime &rt, Key key) {
  if (!rt.whereis(key))
    return;
  auto consumer = rt.whereis(key);
  if (consumer)
    rt.call(*consumer, 1);
}

// The key changed in between: a different peer, no finding.
void key_changed(Runtime &rt, Key key) {
  auto first = rt.whereis(key);
  if (first)
    rt.call(*first, 1);
  key.shape = 7;
  auto second = rt.whereis(key);
  if (second)
    rt.call(*second, 1);
}

void key_reassigned(Runtime &rt, Key key, Key other) {
  auto first = rt.whereis(key);
  if (first)
    rt.call(*first, 1);
  key = other;
  auto second = rt.whereis(key);
  if (second)
    rt.call(*second, 1);
}

// A different key: no finding.
void other_key(Runtime &rt, Key a, Key b) {
  auto first = rt.whereis(a);
  if (first)
    rt.call(*first, 1);
  auto second = rt.whereis(b);
  if (second)
    rt.call(*second, 1);
}

// Structurally identical keys built from the same variables are the same.
void same_structure(Runtime &rt, int stack, int shape) {
  auto first = rt.whereis(Key{stack, shape});
  if (first)
    rt.call(*first, 1);
  auto second = rt.whereis(Key{stack, shape});
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'rt.whereis(Key{stack, shape})' is looked up again {{.*}} [peer-repeated-lookup]
  // CHECK-MESSAGES: :[[@LINE-5]]:16: note: earlier lookup of 'rt.whereis(Key{stack, shape})' here
  if (second)
    rt.monitor(*second);
}

// Re-resolving in a retry loop is the same lookup each time: no finding.
void retry(Runtime &rt, Key key) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto consumer = rt.whereis(key);
    if (!consumer)
      continue;
    if (rt.call(*consumer, 1) == 0)
      return;
  }
}

// Only on one path did the first lookup feed an operation: still a finding.
void on_one_path(Runtime &rt, Key key, bool eager) {
  auto first = rt.whereis(key);
  if (eager && first)
    rt.send(*first, 1);
  auto second = rt.whereis(key);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'rt.whereis(key)' is looked up again {{.*}} [peer-repeated-lookup]
  // CHECK-MESSAGES: :[[@LINE-5]]:16: note: earlier lookup of 'rt.whereis(key)' here
  if (second)
    rt.call(*second, 2);
}

// Wrappers: functions that look the key up from their parameters and call
// the result are keyed calls at their call sites.
namespace consumer {
std::optional<Pid> whereis(Runtime &rt, int stack, int shape) {
  return rt.whereis(Key{stack, shape});
}
int await_snapshot_start(Runtime &rt, int stack, int shape) {
  auto pid = whereis(rt, stack, shape);
  if (!pid)
    return -1;
  return rt.call(*pid, 1);
}
int subscribe(Runtime &rt, int stack, int shape) {
  if (auto pid = rt.whereis(Key{stack, shape}))
    return rt.call(*pid, 2);
  return -1;
}
} // namespace consumer

void through_wrappers(Runtime &rt, int stack, int shape) {
  consumer::await_snapshot_start(rt, stack, shape);
  consumer::subscribe(rt, stack, shape);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'rt.whereis(Key{stack, shape})' is looked up again {{.*}} [peer-repeated-lookup]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: earlier lookup of 'rt.whereis(Key{stack, shape})' here
}

void wrappers_other_shape(Runtime &rt, int stack, int shape, int other) {
  consumer::await_snapshot_start(rt, stack, shape);
  consumer::subscribe(rt, stack, other);
}

void suppressed(Runtime &rt, Key key) {
  auto first = rt.whereis(key);
  if (first)
    rt.call(*first, 1);
  // NOLINTNEXTLINE(peer-repeated-lookup)
  auto second = rt.whereis(key);
  if (second)
    rt.call(*second, 1);
}
