#include <sys/types.h>
typedef struct {
  pid_t pid;
  int badness;
} procinfo_t;
void kill_process(const procinfo_t *victim, int sig);
void report_badness(const procinfo_t *victim, int sig);
