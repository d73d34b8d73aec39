#include "procfs.h"
#include <signal.h>

void kill_by_name(DIR *dir) {
  struct dirent *d;
  pid_t pid;
  while ((d = readdir(dir))) {
    if (dirent_get_pid(d, &pid) != 0)
      continue;
    kill(pid, SIGTERM);
  }
}
