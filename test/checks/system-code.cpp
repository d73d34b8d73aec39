// RUN: %check_peer_tidy --checks='-*,peer-*' %s %t -- -isystem %S/Inputs/system

#include <peer_system_api.h>

#define USER_PING(key) sys_call(*sys_whereis(key), 0)

void user(int key) {
  SYS_PING(key);   // a system macro: nothing in it is reported
  USER_PING(key);  // the user's own macro: reported at its use
  // Two findings at one place: clang-tidy releases differ in their order.
  // CHECK-MESSAGES-DAG: :[[@LINE-2]]:3: warning: 'sys_whereis(key)' is looked up again {{.*}} [peer-repeated-lookup]
  // CHECK-MESSAGES-DAG: :[[@LINE-4]]:3: note: earlier lookup of 'sys_whereis(key)' here
  // CHECK-MESSAGES-DAG: :[[@LINE-4]]:3: warning: 'sys_whereis(key)' comes from a lookup {{.*}} [peer-unchecked-lookup]
  // CHECK-MESSAGES-DAG: :[[@LINE-5]]:3: note: looked up here
}
