// RACY: the /proc scan fills a table of rows, each keeping its pid in a
// nested member (row->head[EU_PID].result.s_int, libproc2's PIDS_VAL), and
// a helper signals the row it is given through that path. Every matching row
// is signalled after the whole scan (and, with skill -i, after asking the
// user): a process that exits meanwhile and whose pid is reused gets the
// signal.
// Stands for: warmchang/procps (procps-ng) v4.0.5 src/skill.c scan_procs,
// which hands reap->stacks[i] of procps_pids_reap to nice_or_kill, whose
// kill(PIDS_GETINT(PID), sig) reads stack->head[EU_PID].result.s_int.
// What the analysis did (main 9b8e201, the bin-snapshot): nothing. A helper
// that signals a member of its pointer parameter (kill(p->pid, sig)) is
// recognised; one that signals a nested member or an element's member
// (p->one.result.s_int, p->head[0].result.s_int) is not. `direct`, the same
// kill in the scanning function, is reported.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" helper_signals_nested_member.c --
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>

enum { EU_PID };
struct result {
  int s_int;
};
struct item {
  struct result result;
};
struct row {
  struct item head[1];
};

static void nice_or_kill(struct row *row, int sig) {
  kill(row->head[EU_PID].result.s_int, sig);
}

void scan_procs(int sig) {
  struct row local[64];
  DIR *procdir = opendir("/proc");
  struct dirent *d;
  int n = 0;
  if (!procdir)
    return;
  while ((d = readdir(procdir)) != NULL && n < 64)
    local[n++].head[EU_PID].result.s_int = (int)strtol(d->d_name, NULL, 10);
  closedir(procdir);
  for (int i = 0; i < n; i++)
    nice_or_kill(&local[i], sig); // the race: a scanned pid, signalled by value
}

void direct(int sig) {
  struct row local[64];
  DIR *procdir = opendir("/proc");
  struct dirent *d;
  int n = 0;
  if (!procdir)
    return;
  while ((d = readdir(procdir)) != NULL && n < 64)
    local[n++].head[EU_PID].result.s_int = (int)strtol(d->d_name, NULL, 10);
  closedir(procdir);
  for (int i = 0; i < n; i++)
    kill(local[i].head[EU_PID].result.s_int, sig);
}
