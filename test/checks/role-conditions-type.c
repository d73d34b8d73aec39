// A role condition on an argument's declared type ("?argK:TYPE"): here a
// project's read_number(path, &out) finds a peer only when it reads into a
// pid_t, as the posix profile's fscanf does; the same read into an int is
// some other number.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix, PeerScanFunctions: 'read_number@1:out?arg1:pid_t'}}" %s %t -- -std=gnu11
// A type that is no name is malformed: exit 2.
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerScanFunctions: 'read_number@1:out?arg1:'}}" %s -- -std=gnu11 > %t.bad 2>&1
// RUN: FileCheck %s --check-prefix=BAD --input-file=%t.bad
// BAD: error: invalid configuration: invalid value for PeerScanFunctions: malformed entry 'read_number@1:out?arg1:'
#include <signal.h>
#include <sys/types.h>

typedef pid_t daemon_pid; // a typedef of pid_t is declared a pid_t too
int read_number(const char *path, void *out);

void stopFromPidfile(const char *path) {
  pid_t pid;
  if (read_number(path, &pid) == 0)
    kill(pid, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: 'pid' was found by a scan here
}

void stopThroughTypedef(const char *path) {
  daemon_pid pid;
  if (read_number(path, &pid) == 0)
    kill(pid, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: 'pid' was found by a scan here
}

// Read into an int: the condition does not hold, no role.
void readIntoInt(const char *path) {
  int n;
  if (read_number(path, &n) == 0)
    kill(n, SIGTERM);
}
