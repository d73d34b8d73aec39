// RUN: %check_peer_tidy --checks='-*,peer-*' --fix %s %t -- -std=c++20

// An API whose operations are awaited, as in coroutine actor runtimes where
// every operation may be a scheduling point: the lookup, the call and the
// monitor return awaitables. peer-tidy follows the handle through co_await,
// and a coroutine that co_returns an awaited lookup is itself a lookup.
#include "peer/annotations.h"
#include <coroutine>
#include <optional>

struct Pid {
  int id = 0;
};

// An awaitable that is ready at once (enough to type-check the tests).
template <class T> struct Ready {
  T value;
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  T await_resume() { return value; }
};

// A coroutine type that is itself awaitable.
template <class T> struct Co {
  struct promise_type {
    T value;
    Co get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_value(T v) { value = v; }
    void unhandled_exception() {}
  };
  bool await_ready() const noexcept { return true; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  T await_resume() { return T(); }
};

struct Self {
  PEER_LOOKUP Ready<std::optional<Pid>> whereis(int key);
  PEER_CALL(0) Ready<int> call(Pid pid, int request);
  PEER_MONITOR(0) Ready<int> monitor(Pid pid);
};

// The seed's shape, every operation awaited: all three findings.
Co<int> seed_order(Self self, int key) {
  co_await self.call(*co_await self.whereis(key), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'self.whereis(key)' comes from a lookup that may find nothing, and is not checked for that on every path to this call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-2]]:32: note: looked up here
  co_await self.monitor(*co_await self.whereis(key));
  // CHECK-MESSAGES-DAG: :[[@LINE-1]]:12: warning: 'self.whereis(key)' is monitored only after it was called; if it dies or is replaced in between, that goes unnoticed: monitor it before the first call [peer-monitor-after-call]
  // CHECK-MESSAGES-DAG: :[[@LINE-5]]:12: note: called here, before it is monitored
  // CHECK-MESSAGES-DAG: :[[@LINE-3]]:12: warning: 'self.whereis(key)' comes from a lookup that may find nothing, and is not checked for that on every path to this monitor [peer-unchecked-lookup]
  // CHECK-MESSAGES-DAG: :[[@LINE-4]]:35: note: looked up here
  // CHECK-MESSAGES: :[[@LINE-5]]:35: warning: 'self.whereis(key)' is looked up again after an earlier lookup of it already fed an operation; the two may find different incarnations: look it up once and reuse the handle [peer-repeated-lookup]
  // CHECK-MESSAGES: :[[@LINE-9]]:32: note: earlier lookup of 'self.whereis(key)' here
  co_return 0;
}
// The monitor moves before the call (its lookup with it).
// CHECK-FIXES: {{^}}  co_await self.monitor(*co_await self.whereis(key));{{$}}
// CHECK-FIXES-NEXT: {{^}}  co_await self.call(*co_await self.whereis(key), 1);{{$}}

// Looked up once, checked, monitored first: nothing to report.
Co<int> corrected_order(Self self, int key) {
  std::optional<Pid> peer = co_await self.whereis(key);
  if (!peer)
    co_return 0;
  co_await self.monitor(*peer);
  co_await self.call(*peer, 1);
  co_return 1;
}

// A coroutine that co_returns an awaited lookup is a lookup (inferred).
Co<std::optional<Pid>> find_consumer(Self self, int key) {
  co_return co_await self.whereis(key);
}

Co<int> through_a_wrapper(Self self, int key) {
  auto first = co_await find_consumer(self, key);
  if (!first)
    co_return 0;
  co_await self.call(*first, 1);
  auto second = co_await find_consumer(self, key);
  // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: 'self.whereis(key)' is looked up again after an earlier lookup of it already fed an operation; the two may find different incarnations: look it up once and reuse the handle [peer-repeated-lookup]
  // CHECK-MESSAGES: :[[@LINE-6]]:25: note: earlier lookup of 'self.whereis(key)' here
  if (second)
    co_await self.monitor(*second);
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'second' is monitored only after it was called; if it dies or is replaced in between, that goes unnoticed: monitor it before the first call [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-7]]:12: note: called here, before it is monitored
  co_return 1;
}

// The fix-it moves an awaited monitor before the first call.
Co<int> late_monitor(Self self, int key) {
  std::optional<Pid> peer = co_await self.whereis(key);
  if (!peer)
    co_return 0;
  co_await self.call(*peer, 1);
  co_await self.monitor(*peer);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'peer' is monitored only after it was called; if it dies or is replaced in between, that goes unnoticed: monitor it before the first call [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:12: note: called here, before it is monitored
  co_return 1;
}
// CHECK-FIXES: {{^}}Co<int> late_monitor(Self self, int key) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::optional<Pid> peer = co_await self.whereis(key);{{$}}
// CHECK-FIXES-NEXT: {{^}}  if (!peer){{$}}
// CHECK-FIXES-NEXT: {{^}}    co_return 0;{{$}}
// CHECK-FIXES-NEXT: {{^}}  co_await self.monitor(*peer);{{$}}
// CHECK-FIXES-NEXT: {{^}}  co_await self.call(*peer, 1);{{$}}
