#include <dirent.h>
#include <stdint.h>
#include <sys/types.h>

int parse_u64(const char *str, uint64_t *num, int base);
int dirent_get_pid(struct dirent *d, pid_t *pid);
