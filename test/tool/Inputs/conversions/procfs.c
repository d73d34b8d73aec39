#include "procfs.h"
#include <errno.h>

int dirent_get_pid(struct dirent *d, pid_t *pid) {
  uint64_t num;
  if (d->d_type != DT_DIR)
    return -EINVAL;
  if (parse_u64(d->d_name, &num, 10) < 0)
    return -EINVAL;
  *pid = (pid_t)num;
  return 0;
}
