// A scan's finding kept beyond its function: a pid found in /proc and stored
// in a member (of any object of that record type) or a static variable,
// directly or by a helper given the pid, then signalled by value in another
// function (start-stop-daemon's do_procinit and do_stop in dpkg and
// busybox). The record is the whole unit's: a function that reads such a
// place may come before the function that fills it.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix}}" %s %t -- -std=gnu11
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

struct pid_list {
  struct pid_list *next;
  pid_t pid;
};
static struct pid_list *found;

// Before the scan that fills the list, in the file's order.
int stop_early(int sig) {
  int killed = 0;
  for (struct pid_list *p = found; p; p = p->next)
    if (kill(p->pid, sig) == 0)
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'p->pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
      // CHECK-MESSAGES: :[[@LINE+24]]:19: note: a peer found by this scan is kept in 'pid_list::pid', where the call's peer comes from
      killed++;
  return killed;
}

static void push(struct pid_list **list, pid_t pid) {
  struct pid_list *p = malloc(sizeof(*p));
  p->next = *list;
  p->pid = pid;
  *list = p;
}

// Through two helpers: the second stores the pid it is given.
static void check(pid_t pid) {
  if (pid > 1)
    push(&found, pid);
}

void procinit(void) {
  DIR *dir = opendir("/proc");
  struct dirent *entry;
  pid_t pid;
  if (!dir)
    return;
  while ((entry = readdir(dir)) != NULL) {
    if (sscanf(entry->d_name, "%d", &pid) != 1)
      continue;
    check(pid);
  }
  closedir(dir);
}

// A static variable and a static array, filled in the scanning function.
static pid_t target;
static pid_t matched[64];
static int nmatched;

void find_target(DIR *dir) {
  struct dirent *d;
  while ((d = readdir(dir)) != NULL) {
    pid_t pid = atoi(d->d_name);
    if (pid == getpid())
      continue;
    target = pid;
    matched[nmatched++] = pid;
  }
}

void stop_target(void) {
  kill(target, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'target' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-12]]:15: note: a peer found by this scan is kept in 'target', where the call's peer comes from
  for (int i = 0; i < nmatched; i++)
    kill(matched[i], SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'matched[i]' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-16]]:15: note: a peer found by this scan is kept in 'matched', where the call's peer comes from
}

// A helper that signals the pid of the record it is given: the finding is
// at its call site, where the record comes from the list; inside it, what
// the parameter carries in is the caller's to judge.
static int stop_one(struct pid_list *p, int sig) { return kill(p->pid, sig); }

void stop_all(int sig) {
  for (struct pid_list *p = found; p; p = p->next)
    stop_one(p, sig);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-43]]:19: note: a peer found by this scan is kept in 'pid_list::pid', where the call's peer comes from
}

// Records made by a compound literal, kept in a static array.
struct seen {
  int uid;
  pid_t pid;
};
static struct seen recent[8];

void remember(DIR *dir) {
  struct dirent *d;
  for (int n = 0; n < 8 && (d = readdir(dir)) != NULL; n++)
    recent[n] = (struct seen){.uid = 0, .pid = atoi(d->d_name)};
}

void stop_recent(void) {
  for (int i = 0; i < 8; i++)
    kill(recent[i].pid, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'recent[i].pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-8]]:33: note: a peer found by this scan is kept in 'seen::pid', where the call's peer comes from
}

// A local array filled by a helper that scans into its elements.
struct proc {
  pid_t pid;
};

static int scan_into(struct proc *procs, int max) {
  DIR *dir = opendir("/proc");
  struct dirent *d;
  int n = 0;
  while (dir && n < max && (d = readdir(dir)) != NULL)
    procs[n++].pid = atoi(d->d_name);
  return n;
}

void stop_scanned(void) {
  struct proc procs[16];
  int n = scan_into(procs, 16);
  for (int i = 0; i < n; i++)
    kill(procs[i].pid, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'procs[i].pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-11]]:33: note: a peer found by this scan is kept in 'proc::pid', where the call's peer comes from
}

// Correct: a record of this function's own, never handed to a call: the
// flow saw what it holds (its own child).
void stop_own(void) {
  struct proc mine[1];
  mine[0].pid = fork();
  if (mine[0].pid > 0)
    kill(mine[0].pid, SIGTERM);
}

// Correct: the static variable is given another pid here, before the call.
void signal_self(void) {
  target = getpid();
  kill(target, SIGUSR1);
}

// What is kept is used only through the pidfd kept beside it: no unpinned
// call. (The pin itself comes after the scan with no re-verification, a
// late watch: peer-monitor-after-call, with pidfd_open through syscall(2).)
struct pinned {
  pid_t pid;
  int pidfd;
};
static struct pinned pinned_procs[64];

void find_pinned(DIR *dir) {
  struct dirent *d;
  int n = 0;
  while ((d = readdir(dir)) != NULL && n < 64) {
    pid_t pid = atoi(d->d_name);
    pinned_procs[n].pid = pid;
    pinned_procs[n].pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:34: warning: 'pid' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: found by a scan here, before the watch starts
    n++;
  }
}

void stop_pinned(int n) {
  for (int i = 0; i < n; i++)
    syscall(SYS_pidfd_send_signal, pinned_procs[i].pidfd, SIGTERM, NULL, 0);
}

// Correct: a record type of the process's own children, never given a
// scanned pid (another type with a member of the same name).
struct child {
  pid_t pid;
};
static struct child children[8];

void spawn(int i) { children[i].pid = fork(); }

void stop_children(int n) {
  for (int i = 0; i < n; i++)
    kill(children[i].pid, SIGTERM);
}

// Correct: the pid a caller passes in is that caller's to judge, and no
// caller here passes a scanned one.
int signal_pid(pid_t pid) { return kill(pid, SIGHUP); }
