// A pid a lookup found (a project's function that reads it from a file,
// named as a lookup) kept beyond its function, as a scan's is
// (stored-scans.c): xdg-desktop-portal 1.16.0's background monitor keeps the
// child pid it read in a record handed to an asynchronous call, whose
// callback SIGKILLs it after the user answers.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix, PeerLookupFunctions: 'instance_get_child_pid'}}" %s %t -- -std=gnu11
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

typedef struct { pid_t child_pid; int answered; } NotificationData;
pid_t instance_get_child_pid(void *instance); // reads bwrapinfo.json
void ask_user(void (*done)(void *data), void *data);

static void done(void *data) {
  NotificationData *nd = data;
  if (nd->answered)
    kill(nd->child_pid, SIGKILL);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'nd->child_pid' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE+8]]:19: note: a peer found by this lookup is kept in 'NotificationData::child_pid', where the call's peer comes from
  free(nd);
}

void check(void *instance) {
  NotificationData *nd = calloc(1, sizeof *nd);
  if (!nd)
    return;
  nd->child_pid = instance_get_child_pid(instance);
  if (nd->child_pid > 0)
    ask_user(done, nd);
}

// A static variable too.
static pid_t stored;
void remember(void *instance) { stored = instance_get_child_pid(instance); }
void stop_stored(void) {
  if (stored > 0)
    kill(stored, SIGKILL);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'stored' is used by its raw identity after it was looked up{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:42: note: a peer found by this lookup is kept in 'stored', where the call's peer comes from
}

// A pid this program made (fork), kept and signalled later: no lookup.
static pid_t child;
void spawn(void) { child = fork(); }
void stop_child(void) {
  if (child > 0)
    kill(child, SIGTERM);
}
