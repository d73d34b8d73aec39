// RACY: the /proc scan keeps each matched pid in a global list (a linked
// list pushed by a helper, or a table), and another function later walks that
// list and signals each pid by its raw value. A matched process that exits
// after the scan and whose pid is reused before the kill gets the signal.
// Stands for: guillemj/dpkg 1.21.22 utils/start-stop-daemon.c do_stop
// (found, filled by do_procinit -> pid_check -> pid_list_push); mirror/busybox
// 1_36_1 debianutils/start_stop_daemon.c do_stop (G.found_procs, filled by
// do_procinit -> check); htop-dev/htop 3.2.2 Action.c actionKill (the
// process table's Process objects, filled by the periodic scan in
// linux/LinuxProcessList.c, signalled through MainPanel_foreachProcess and
// Process_sendSignal); since round four also slicer69/sysvinit 3.14
// src/killall5.c main (killall5 -o: readproc fills the global plist, and main
// signals each p->pid with no freeze; at main 9b8e201, the same nothing).
// What the analysis did (main 88b1406, the bin-snapshot): nothing, with the
// profile alone or with project names. The scan's pid is followed within the
// scanning function and into the helper it is passed to, but what a function
// stores in a global (p->pid = pid; found = p) is forgotten when the function
// returns: the signalling function reads the global with no scan in sight.
// No project name helps: no function returns the pids.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" scanned_pid_in_global_list.c --
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

struct pid_list {
  struct pid_list *next;
  pid_t pid;
};
static struct pid_list *found;

static void check(pid_t pid) {
  struct pid_list *p = malloc(sizeof(*p));
  p->next = found;
  p->pid = pid;
  found = p;
}

static void do_procinit(void) {
  DIR *procdir = opendir("/proc");
  struct dirent *entry;
  int pid;
  if (!procdir)
    return;
  while ((entry = readdir(procdir)) != NULL) {
    if (sscanf(entry->d_name, "%d", &pid) != 1)
      continue;
    check(pid);
  }
  closedir(procdir);
}

int do_stop(int sig) {
  struct pid_list *p;
  int killed = 0;
  do_procinit();
  for (p = found; p; p = p->next)
    if (kill(p->pid, sig) == 0) // the race: a scanned pid, signalled by value
      killed++;
  return killed;
}
