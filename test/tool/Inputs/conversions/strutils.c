#include "procfs.h"
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>

int parse_u64(const char *str, uint64_t *num, int base) {
  char *end = NULL;
  if (str == NULL || *str == '\0')
    return -(errno = EINVAL);
  errno = 0;
  *num = strtoumax(str, &end, base);
  if (errno != 0)
    return -errno;
  return end && *end ? -(errno = EINVAL) : 0;
}
