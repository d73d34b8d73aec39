// RACY: the /proc scan parses each entry's pid into a designated initializer
// of a local record (procinfo_t cur = { .pid = strtol(d->d_name, ...) }),
// keeps the best record (victim = cur) and returns it; its caller signals
// victim.pid by raw value. A victim that exits after the scan and whose pid
// is reused before the kill gets the signal.
// Stands for: rfjakob/earlyoom v1.7 main.c poll_loop (the scan is kill.c's
// find_largest_process; the same initializer feeds the late pin of
// 2e004040de's find_largest_process, see pidfd_open_through_syscall.c).
// What the analysis did (main 9b8e201, the bin-snapshot): nothing with the
// profile alone. The pid is followed through an assignment to a member
// (cur.pid = strtol(...)) but not through an initializer list: written that
// way, `direct` below is reported. With the scan function named
// (PeerLookupFunctions: find_largest_process) `direct` is reported; the real
// poll_loop is still missed, for member_signal_helper_across_units.c.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" scanned_pid_in_designated_initializer.c --
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>

typedef struct {
  int pid;
  int badness;
} procinfo_t;

static procinfo_t find_largest_process(void) {
  DIR *procdir = opendir("/proc");
  procinfo_t victim = {0};
  struct dirent *d;
  if (!procdir)
    return victim;
  while ((d = readdir(procdir)) != NULL) {
    procinfo_t cur = {.pid = (int)strtol(d->d_name, NULL, 10)};
    if (cur.pid > victim.pid)
      victim = cur;
  }
  closedir(procdir);
  return victim;
}

void direct(int sig) {
  procinfo_t victim = find_largest_process();
  kill(victim.pid, sig); // the race: a scanned pid, signalled by value
}
