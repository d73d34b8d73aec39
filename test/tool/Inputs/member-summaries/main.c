// earlyoom v1.7's poll_loop: the victim its /proc scan found is handed, by
// the record's address, to kill_process in kill.c, which signals its pid.
#include "kill.h"

procinfo_t find_largest_process(void);

void poll_loop(int sig) {
  procinfo_t victim = find_largest_process();
  kill_process(&victim, sig);
}

// The record's other member is no peer.
void badness_only(int sig) {
  procinfo_t victim = find_largest_process();
  report_badness(&victim, sig);
}
