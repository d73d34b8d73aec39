// The posix profile's scans, with the profile alone: a pid parsed from a
// /proc entry's name (readdir, scandir) or read from libproc2's process table
// (procps-ng's procps_pids_*) names a process that may have exited, and its
// pid been reused, by the time it is signalled or pinned. Against glibc's
// and libproc2-dev's real headers. The shapes are those of procps-ng 4.0.5
// pgrep.c (select_procs, then kill or pidfd_open in main) and of util-linux
// 2.39 kill.c (a readdir loop that signals what it finds).
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix}}" %s %t -- -std=gnu11
#define _GNU_SOURCE
#include <dirent.h>
#include <libproc2/pids.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

int matches(const char *pid, const char *comm); // reads /proc/<pid>/comm

// --- a scan loop that signals what it finds ---------------------------------
void killAllNamed(const char *comm) {
  DIR *dir = opendir("/proc");
  struct dirent *d;
  if (!dir)
    return;
  while ((d = readdir(dir))) {
    if (!matches(d->d_name, comm))
      continue;
    pid_t pid = (pid_t)strtol(d->d_name, NULL, 10);
    kill(pid, SIGTERM);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pid' is used by its raw identity after it was found by a scan; the peer may have gone{{.*}} [peer-unpinned-call]
    // CHECK-MESSAGES: :[[@LINE-6]]:15: note: 'pid' was found by a scan here
  }
  closedir(dir);
}

void killAllNamedScanf(const char *comm) {
  DIR *dir = opendir("/proc");
  struct dirent *d;
  int pid;
  while (dir && (d = readdir(dir)))
    if (matches(d->d_name, comm) && sscanf(d->d_name, "%d", &pid) == 1)
      kill(pid, SIGKILL);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:22: note: 'pid' was found by a scan here
  if (dir)
    closedir(dir);
}

// --- a scan function: its callers get what it found -------------------------
static pid_t scanProcs(const char *comm) {
  DIR *dir = opendir("/proc");
  struct dirent *d;
  pid_t found = -1;
  while (dir && (d = readdir(dir)))
    if (matches(d->d_name, comm))
      found = atoi(d->d_name);
  if (dir)
    closedir(dir);
  return found;
}

