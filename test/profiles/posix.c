// Every entry of the posix profile, racy and correct, against glibc's real
// headers. The lookup (a scan) is the project's own, configured by name.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix, PeerLookupFunctions: 'find_pid'}}" %s %t -- -std=gnu11
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t find_pid(const char *name);

// --- unpinned calls: kill, sigqueue, ptrace@1, process_vm_readv/writev -----
void killFound(const char *name) {
  pid_t p = find_pid(name);
  if (p > 0)
    kill(p, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: 'p' was looked up here
}
void sigqueueFound(const char *name) {
  pid_t p = find_pid(name);
  union sigval v = {0};
  if (p > 0)
    sigqueue(p, SIGUSR1, v);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:13: note: 'p' was looked up here
}
void ptraceFound(const char *name) {
  pid_t p = find_pid(name);
  if (p > 0)
    ptrace(PTRACE_ATTACH, p, 0, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: 'p' was looked up here
}
void vmReadFound(const char *name, struct iovec *local, struct iovec *remote) {
  pid_t p = find_pid(name);
  if (p > 0)
    process_vm_readv(p, local, 1, remote, 1, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: 'p' was looked up here
}
void vmWriteFound(const char *name, struct iovec *local, struct iovec *remote) {
  pid_t p = find_pid(name);
  if (p > 0)
    process_vm_writev(p, local, 1, remote, 1, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: 'p' was looked up here
}
// The same calls on a pid the function was given: not its business.
void callsOnGiven(pid_t p, struct iovec *local, struct iovec *remote) {
  union sigval v = {0};
  kill(p, SIGTERM);
  sigqueue(p, SIGUSR1, v);
  ptrace(PTRACE_ATTACH, p, 0, 0);
  process_vm_readv(p, local, 1, remote, 1, 0);
  process_vm_writev(p, local, 1, remote, 1, 0);
}

// --- tgkill; scheduling, limits and priority; getsid/getpgid probes -------
void tgkillFound(const char *name) {
  pid_t p = find_pid(name);
  if (p > 0)
    tgkill(p, p, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: 'p' was looked up here
}
void scheduleFound(const char *name, cpu_set_t *set, struct sched_param *sp) {
  pid_t p = find_pid(name);
  if (p <= 0)
    return;
  sched_setaffinity(p, sizeof *set, set);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:13: note: 'p' was looked up here
  sched_getaffinity(p, sizeof *set, set);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-8]]:13: note: 'p' was looked up here
  sched_setscheduler(p, SCHED_OTHER, sp);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-11]]:13: note: 'p' was looked up here
  sched_getscheduler(p);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-14]]:13: note: 'p' was looked up here
  sched_setparam(p, sp);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-17]]:13: note: 'p' was looked up here
  sched_getparam(p, sp);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-20]]:13: note: 'p' was looked up here
}
void limitsFound(const char *name, struct rlimit *limit) {
  pid_t p = find_pid(name);
  if (p <= 0)
    return;
  prlimit(p, RLIMIT_NOFILE, limit, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:13: note: 'p' was looked up here
  prlimit64(p, RLIMIT_NOFILE, 0, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-8]]:13: note: 'p' was looked up here
}
void reniceFound(const char *name) {
  pid_t p = find_pid(name);
  if (p <= 0)
    return;
  setpriority(PRIO_PROCESS, p, getpriority(PRIO_PROCESS, p) + 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:13: note: 'p' was looked up here
  // CHECK-MESSAGES: :[[@LINE-3]]:32: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-7]]:13: note: 'p' was looked up here
}
// A process group or a user's processes: not a pid.
void reniceGroupFound(const char *name) {
  pid_t g = find_pid(name);
  if (g <= 0)
    return;
  setpriority(PRIO_PGRP, g, getpriority(PRIO_PGRP, g) + 1);
}
void probeFound(const char *name) {
  pid_t p = find_pid(name);
  if (p <= 0)
    return;
  if (getsid(p) < 0 || getpgid(p) < 0)
    return;
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:13: note: 'p' was looked up here
  // CHECK-MESSAGES: :[[@LINE-4]]:24: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-8]]:13: note: 'p' was looked up here
}
// The same on a pid the function was given, or on itself.
void scheduleGiven(pid_t p, cpu_set_t *set, struct rlimit *limit) {
  tgkill(p, p, SIGTERM);
  sched_setaffinity(p, sizeof *set, set);
  sched_getscheduler(p);
  prlimit(p, RLIMIT_NOFILE, limit, 0);
  setpriority(PRIO_PROCESS, p, 10);
  setpriority(PRIO_PROCESS, 0, 10);
  getsid(0);
  getpgid(getpid());
}

// --- pidfd_open: an edge monitor; pidfd_send_signal: a call through it ----
void signalThenPin(pid_t p) {
  kill(p, 0);
  int fd = pidfd_open(p, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'p' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
  pidfd_send_signal(fd, SIGTERM, 0, 0);
}
void pinThenSignal(pid_t p) {
  int fd = pidfd_open(p, 0);
  if (fd >= 0)
    pidfd_send_signal(fd, SIGTERM, 0, 0);
}
void foundPinnedVerified(const char *name) {
  pid_t p = find_pid(name);
  if (p <= 0)
    return;
  int fd = pidfd_open(p, 0);
  if (find_pid(name) != p)
    return;
  pidfd_send_signal(fd, SIGTERM, 0, 0);
}
void foundPinnedUnverified(const char *name) {
  pid_t p = find_pid(name);
  if (p <= 0)
    return;
  int fd = pidfd_open(p, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'p' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:13: note: looked up here, before the watch starts
  pidfd_send_signal(fd, SIGTERM, 0, 0);
}

// --- waitpid: no role; a child's pid is kept until it is reaped ------------
void signalThenReap(pid_t child) {
  int status;
  kill(child, SIGTERM);
  waitpid(child, &status, 0);
}

// --- the "not found" of a lookup tested as written, cast included ---------
// libdaemon 0.14's daemon_pid_file_kill tests `== (pid_t) -1`: the pid is
// checked (no peer-unchecked-lookup), and still used by its raw identity.
void killCheckedAgainstCastMinusOne(const char *name) {
  pid_t p;
  if ((p = find_pid(name)) == (pid_t)-1)
    return;
  kill(p, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:12: note: 'p' was looked up here
}
void killUnchecked(const char *name) {
  pid_t p = find_pid(name);
  kill(p, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'p' comes from a lookup that may find nothing, and is not checked for that on every path to this unpinned call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-3]]:13: note: looked up here
  // CHECK-MESSAGES: :[[@LINE-3]]:3: warning: 'p' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:13: note: 'p' was looked up here
}
