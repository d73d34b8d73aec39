// RACY: each pid of the /proc scan is pinned with pidfd_open called through
// syscall(2) (syscall(SYS_pidfd_open, pid, 0), as code written before glibc
// 2.36 declared pidfd_open does), after the scan and with no re-verification
// through the pidfd: a process that exits after the readdir and whose pid is
// reused before the pin is pinned, and later signalled through the pidfd.
// Stands for: rfjakob/earlyoom 2e004040de kill.c find_largest_process (the
// pin is in its helper is_larger, after reading the candidate's /proc files;
// the pid also comes through a designated initializer,
// scanned_pid_in_designated_initializer.c).
// What the analysis did (main 9b8e201, the bin-snapshot): nothing. The posix
// profile's edge monitor is ::pidfd_open@0; syscall() with SYS_pidfd_open (or
// __NR_pidfd_open) is no role, so there is no late pin to report. `via_libc`,
// the same with pidfd_open(), is reported (peer-monitor-after-call).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" pidfd_open_through_syscall.c --
#include <dirent.h>
#include <stdlib.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <unistd.h>

int via_syscall(void) {
  DIR *procdir = opendir("/proc");
  struct dirent *d;
  int fd = -1;
  if (!procdir)
    return -1;
  while ((d = readdir(procdir)) != NULL) {
    int pid = (int)strtol(d->d_name, NULL, 10);
    fd = (int)syscall(SYS_pidfd_open, pid, 0); // the race: a late pin
  }
  closedir(procdir);
  return fd;
}

int via_libc(void) {
  DIR *procdir = opendir("/proc");
  struct dirent *d;
  int fd = -1;
  if (!procdir)
    return -1;
  while ((d = readdir(procdir)) != NULL) {
    int pid = (int)strtol(d->d_name, NULL, 10);
    fd = pidfd_open(pid, 0);
  }
  closedir(procdir);
  return fd;
}
