// RUN: %check_peer_tidy --fix %s %t -- -I%S/Inputs

#include "runtime_api.h"

void call_then_monitor(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'consumer' is monitored only after it was called; if it dies or is replaced in between, that goes unnoticed: monitor it before the first call [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}
// CHECK-FIXES: void call_then_monitor(Runtime &rt, Key key) {
// CHECK-FIXES-NEXT:   auto consumer = rt.whereis(key);
// CHECK-FIXES-NEXT:   if (!consumer)
// CHECK-FIXES-NEXT:     return;
// CHECK-FIXES-NEXT:   rt.monitor(*consumer);
// CHECK-FIXES-NEXT:   rt.call(*consumer, 1);
// CHECK-FIXES-NEXT:   //

void monitor_first(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.monitor(*consumer);
  rt.call(*consumer, 1);
  rt.call(*consumer, 2);
}

void monitored_call_is_safe(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.monitored_call(*consumer, 1);
  rt.call(*consumer, 2);
  rt.monitor(*consumer);
}

// Called on one branch only: some path still calls before monitoring.
void call_on_one_branch(Runtime &rt, Key key, bool eager) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  if (eager)
    rt.send(*consumer, 1);
  int ref = rt.monitor(*consumer);
  // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: 'consumer' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:5: note: called here, before it is monitored
  log(ref);
}

// Monitored on every path before the call: silent.
void monitor_on_both_branches(Runtime &rt, Key key, bool fast) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  if (fast)
    rt.monitor(*consumer);
  else
    rt.monitor(*consumer);
  rt.call(*consumer, 1);
}

// Monitored on one branch only, then called and monitored again.
void monitor_on_one_branch(Runtime &rt, Key key, bool fast) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  if (fast)
    rt.monitor(*consumer);
  rt.call(*consumer, 1);
  rt.monitor(*consumer);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'consumer' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}

// Calls in a loop precede the monitor after it.
void call_in_loop(Runtime &rt, Key key, int n) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  for (int i = 0; i < n; ++i)
    rt.send(*consumer, i);
  rt.monitor(*consumer);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'consumer' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:5: note: called here, before it is monitored
}

// Monitored at the top of every iteration, before that iteration's call:
// each call is preceded by a monitor on its path.
void monitor_each_iteration(Runtime &rt, Key key, int n) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  for (int i = 0; i < n; ++i) {
    rt.monitor(*consumer);
    rt.call(*consumer, i);
  }
}

// An early return skips the call: silent.
void early_return(Runtime &rt, Key key, bool stop) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  if (stop)
    return;
  rt.monitor(*consumer);
  rt.call(*consumer, 1);
}

// A peer that arrives as a parameter is a peer too: the caller found it,
// but it may die between this call and the monitor.
void parameter_peer(Runtime &rt, Pid peer) {
  rt.call(peer, 1);
  rt.monitor(peer);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'peer' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}
// CHECK-FIXES: void parameter_peer(Runtime &rt, Pid peer) {
// CHECK-FIXES-NEXT:   rt.monitor(peer);
// CHECK-FIXES-NEXT:   rt.call(peer, 1);
// CHECK-FIXES-NEXT:   //

// Lambdas are analysed as functions of their own.
void in_lambda(Runtime &rt, Key key) {
  auto start = [&rt, key] {
    auto consumer = rt.whereis(key);
    if (!consumer)
      return;
    rt.call(*consumer, 1);
    rt.monitor(*consumer);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'consumer' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: called here, before it is monitored
  };
  start();
}

struct Materializer {
  Runtime &rt;
  Key key;
  // Member functions, with the handle copied into another variable.
  void start() {
    std::optional<Pid> found = rt.whereis(key);
    if (!found.has_value())
      return;
    Pid consumer = *found;
    rt.call(consumer, 1);
    rt.monitor(found.value());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'found' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-3]]:5: note: called here, before it is monitored
  }
};

// Edge monitors: an earlier lookup of the same key is a window too.
void edge_monitor_after_lookup(Runtime &rt) {
  Pid *service = rt.find("org.example.Service");
  if (!service)
    return;
  rt.watch_name("org.example.Service");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '"org.example.Service"' is watched by an edge monitor only after it was looked up or called; changes before the watch starts are never reported: start watching first, or re-check its state after the watch starts [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:18: note: looked up here, before the watch starts
  rt.call(*service, 1);
}

void edge_monitor_first(Runtime &rt) {
  rt.watch_name("org.example.Service");
  Pid *service = rt.find("org.example.Service");
  if (!service)
    return;
  rt.call(*service, 1);
}

void suppressed(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer); // NOLINT(peer-monitor-after-call)
}

// The monitor reads 'pid', whose member is written between the call and the
// monitor: moving the monitor would change what it watches, so no fix-it.
void operand_changed_between(Runtime &rt, Key key) {
  auto found = rt.whereis(key);
  if (!found)
    return;
  Pid pid = *found;
  rt.call(pid, 1);
  pid.id = 2;
  rt.monitor(pid);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'pid' is monitored only after it was called; {{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: called here, before it is monitored
}
// CHECK-FIXES: {{^}}  rt.call(pid, 1);
// CHECK-FIXES-NEXT: {{^}}  pid.id = 2;
// CHECK-FIXES-NEXT: {{^}}  rt.monitor(pid);
