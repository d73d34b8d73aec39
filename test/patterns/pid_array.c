// A scan returns pids (in an array of records, or one); each is pinned or
// signalled later, after the pid may have been reused.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix, PeerLookupFunctions: 'scan_processes;find_one'}}" %s %t -- -std=gnu11
typedef int pid_t;
struct el { long num; char *str; };
struct el *scan_processes(int *num);
pid_t find_one(const char *name);
int pidfd_open(pid_t pid, unsigned int flags);
int kill(pid_t pid, int sig);
void waitAll(void) {
  int num;
  struct el *procs = scan_processes(&num);
  for (int i = 0; i < num; i++)
    pidfd_open(procs[i].num, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'procs[i].num' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:22: note: looked up here, before the watch starts
}
void waitOne(const char *name) {
  pid_t p = find_one(name);
  if (p <= 0) return;
  pidfd_open(p, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: looked up here, before the watch starts
}
void killThenOpen(const char *name) {
  pid_t p = find_one(name);
  if (p <= 0) return;
  kill(p, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: 'p' was looked up here
  pidfd_open(p, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-7]]:13: note: looked up here, before the watch starts
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: called here, before it is monitored
}
void pinThenVerify(const char *name) {
  pid_t p = find_one(name);
  if (p <= 0) return;
  int fd = pidfd_open(p, 0);
  if (find_one(name) != p) return;
  (void)fd;
}
