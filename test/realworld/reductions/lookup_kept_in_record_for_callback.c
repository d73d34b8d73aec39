// RACY: a pid read from a file by a project function (named as a lookup) is
// kept in a record handed to an asynchronous call, and its callback, after
// a user's answer, signals it by raw pid: the process may have exited and
// its pid been reused meanwhile.
// Stands for: flatpak/xdg-desktop-portal 1.16.0 src/background.c
// notify_background_done (nd->child_pid, set in check_background_apps from
// flatpak_instance_get_child_pid, which reads the sandbox's bwrapinfo.json).
// What the analysis did (/work/wt/bin-round6, this session's round-six
// binary, with PeerLookupFunctions naming the reader): nothing for `done`
// nor `later`. The lookup signalled in the same function is reported
// (`check_direct`, as check_background_apps is); the unit's record of the
// members and static variables given a pid (stored scans) holds scanned
// pids only, not a named lookup's, so neither the record's member read in
// the callback nor a static read elsewhere carries the lookup.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix, PeerLookupFunctions: instance_get_child_pid}}"
//   lookup_kept_in_record_for_callback.c -- -std=gnu11
//   $(pkg-config --cflags gio-2.0)
#include <gio/gio.h>
#include <glib.h>
#include <signal.h>
#include <sys/types.h>

typedef struct { pid_t child_pid; } NotificationData;
pid_t instance_get_child_pid(void *instance); /* reads the pid from a file */
void ask_user(GAsyncReadyCallback cb, gpointer data);

static void done(GObject *source, GAsyncResult *res, gpointer data) {
  NotificationData *nd = data;
  kill(nd->child_pid, SIGKILL); // the race: missed
}

void check(void *instance) {
  NotificationData *nd = g_new0(NotificationData, 1);
  nd->child_pid = instance_get_child_pid(instance);
  ask_user(done, nd);
}

void check_direct(void *instance) {
  pid_t pid = instance_get_child_pid(instance);
  kill(pid, SIGKILL); // reported (peer-unpinned-call, peer-unchecked-lookup)
}

static pid_t stored;
void check_static(void *instance) { stored = instance_get_child_pid(instance); }
void later(void) { kill(stored, SIGKILL); } // missed too
