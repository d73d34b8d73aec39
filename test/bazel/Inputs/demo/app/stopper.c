#include <signal.h>
#include <sys/types.h>

pid_t find_pid(const char *name);

// A pid from a scan, signalled later: another process may have it by then.
// STOP_SIGNAL comes from the target's local_defines.
int main(int argc, char **argv) {
  pid_t p = find_pid(argc > 1 ? argv[1] : "daemon");
  if (p > 0)
    kill(p, STOP_SIGNAL);
  return 0;
}
