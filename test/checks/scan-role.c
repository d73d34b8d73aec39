// The scan role for a user's own API, by annotation (PEER_SCAN) and by
// option (PeerScanFunctions): what a scan returns names a peer found by
// enumerating, with no key, so scanning again in a loop is no repeated
// lookup, and a raw-identity call of what it found is an unpinned call.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerScanFunctions: 'next_worker', PeerLookupFunctions: 'find_worker', PeerUnpinnedCallFunctions: 'signal_worker', PeerEdgeMonitorFunctions: 'pin_worker'}}" %s %t -- -std=c11
// A scan cannot be given a peer index that is not a parameter of its type.
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerScanFunctions: 'next(int)@3'}}" %s -- -std=c11 2>&1 | FileCheck %s --check-prefix=BAD-INDEX
// BAD-INDEX: invalid value for PeerScanFunctions: entry 'next(int)@3' names parameter 3 of a signature with 1 parameters
#include <peer/annotations.h>

struct table;
int next_worker(struct table *t);              // configured: a scan
PEER_SCAN int next_job(struct table *t);       // annotated: a scan
void signal_worker(int id);
int pin_worker(int id);
int find_worker(const char *name);

void stopAll(struct table *t) {
  int id;
  while ((id = next_worker(t)) > 0)
    signal_worker(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'id' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:16: note: 'id' was found by a scan here
}

void stopJobs(struct table *t) {
  for (int j = next_job(t); j > 0; j = next_job(t))
    signal_worker(j);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'j' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:16: note: 'j' was found by a scan here
  // CHECK-MESSAGES: :[[@LINE-4]]:40: note: 'j' was found by a scan here
}

void pinLate(struct table *t) {
  int id = next_worker(t);
  if (id > 0)
    pin_worker(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'id' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:12: note: found by a scan here, before the watch starts
}

// Correct: counting what a scan finds touches no peer.
int countAll(struct table *t) {
  int n = 0;
  while (next_worker(t) > 0)
    ++n;
  return n;
}

// An assignment tested in a condition tests the variable: no unchecked
// lookup in either function.
void stopNamed(const char *name) {
  int id;
  if ((id = find_worker(name)) > 0)
    signal_worker(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'id' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:13: note: 'id' was looked up here
}

int pinNamed(const char *name) {
  int id;
  if ((id = find_worker(name)) != 0)
    return pin_worker(id);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'id' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:13: note: looked up here, before the watch starts
  return -1;
}
