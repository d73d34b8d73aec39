// RACY: the pid read from a pidfile (inline, with fscanf) is probed by its raw
// value with kill(pid, 0): a crashed daemon whose pid was reused counts as
// running. (For --stop, start-stop-daemon signals it the same way.)
// Stands for: OpenRC/openrc 0.46 src/librc/librc-daemon.c
// rc_service_daemons_crashed; guillemj/dpkg 1.21.22 utils/start-stop-daemon.c
// do_pidfile (fscanf, then pid_check -> pid_is_running -> kill(pid, 0)).
// What the analysis did (main 88b1406, the bin-snapshot): nothing, by the
// posix profile's design (docs/profiles/posix.md, "Left out"): a pidfile read
// is not a scan, and the project is told to name the function that reads one
// as a lookup, but here no function of the project reads it: the fscanf is
// inline, and fscanf itself is no lookup. Naming the enclosing function does
// not help either (it is the caller).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" pidfile_pid_probed.c --
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

bool daemon_crashed(const char *pidfile) {
  FILE *fp = fopen(pidfile, "r");
  pid_t pid = 0;
  if (!fp)
    return true;
  if (fscanf(fp, "%d", &pid) != 1)
    pid = 0;
  fclose(fp);
  if (pid == 0)
    return true;
  // the race: the pid read from the pidfile is probed by its raw value; a
  // crashed daemon whose pid was reused counts as running
  return kill(pid, 0) == -1 && errno == ESRCH;
}
