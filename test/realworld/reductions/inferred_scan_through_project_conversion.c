// RACY: a scan helper (an iterator over /proc, or a function returning the
// next pid) parses each entry's name with the project's own conversion
// function, not with strtol/atoi/sscanf, and returns the pid; its caller
// signals it by raw value. A process that exits after the scan step and whose
// pid is reused gets the signal.
// Stands for: mirror/busybox 1_36_1 procps/kill.c kill_main (killall:
// find_pid_by_name loops over procps_scan) and procps/pgrep.c pgrep_main
// (pkill), with libbb/procps.c and libbb/bb_strtonum.c in the run: procps_scan
// parses with bb_strtou (in bb_strtonum.c) and returns its state struct, the
// pid in sp->pid. busybox needs this file's cause and the one of
// conversion_with_helper_error_return.c fixed.
// What the analysis did (main 88b1406, the bin-snapshot): nothing with the
// profile alone. my_strtou is recognised as a conversion (used directly in a
// readdir loop, kill(my_strtou(e->d_name, ...)) is found), and next_pid is
// an inferred scan when it parses with strtoul (found), but a helper whose
// pid comes through a project conversion is not taken for a scan. With
// project names (PeerLookupFunctions: next_pid; busybox: procps_scan or
// find_pid_by_name) it is found.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" inferred_scan_through_project_conversion.c --
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <limits.h>
#include <errno.h>
unsigned my_strtou(const char *arg, char **endp, int base) {
  unsigned long v;
  errno = 0;
  v = strtoul(arg, endp, base);
  if (v > UINT_MAX) { errno = ERANGE; return UINT_MAX; }
  return v;
}
static unsigned next_pid(DIR *d) {
  struct dirent *e;
  while ((e = readdir(d))) {
    unsigned pid = my_strtou(e->d_name, NULL, 10);
    if (pid) return pid;
  }
  return 0;
}
void f(int sig) {
  DIR *d = opendir("/proc");
  unsigned pid;
  while ((pid = next_pid(d)))
    kill(pid, sig); // the race: a scanned pid, signalled by value
}
