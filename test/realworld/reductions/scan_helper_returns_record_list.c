// RACY: the project's /proc scan is a helper that returns a list of records it
// allocated, one per matched entry, each holding the pid parsed from the
// entry's name (OpenRC's rc_find_pids: sscanf(entry->d_name, "%d", &p),
// pi->pid = p, LIST_INSERT_HEAD(pids, pi, entries), return pids). Its caller
// walks the list and signals each pid by its raw value: a process that exits
// after the scan and whose pid is reused gets the signal.
// Stands for: OpenRC/openrc 0.46 src/shared/schedules.c do_stop, with
// src/librc/librc-daemon.c (rc_find_pids) in the run.
// What the analysis did (main 88b1406, the bin-snapshot): nothing with the
// profile alone. A helper that returns what a scan found is an inferred scan
// (a pid, or a struct pointer whose member holds it: busybox's procps_scan
// shape with strtoul is found), but not one that returns the head of a list
// whose records, allocated in the loop and linked by the list macros, hold
// the pids. With project names (PeerLookupFunctions: rc_find_pids) it is
// found.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" scan_helper_returns_record_list.c --
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/queue.h>
#include <sys/types.h>

typedef struct rc_pid {
  LIST_ENTRY(rc_pid) entries;
  pid_t pid;
} RC_PID;
typedef LIST_HEAD(rc_pidlist, rc_pid) RC_PIDLIST;

RC_PIDLIST *rc_find_pids(void) {
  DIR *procdir = opendir("/proc");
  struct dirent *entry;
  RC_PIDLIST *pids = NULL;
  RC_PID *pi;
  pid_t p;
  if (!procdir)
    return NULL;
  while ((entry = readdir(procdir)) != NULL) {
    if (sscanf(entry->d_name, "%d", &p) != 1)
      continue;
    if (!pids) {
      pids = malloc(sizeof(*pids));
      LIST_INIT(pids);
    }
    pi = malloc(sizeof(*pi));
    pi->pid = p;
    LIST_INSERT_HEAD(pids, pi, entries);
  }
  closedir(procdir);
  return pids;
}

int do_stop(int sig) {
  RC_PIDLIST *pids = rc_find_pids();
  RC_PID *pi;
  int n = 0;
  if (!pids)
    return 0;
  LIST_FOREACH(pi, pids, entries)
    n += kill(pi->pid, sig) == 0; // the race: a scanned pid, signalled by value
  return n;
}
