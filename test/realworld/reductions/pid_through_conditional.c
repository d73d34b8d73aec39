// RACY: a pid found by a /proc scan is signalled by raw pid, but the argument
// of kill() is a conditional expression choosing between the pid and its
// negation (a process group), `kill(group ? -id : id, sig)`. When `group` is
// false, whoever has the pid now is signalled; the process found by the scan
// may have exited and its pid been reused.
// Stands for: psmisc 23.4 src/killall.c kill_all (both `kill (process_group ?
// -id : id, signal)` and the -w loop `kill (process_group ? -pid_killed[i] :
// pid_killed[i], 0)`) and psmisc 23.5 kill_all (the -w loop; its signal goes
// through a /proc/<pid> fd there).
// What the analysis did (main 5f32d40, the bin-snapshot): kill_plain() is
// reported (peer-unpinned-call); kill_conditional() and kill_group() are not:
// the pid is not followed through `?:` (nor through unary minus, which names
// a process group and is arguably right to drop; the `?:` is the miss).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" pid_through_conditional.c --
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>

static pid_t *scan(int *n) {
  DIR *d = opendir("/proc");
  struct dirent *de;
  pid_t *t = malloc(1024 * sizeof(pid_t));
  int pid;
  *n = 0;
  while ((de = readdir(d)) != NULL && *n < 1024) {
    if (!(pid = (pid_t)atoi(de->d_name)))
      continue;
    t[(*n)++] = pid;
  }
  closedir(d);
  return t;
}

int process_group;

void kill_plain(int sig) {
  int n;
  pid_t *t = scan(&n);
  for (int i = 0; i < n; i++)
    kill(t[i], sig); // reported
}

void kill_conditional(int sig) {
  int n;
  pid_t *t = scan(&n);
  for (int i = 0; i < n; i++) {
    pid_t id = t[i];
    kill(process_group ? -id : id, sig); // missed: the racy shape of psmisc
  }
}

void kill_group(int sig) {
  int n;
  pid_t *t = scan(&n);
  for (int i = 0; i < n; i++)
    kill(process_group ? 0 : t[i], sig); // missed as well: `?:` alone
}
