// Reduction of util-linux v2.39.3 misc-utils/kill.c main (corpus:
// util-linux-v2.39.3-kill), cause 1 of 2 (see pid_in_struct_member.c).
// RACY: `kill NAME` signals every pid its readdir(/proc) loop finds, by raw pid,
// with no pidfd: a process that exits after the scan may have its pid reused.
// What the analysis did (main 7792cb9): nothing, with or without naming the function that
// yields the pid (PeerLookupFunctions: 'procfs_dirent_get_pid@1'): a lookup's
// result can only be its return value; procfs_dirent_get_pid (util-linux
// include/procfs.h) delivers the pid through its pointer argument and returns
// 0/-errno. No option syntax can say "the lookup's result is written to *arg1".
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix, PeerLookupFunctions: 'procfs_dirent_get_pid@1'}}" lookup_out_parameter.c
#include <dirent.h>
#include <signal.h>
#include <sys/types.h>

int procfs_dirent_get_pid(const struct dirent *d, pid_t *pid); // util-linux include/procfs.h

void kill_all(DIR *proc, int sig) {
  struct dirent *d;
  while ((d = readdir(proc))) {
    pid_t pid;
    if (procfs_dirent_get_pid(d, &pid) != 0)
      continue;
    kill(pid, sig); // missed: peer-unpinned-call expected
  }
}