void pkill(const char *comm) {
  pid_t pid = scanProcs(comm);
  if (pid > 0)
    kill(pid, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'pid' was found by a scan here
}

void pidwait(const char *comm) {
  pid_t pid = scanProcs(comm);
  if (pid > 0) {
    int fd = pidfd_open(pid, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'pid' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: found by a scan here, before the watch starts
    if (fd >= 0)
      pidfd_send_signal(fd, SIGTERM, NULL, 0);
  }
}

// The same through syscall(2), as code written before glibc 2.36 declared
// pidfd_open does (earlyoom's is_larger): the number as written.
void pidwaitBySyscall(const char *comm) {
  pid_t pid = scanProcs(comm);
  if (pid > 0) {
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'pid' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: found by a scan here, before the watch starts
    if (fd >= 0)
      syscall(__NR_pidfd_send_signal, fd, SIGTERM, NULL, 0);
    syscall(SYS_getpid, pid); // another system call: no role
  }
}

// --- scandir: the entries come back through an argument ---------------------
static int numeric(const struct dirent *d) { return d->d_name[0] > '0' && d->d_name[0] <= '9'; }

void killListed(void) {
  struct dirent **list;
  int n = scandir("/proc", &list, numeric, alphasort);
  for (int i = 0; i < n; ++i)
    kill((pid_t)strtoul(list[i]->d_name, NULL, 10), SIGHUP);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'list[i]->d_name' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:11: note: 'list[i]->d_name' was found by a scan here
}

// --- libproc2's process table (procps-ng's select_procs) --------------------
struct el {
  long num;
  char *str;
};

static struct el *selectProcs(int *count) {
  enum pids_item items[] = {PIDS_ID_PID, PIDS_CMD};
  struct pids_info *info = NULL;
  struct pids_stack *stack;
  struct el *list = malloc(64 * sizeof *list);
  int n = 0;
  if (!list || procps_pids_new(&info, items, 2) < 0)
    return NULL;
  while (n < 64 && (stack = procps_pids_get(info, PIDS_FETCH_TASKS_ONLY))) {
    list[n].num = PIDS_VAL(0, s_int, stack, info);
    list[n++].str = strdup(PIDS_VAL(1, str, stack, info));
  }
  procps_pids_unref(&info);
  *count = n;
  return list;
}

void pkillTable(int sig) {
  int n;
  struct el *procs = selectProcs(&n);
  for (int i = 0; procs && i < n; ++i)
    kill(procs[i].num, sig);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'procs[i].num' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:22: note: 'procs[i].num' was found by a scan here
}

// --- every other scan entry: readdir64, scandir64, procps_pids_reap/select --
void killAll64(DIR *proc) {
  struct dirent64 *d;
  while ((d = readdir64(proc)) != NULL)
    kill(atol(d->d_name), SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'd->d_name' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'd->d_name' was found by a scan here
}

void killListed64(void) {
  struct dirent64 **list;
  int n = scandir64("/proc", &list, NULL, NULL);
  if (n > 0)
    kill(atoi(list[0]->d_name), SIGHUP);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'list[0]->d_name' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:11: note: 'list[0]->d_name' was found by a scan here
}

void killReaped(struct pids_info *info, int sig) {
  struct pids_fetch *all = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
  for (int i = 0; all && i < all->counts->total; ++i)
    kill(PIDS_VAL(0, s_int, all->stacks[i], info), sig);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'PIDS_VAL(0, s_int, all->stacks[i], info)' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:28: note: 'PIDS_VAL(0, s_int, all->stacks[i], info)' was found by a scan here
}

void killSelected(struct pids_info *info, unsigned *pids, int n) {
  struct pids_fetch *some = procps_pids_select(info, pids, n, PIDS_SELECT_PID);
  for (int i = 0; some && i < some->counts->total; ++i)
    kill(PIDS_VAL(0, s_int, some->stacks[i], info), SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'PIDS_VAL(0, s_int, some->stacks[i], info)' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:29: note: 'PIDS_VAL(0, s_int, some->stacks[i], info)' was found by a scan here
}

// --- a pid kept in one member of a struct -----------------------------------
struct target {
  pid_t pid;
  pid_t parent;
};

void killKept(const char *comm) {
  struct target t = {0, getppid()};
  t.pid = scanProcs(comm);
  if (t.pid > 0)
    kill(t.pid, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 't.pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:11: note: 't.pid' was found by a scan here
  kill(t.parent, SIGCHLD); // another member: not what the scan found
}

// --- a pid given by a designated initializer (earlyoom's find_largest_process)
typedef struct {
  int pid;
  int badness;
} procinfo_t;

static procinfo_t findLargest(void) {
  DIR *dir = opendir("/proc");
  procinfo_t victim = {0};
  struct dirent *d;
  if (!dir)
    return victim;
  while ((d = readdir(dir)) != NULL) {
    procinfo_t cur = {.pid = (int)strtol(d->d_name, NULL, 10)};
    if (cur.pid > victim.pid)
      victim = cur;
  }
  closedir(dir);
  return victim;
}

void killLargest(int sig) {
  procinfo_t victim = findLargest();
  kill(victim.pid, sig);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'victim.pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:23: note: 'victim.pid' was found by a scan here
}

// --- a helper that signals a nested member of the row it is given ---------
// (procps-ng skill's nice_or_kill, reading libproc2's PIDS_VAL path).
struct pidResult {
  int s_int;
};
struct pidItem {
  struct pidResult result;
};
struct pidRow {
  struct pidItem head[1];
  int prio;
};

static void niceOrKill(struct pidRow *row, int sig) {
  kill(row->head[0].result.s_int, sig);
}

void scanRows(int sig) {
  struct pidRow rows[64];
  DIR *dir = opendir("/proc");
  struct dirent *d;
  int n = 0;
  while (dir && (d = readdir(dir)) != NULL && n < 64)
    rows[n++].head[0].result.s_int = (int)strtol(d->d_name, NULL, 10);
  for (int i = 0; i < n; i++)
    niceOrKill(&rows[i], sig);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'rows[i].s_int' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:22: note: 'rows[i].s_int' was found by a scan here
}

// --- correct: nothing found by a scan reaches a raw-pid call ----------------
void listNames(void) {
  DIR *dir = opendir("/etc");
  struct dirent *d;
  while (dir && (d = readdir(dir)))
    puts(d->d_name); // a scan's result, but no process operation
  if (dir)
    closedir(dir);
  kill(getppid(), SIGUSR1); // the parent: not found by a scan
}

void replacedBeforeUse(const char *comm) {
  struct target t = {0, 0};
  t.pid = scanProcs(comm);
  t.pid = getpid(); // overwritten: no longer what the scan found
  kill(t.pid, SIGUSR1);
}

void pinnedByTheCaller(int pidfd) {
  // Signals through a pidfd it was given: it finds nothing itself.
  pidfd_send_signal(pidfd, SIGTERM, NULL, 0);
}

// A scan helper that parses with sscanf and returns a list of records it
// allocated (OpenRC 0.46's rc_find_pids; its caller do_stop signals each).
struct pid_record {
  struct pid_record *next;
  pid_t pid;
};

static struct pid_record *find_pids(void) {
  DIR *dir = opendir("/proc");
  struct dirent *entry;
  struct pid_record *list = NULL, *record;
  pid_t p;
  if (!dir)
    return NULL;
  while ((entry = readdir(dir)) != NULL) {
    if (sscanf(entry->d_name, "%d", &p) != 1)
      continue;
    record = malloc(sizeof(*record));
    record->pid = p;
    record->next = list;
    list = record;
  }
  closedir(dir);
  return list;
}

int stopRecords(int sig) {
  int n = 0;
  for (struct pid_record *r = find_pids(); r; r = r->next)
    n += kill(r->pid, sig) == 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'r->pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: 'r->pid' was found by a scan here
  return n;
}

// Every other process stopped (kill(-1, SIGSTOP)) while the scan runs and
// until the last signal: a pid found then cannot be freed and reused (the
// killall5 technique of sysvinit, OpenRC 0.46's kill_all.c and busybox).
int stopAllFrozen(int sig) {
  DIR *dir;
  struct dirent *d;
  int sent = 0;
  kill(-1, SIGSTOP);
  dir = opendir("/proc");
  if (!dir) {
    kill(-1, SIGCONT);
    return -1;
  }
  while ((d = readdir(dir)) != NULL) {
    pid_t pid = (pid_t)atoi(d->d_name);
    if (pid > 0 && pid != getpid() && kill(pid, sig) == 0)
      sent++;
  }
  closedir(dir);
  kill(-1, SIGCONT);
  return sent;
}

// Scanned before the freeze, or signalled after the thaw, or frozen on one
// path only: the pid may have been reused.
void scannedBeforeFreeze(DIR *dir) {
  struct dirent *d = readdir(dir);
  kill(-1, SIGSTOP);
  if (d)
    kill((pid_t)atoi(d->d_name), SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'd->d_name' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:22: note: 'd->d_name' was found by a scan here
  kill(-1, SIGCONT);
}

void signalledAfterThaw(DIR *dir) {
  kill(-1, SIGSTOP);
  struct dirent *d = readdir(dir);
  kill(-1, SIGCONT);
  if (d)
    kill((pid_t)atoi(d->d_name), SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'd->d_name' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:22: note: 'd->d_name' was found by a scan here
}

void frozenOnOnePath(DIR *dir, int stop) {
  if (stop)
    kill(-1, SIGSTOP);
  struct dirent *d = readdir(dir);
  if (d)
    kill((pid_t)atoi(d->d_name), SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'd->d_name' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:22: note: 'd->d_name' was found by a scan here
  if (stop)
    kill(-1, SIGCONT);
}

// --- a pid read from a file (fscanf): what the file named then --------------
// A pidfile's pid (OpenRC 0.46's rc_service_daemons_crashed, dpkg 1.21's
// start-stop-daemon do_pidfile) or a cgroup's cgroup.procs: the process it
// named may have exited, and its pid been reused, since the file was written.
// Each read finds anew, as a scan does: reading it again re-checks nothing.
int daemonCrashed(const char *pidfile) {
  FILE *fp = fopen(pidfile, "r");
  pid_t pid = 0;
  if (!fp)
    return 1;
  if (fscanf(fp, "%d", &pid) != 1)
    pid = 0;
  fclose(fp);
  if (pid == 0)
    return 1;
  return kill(pid, 0) == -1;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-7]]:7: note: 'pid' was found by a scan here
}

static pid_t readPidfile(const char *path) {
  FILE *fp = fopen(path, "r");
  pid_t pid = -1;
  if (fp) {
    if (fscanf(fp, "%d", &pid) != 1)
      pid = -1;
    fclose(fp);
  }
  return pid;
}

void stopDaemon(const char *pidfile) {
  pid_t pid = readPidfile(pidfile);
  if (pid > 0)
    kill(pid, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'pid' was found by a scan here
}

// Every pid of a file, one read each: a finding at the signal, and no read
// counts as repeating another.
int killCgroup(const char *procs) {
  FILE *fp = fopen(procs, "r");
  pid_t pid;
  int n = 0;
  while (fp && fscanf(fp, "%d", &pid) == 1)
    n += kill(pid, SIGKILL) == 0;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:16: note: 'pid' was found by a scan here
  if (fp)
    fclose(fp);
  return n;
}

// Correct: a number read from a file that no process operation uses, and a
// pid read but only reported.
void readSettings(const char *path) {
  FILE *fp = fopen(path, "r");
  int seconds = 0;
  pid_t pid = 0;
  if (!fp)
    return;
  if (fscanf(fp, "%d", &seconds) == 1)
    sleep((unsigned)seconds);
  if (fscanf(fp, "%d", &pid) == 1)
    printf("last run by %d\n", pid);
  fclose(fp);
  kill(getppid(), SIGUSR1); // the parent: read from no file
}

// Only a number read into a pid_t is a pid: fscanf reads every other number
// too (earlyoom's helpers read a process's oom_score_adj and VmRSS into an
// int and a long long), and these are no processes.
static int readOomScoreAdj(pid_t pid, int *out) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
  FILE *fp = fopen(path, "r");
  if (!fp)
    return -1;
  int matches = fscanf(fp, "%d", out);
  fclose(fp);
  return matches == 1 ? 0 : -1;
}

void signalGiven(pid_t pid) {
  int adj = 0;
  if (readOomScoreAdj(pid, &adj) == 0 && adj > 0)
    kill(pid, SIGTERM); // the pid it was given: not its business
}
