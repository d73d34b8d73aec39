// A peer kept in one member of a struct, and a helper that acts on that
// member of the struct it is given (util-linux 2.39 kill.c: the pid in
// ctl.pid, signalled by kill_verbose(&ctl) through kill(ctl->pid, ...)).
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix, PeerLookupFunctions: 'find_pid;get_pid@1:out'}}" %s %t -- -std=gnu11
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/types.h>

pid_t find_pid(const char *name); // the project's /proc scan
int get_pid(const char *name, pid_t *pid);
struct ctl {
  pid_t pid;
  pid_t parent;
  int sig;
};
static int send(const struct ctl *c) { return kill(c->pid, c->sig); }
static int sendParent(const struct ctl *c) { return kill(c->parent, c->sig); }
static int pinThenSend(const struct ctl *c) {
  int fd = pidfd_open(c->pid, 0);
  return fd < 0 ? -1 : pidfd_send_signal(fd, c->sig, 0, 0);
}
static int forward(const struct ctl *c) { return send(c); }
// Pins on one path, signals the raw pid on the other (kill_verbose).
static int pinOrSend(const struct ctl *c, int timeout) {
  if (timeout)
    return pinThenSend(c);
  return kill(c->pid, c->sig);
}

void member(const char *name) {
  struct ctl c = {0, 0, SIGTERM};
  c.pid = find_pid(name);
  kill(c.pid, c.sig);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c.pid' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:11: note: 'c.pid' was looked up here
}

void helper(const char *name) {
  struct ctl c = {0, 0, SIGTERM};
  c.pid = find_pid(name);
  send(&c);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c.pid' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:11: note: 'c.pid' was looked up here
  forward(&c);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c.pid' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:11: note: 'c.pid' was looked up here
}

void throughOutArgument(const char *name) {
  struct ctl c = {0, 0, SIGTERM};
  if (get_pid(name, &c.pid) == 0)
    send(&c);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'c.pid' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: 'c.pid' was looked up here
}

void pinnedLate(const char *name) {
  struct ctl c = {0, 0, SIGTERM};
  c.pid = find_pid(name);
  pinThenSend(&c);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'c.pid' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:11: note: looked up here, before the watch starts
}

void eitherPath(const char *name, int timeout) {
  struct ctl c = {0, 0, SIGTERM};
  c.pid = find_pid(name);
  pinOrSend(&c, timeout);
  // Two warnings at one place: clang-tidy 19 and 22 print them in either order.
  // CHECK-MESSAGES-DAG: :[[@LINE-2]]:3: warning: 'c.pid' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES-DAG: :[[@LINE-4]]:11: note: looked up here, before the watch starts
  // CHECK-MESSAGES-DAG: :[[@LINE-4]]:3: warning: 'c.pid' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES-DAG: :[[@LINE-6]]:11: note: 'c.pid' was looked up here
}

// --- correct: the member the helper uses holds nothing found ----------------
void otherMember(const char *name, pid_t parent) {
  struct ctl c = {0, parent, SIGTERM};
  c.pid = find_pid(name);
  sendParent(&c);
}

void overwritten(const char *name, pid_t child) {
  struct ctl c = {0, 0, SIGTERM};
  c.pid = find_pid(name);
  c.pid = child; // our own child, not what was found
  send(&c);
}
