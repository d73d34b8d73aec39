#include <signal.h>
#include <stdio.h>
#include "kill.h"

static int kill_wait(pid_t pid, int sig) { return kill(pid, sig); }

// Signals a member of the record it is given, through a helper.
void kill_process(const procinfo_t *victim, int sig) {
  if (kill_wait(victim->pid, sig) != 0)
    perror("kill");
}

void report_badness(const procinfo_t *victim, int sig) {
  printf("%d %d\n", victim->badness, sig);
}
