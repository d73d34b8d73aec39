// peer-unpinned-call: a pid found by a lookup (a scan, a pidfile) used by
// its raw value; the process may have exited and the pid been reused. Pinned
// first (pidfd_open), re-verified and signalled through the pidfd: silent.
// Children (fork) are owned: their pid stays theirs until reaped.
// RUN: %check_peer_tidy --checks='-*,peer-unpinned-call' --config="{CheckOptions: {PeerProfiles: posix, PeerLookupFunctions: 'find_by_name;read_pidfile'}}" %s %t -- -std=gnu11
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t find_by_name(const char *name);
pid_t read_pidfile(const char *path);

void stopByName(const char *name) {
  pid_t pid = find_by_name(name);
  if (pid <= 0)
    return;
  kill(pid, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'pid' is used by its raw identity after it was looked up; the peer may have gone and the identity been reused by another: pin it first and use the pinned handle (for a pid: pidfd_open, re-verify, then pidfd_send_signal) [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: 'pid' was looked up here
}

void queueFromPidfile(const char *path) {
  union sigval v = {0};
  if (sigqueue(read_pidfile(path), SIGUSR1, v) < 0)
    return;
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: 'read_pidfile(path)' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:16: note: 'read_pidfile(path)' was looked up here
}

// A helper that signals its parameter is an unpinned call at its call sites.
static void terminate(pid_t victim) { kill(victim, SIGKILL); }
void stopViaHelper(const char *name) {
  pid_t pid = find_by_name(name);
  if (pid > 0)
    terminate(pid);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pid' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'pid' was looked up here
}

// Pinned, re-verified, signalled through the pidfd: correct.
void stopPinned(const char *name) {
  pid_t pid = find_by_name(name);
  if (pid <= 0)
    return;
  int fd = pidfd_open(pid, 0);
  if (fd < 0)
    return;
  if (find_by_name(name) != pid)
    return;
  pidfd_send_signal(fd, SIGTERM, 0, 0);
}

// A child of ours: its pid cannot be reused before we reap it.
void stopChild(void) {
  pid_t child = fork();
  if (child == 0)
    _exit(0);
  kill(child, SIGTERM);
  waitpid(child, 0, 0);
}

// A pid from the caller: where it came from is the caller's business.
void stopGiven(pid_t pid) { kill(pid, SIGTERM); }

// psmisc's killall: `kill(process_group ? -id : id, sig)` signals the pid
// found, or its process group, by raw value either way.
int process_group;

void killEitherBranch(const char *name) {
  pid_t id = find_by_name(name);
  if (id <= 0)
    return;
  kill(process_group ? -id : id, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'process_group ? -id : id' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:14: note: 'process_group ? -id : id' was looked up here
}

void killOwnGroupOrFound(const char *name) {
  pid_t id = find_by_name(name);
  if (id > 0)
    kill(process_group ? 0 : id, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'process_group ? 0 : id' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:14: note: 'process_group ? 0 : id' was looked up here
}
