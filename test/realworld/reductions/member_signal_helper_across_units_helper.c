// The other unit of member_signal_helper_across_units.c (see there).
#include <signal.h>

typedef struct {
  int pid;
  int badness;
} procinfo_t;

void kill_process(const procinfo_t *victim, int sig) {
  if (victim->pid <= 0)
    return;
  kill(victim->pid, sig);
}
