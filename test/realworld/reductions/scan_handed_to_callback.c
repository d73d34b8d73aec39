// RACY: the /proc scan hands each matching pid to a callback through a
// function pointer, and the callback signals it by raw pid: a process that
// exits after the scan read it and whose pid is reused gets the signal.
// Stands for: landley/toybox 0.8.13 toys/lsb/killall.c kill_process and
// killall_main (names_to_pid in lib/lib.c is the scan, kill_process the
// callback killall_main hands it; -w then polls the pids kept in TT.pids).
// What the analysis did (round seven, main 9a2796a): nothing: a call through
// a function pointer (cb(u, name)) is not followed to the functions that may
// be its target, so kill_process's pid is a parameter, not a scan's; the
// same scan calling kill_process directly (scan_direct) is reported, at the
// call in the scan.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" scan_handed_to_callback.c -- -std=gnu11
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>

static int signum = SIGTERM;

static int kill_process(pid_t pid, char *name) {
  (void)name;
  kill(pid, signum); // the race: a scanned pid, by raw pid
  return 0;
}

void names_to_pid(int (*callback)(pid_t, char *)) {
  DIR *dp = opendir("/proc");
  struct dirent *entry;
  if (!dp)
    return;
  while ((entry = readdir(dp))) {
    unsigned u = atoi(entry->d_name);
    if (!u)
      continue;
    if (callback(u, entry->d_name)) // missed: a function pointer
      break;
  }
  closedir(dp);
}

void scan_direct(void) {
  DIR *dp = opendir("/proc");
  struct dirent *entry;
  if (!dp)
    return;
  while ((entry = readdir(dp))) {
    unsigned u = atoi(entry->d_name);
    if (!u)
      continue;
    if (kill_process(u, entry->d_name)) // reported
      break;
  }
  closedir(dp);
}

void killall_main(void) { names_to_pid(kill_process); }
