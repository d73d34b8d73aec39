// Facts about a key live as long as something later can name it: a later
// operation naming the key (here by value, far below), a handle read again
// around a loop, a callback's body. (checks/analysis/KeyLiveness drops the
// facts about keys that nothing after a block names; these findings must
// survive it, with other keys' operations in between.)
// RUN: %check_peer_tidy %s %t -- -I%S/Inputs

#include "runtime_api.h"

void by_name_far_below(Runtime &rt, int n) {
  Pid *p = rt.find("svc");
  if (!p)
    return;
  rt.call(*p, 1);
  for (int i = 0; i < n; ++i) {
    Pid *q = rt.find("other");
    if (q)
      rt.send(*q, i);
  }
  rt.watch_name("svc");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '"svc"' is watched by an edge monitor only after it was looked up or called; changes before the watch starts are never reported: start watching first, or re-check its state after the watch starts [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-11]]:12: note: looked up here, before the watch starts
  // CHECK-MESSAGES: :[[@LINE-9]]:3: note: called here, before it is monitored
}

void monitor_at_top_of_loop(Runtime &rt, Key key, int n) {
  auto c = rt.whereis(key);
  if (!c)
    return;
  for (int i = 0; i < n; ++i) {
    if (i > 0)
      rt.monitor(*c);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'c' is monitored only after it was called; if it dies or is replaced in between, that goes unnoticed: monitor it before the first call [peer-monitor-after-call]
    rt.call(*c, i);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: note: called here, before it is monitored
  }
}

template <class F> void later(F f) { f(); }

void watch_in_callback(Runtime &rt) {
  Pid *p = rt.find("svc");
  if (!p)
    return;
  rt.call(*p, 1);
  Pid *q = rt.find("other");
  if (q)
    rt.send(*q, 2);
  later([&] { rt.watch_name("svc"); });
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: '"svc"' is watched by an edge monitor only after it was looked up or called; changes before the watch starts are never reported: start watching first, or re-check its state after the watch starts [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-9]]:12: note: looked up here, before the watch starts
  // CHECK-MESSAGES: :[[@LINE-7]]:3: note: called here, before it is monitored
}
