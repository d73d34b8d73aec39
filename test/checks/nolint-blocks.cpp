// RUN: %check_peer_tidy --checks='-*,peer-*' %s %t -- -I%S/Inputs

#include "runtime_api.h"

// NOLINTBEGIN(peer-*)
void legacy(Runtime &rt, Key key) {
  rt.call(*rt.whereis(key), 1);
  rt.monitor(*rt.whereis(key));
}
// NOLINTEND(peer-*)

void current(Runtime &rt, Key key) {
  rt.call(*rt.whereis(key), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: {{.*}} [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-2]]:12: note: looked up here
}
