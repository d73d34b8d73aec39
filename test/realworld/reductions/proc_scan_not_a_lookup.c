// Reduction of procps v4.0.5 src/pgrep.c main and util-linux v2.39.3
// misc-utils/kill.c main with PeerProfiles: posix alone (corpus:
// procps-v4.0.5-pgrep, procps-v4.0.6-pgrep, util-linux-v2.39.3-kill).
// RACY: pids found by scanning /proc are signalled (or pinned) later by raw pid.
// What the analysis did (main 7792cb9): nothing with the profile alone: the posix profile has
// no lookup, so a pid is a peer only if the project names its scan in
// PeerLookupFunctions (docs/profiles/posix.md). With
// `PeerLookupFunctions: scan_procs` kill() is reported (peer-unpinned-call) and
// pidfd_open() (peer-monitor-after-call). The scan below is the shape to
// recognise by itself: opendir("/proc"), readdir, a numeric d_name parsed with
// strtol/atoi, the result returned (procps's select_procs does the same
// through libproc2's procps_pids_* API).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" proc_scan_not_a_lookup.c
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/types.h>

static pid_t scan_procs(const char *comm) {
  DIR *dir = opendir("/proc");
  struct dirent *d;
  pid_t found = -1;
  while (dir && (d = readdir(dir)))
    if (strcmp(d->d_name, comm) == 0) // stands for reading /proc/<pid>/comm
      found = (pid_t)strtol(d->d_name, NULL, 10);
  if (dir)
    closedir(dir);
  return found;
}

void pkill(const char *comm) {
  pid_t pid = scan_procs(comm);
  if (pid > 0)
    kill(pid, SIGTERM); // missed with the profile alone
}

void pidwait(const char *comm) {
  pid_t pid = scan_procs(comm);
  if (pid > 0)
    pidfd_open(pid, 0); // missed with the profile alone
}
