// A lookup that writes what it found through a pointer argument ("@N:out"),
// as util-linux's procfs_dirent_get_pid(d, &pid) does (reduction of
// util-linux v2.39.3 misc-utils/kill.c main): the variable is then a handle
// from that lookup. Whether the lookup found anything is its return value,
// tested apart from the handle: the handle is not an unchecked one.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix, PeerLookupFunctions: 'procfs_dirent_get_pid@1:out'}}" %s %t -- -std=gnu11
// Only a lookup or a scan can name an out-argument.
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerCallFunctions: 'send@1:out'}}" %s -- -std=gnu11 2>&1 | FileCheck %s --check-prefix=NOT-LOOKUP
// NOT-LOOKUP: invalid value for PeerCallFunctions: entry 'send@1:out': only a lookup, a scan or a conversion writes its result through an argument (@N:out)
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerLookupFunctions: 'find@:out'}}" %s -- -std=gnu11 2>&1 | FileCheck %s --check-prefix=NO-INDEX
// NO-INDEX: invalid value for PeerLookupFunctions: malformed entry 'find@:out'
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/types.h>

int procfs_dirent_get_pid(const struct dirent *d, pid_t *pid); // util-linux include/procfs.h

void kill_all(DIR *proc, int sig) {
  struct dirent *d;
  while ((d = readdir(proc))) {
    pid_t pid;
    if (procfs_dirent_get_pid(d, &pid) != 0)
      continue;
    kill(pid, sig);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pid' is used by its raw identity after it was looked up; the peer may have gone and the identity been reused by another: pin it first and use the pinned handle (for a pid: pidfd_open, re-verify, then pidfd_send_signal) [peer-unpinned-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:9: note: 'pid' was looked up here
  }
}

// The fix: pin the pid, verify it is still the process found, then signal
// through the pidfd. (A failed pidfd_open tested before the re-check would
// leave the analysis a path with the watch started and not re-checked: it
// does not know that fd < 0 means no watch.)
void kill_all_pinned(DIR *proc, int sig) {
  struct dirent *d;
  while ((d = readdir(proc))) {
    pid_t pid;
    int fd = -1;
    if (procfs_dirent_get_pid(d, &pid) != 0)
      continue;
    fd = pidfd_open(pid, 0);
    pid_t again;
    if (procfs_dirent_get_pid(d, &again) != 0 || again != pid || fd < 0)
      continue;
    pidfd_send_signal(fd, sig, 0, 0);
  }
}

// A variable written by some other call is not a handle.
int read_pid_file(const char *path, pid_t *pid);
void kill_from_file(const char *path, int sig) {
  pid_t pid;
  if (read_pid_file(path, &pid) == 0)
    kill(pid, sig);
}
