// CORRECT (a false positive): the scan runs with every other process stopped.
// kill(-1, SIGSTOP) stops every process but init and the caller before the
// readdir(/proc) loop, and kill(-1, SIGCONT) continues them only after the
// last kill(pid, sig): a stopped process can neither exit nor fork, so no
// scanned pid can be freed and reused before it is signalled (the killall5
// technique of sysvinit, OpenRC and busybox).
// Stands for: OpenRC/openrc 0.46 src/kill_all/kill_all.c signal_processes
// (judged correct; the finding is a false positive). busybox 1_36_1
// procps/kill.c has the same shape in kill_main's killall5 branch; that
// function is racy for its killall branch, so its finding there (line 257)
// is scored right although that line is safe.
// What the analysis did (main 88b1406, the bin-snapshot): peer-unpinned-call
// at kill(pid, sig): the profile knows no way for a scan to be protected
// other than a pin, and kill(-1, SIGSTOP) (a process group of every process)
// is not a pin of the pids scanned after it.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" frozen_scan_sigstop.c --
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

int signal_processes(int sig) {
  DIR *dir;
  struct dirent *d;
  pid_t pid;
  int sent = 0;

  kill(-1, SIGSTOP); // every process but init and this one stops
  dir = opendir("/proc");
  if (!dir) {
    kill(-1, SIGCONT);
    return -1;
  }
  while ((d = readdir(dir)) != NULL) {
    pid = (pid_t)atoi(d->d_name);
    if (pid == 0 || pid == getpid())
      continue;
    if (kill(pid, sig) == 0) // no race: the process cannot exit or fork yet
      sent++;
  }
  closedir(dir);
  kill(-1, SIGCONT);
  return sent;
}
