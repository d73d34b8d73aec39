// RUN: %check_peer_tidy %s %t -- -I%S/Inputs

#include "runtime_api.h"
#include <cassert>

void dereference_at_once(Runtime &rt, Key key) {
  rt.call(*rt.whereis(key), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'rt.whereis(key)' comes from a lookup that may find nothing, and is not checked for that on every path to this call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: looked up here
}

void never_checked(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  rt.monitor(*consumer);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'consumer' comes from a lookup that may find nothing, and is not checked for that on every path to this monitor [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: looked up here
}

void checked_by_if(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (consumer)
    rt.call(*consumer, 1);
}

void checked_by_early_return(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
}

void checked_by_has_value(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  if (!consumer.has_value())
    throw 1;
  rt.call(consumer.value(), 1);
}

void checked_in_condition(Runtime &rt, Key key) {
  if (auto consumer = rt.whereis(key))
    rt.call(*consumer, 1);
}

void checked_by_assert(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  assert(consumer);
  rt.call(*consumer, 1);
}

void pointer_compared_to_null(Runtime &rt) {
  Pid *service = rt.find("svc");
  if (service != nullptr)
    rt.call(*service, 1);
  if (nullptr == service)
    return;
  rt.send(*service, 2);
}

void checked_on_one_path_only(Runtime &rt, Key key, bool careful) {
  auto consumer = rt.whereis(key);
  if (careful && !consumer)
    return;
  rt.call(*consumer, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'consumer' comes from a lookup {{.*}} call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: looked up here
}

void checked_then_replaced(Runtime &rt, Key key, Key other) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  consumer = rt.whereis(other);
  rt.call(*consumer, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'consumer' comes from a lookup {{.*}} call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-3]]:14: note: looked up here
}

void through_a_copy(Runtime &rt, Key key) {
  auto found = rt.whereis(key);
  Pid consumer = *found;
  rt.call(consumer, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'consumer' comes from a lookup {{.*}} call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-4]]:16: note: looked up here
}

// A monitored call reports a missing peer itself.
void monitored_call(Runtime &rt, Key key) {
  auto consumer = rt.whereis(key);
  rt.monitored_call(*consumer, 1);
}

void suppressed(Runtime &rt, Key key) {
  rt.call(*rt.whereis(key), 1); // NOLINT(peer-unchecked-lookup)
}

// A lookup that returns a reference has no value to say it found nothing
// with (it throws, or its precondition is that the peer exists): nothing
// to check. One that returns a pointer does.
struct Directory {
  PEER_LOOKUP Pid &at(Key key);
  PEER_LOOKUP Pid *find(Key key);
};

void found_by_reference(Runtime &rt, Directory &dir, Key key) {
  rt.call(dir.at(key), 1);
}

void found_by_pointer(Runtime &rt, Directory &dir, Key key) {
  rt.call(*dir.find(key), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'dir.find(key)' comes from a lookup that may find nothing, and is not checked for that on every path to this call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: looked up here
}
