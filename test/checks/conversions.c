// A project's helper that gives back the peer its argument names, in another
// form (a pid parsed from a /proc entry), is a conversion: what it returns or
// writes through a pointer is the process the entry was, as if the caller had
// parsed it itself. Recognised from the helper's body, or named by
// PeerConversionFunctions for a helper whose body is elsewhere.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix, PeerConversionFunctions: 'lib_entry_pid@1:out;lib_pid_of'}}" %s %t -- -std=gnu11
#include <dirent.h>
#include <peer/annotations.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

static pid_t pid_of(struct dirent *d) { return (pid_t)atoi(d->d_name); }

static int parse_number(const char *text, long *out) {
  char *end;
  long n = strtol(text, &end, 10);
  if (*end)
    return -1;
  *out = n;
  return 0;
}

static int entry_pid(struct dirent *d, pid_t *pid) {
  long n;
  if (parse_number(d->d_name, &n) != 0) {
    *pid = 0;
    return -1;
  }
  *pid = (pid_t)n;
  return 0;
}

int lib_entry_pid(struct dirent *d, pid_t *pid); // in a library
pid_t lib_pid_of(struct dirent *d);              // in a library
PEER_CONVERSION(1) pid_t annotated_pid_of(int flags, struct dirent *d);

void byReturn(DIR *dir) {
  struct dirent *d;
  while ((d = readdir(dir))) {
    pid_t p = pid_of(d);
    kill(p, SIGTERM);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'p' was found by a scan here
  }
}

void asArgument(DIR *dir) {
  struct dirent *d;
  while ((d = readdir(dir)))
    kill(pid_of(d), SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'd' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'd' was found by a scan here
}

// Through a chain of two helpers, the second writing through a pointer.
void throughPointer(DIR *dir) {
  struct dirent *d;
  pid_t p;
  while ((d = readdir(dir))) {
    if (entry_pid(d, &p) != 0)
      continue;
    kill(p, SIGTERM);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
    // CHECK-MESSAGES: :[[@LINE-5]]:15: note: 'p' was found by a scan here
  }
}

// Named by the option, for a library whose bodies are not in the unit.
void named(DIR *dir) {
  struct dirent *d;
  pid_t p;
  while ((d = readdir(dir))) {
    if (lib_entry_pid(d, &p) == 0)
      kill(p, SIGTERM);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'p' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'p' was found by a scan here
    kill(lib_pid_of(d), SIGTERM);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'd' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
    // CHECK-MESSAGES: :[[@LINE-7]]:15: note: 'd' was found by a scan here
  }
}

// Annotated, with the peer in parameter 1.
void annotated(DIR *dir) {
  struct dirent *d;
  while ((d = readdir(dir)))
    kill(annotated_pid_of(0, d), SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'd' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'd' was found by a scan here
}

// An error return of a helper that only returns constants is a constant
// (busybox's bb_strtou: `return ret_ERANGE();`).
static unsigned long out_of_range(void) { return ~0ul; }
static unsigned parse_unsigned(const char *text) {
  if (!text[0])
    return out_of_range();
  return (unsigned)strtoul(text, NULL, 10);
}

void helperErrorReturn(DIR *dir) {
  struct dirent *d;
  while ((d = readdir(dir))) {
    unsigned p = parse_unsigned(d->d_name);
    kill(p, SIGTERM);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'p' was found by a scan here
  }
}

// A scan helper whose pid comes through a conversion is a scan (busybox's
// procps_scan through bb_strtou).
static pid_t next_scanned(DIR *dir) {
  struct dirent *d;
  pid_t p;
  while ((d = readdir(dir)))
    if (entry_pid(d, &p) == 0)
      return p;
  return 0;
}
static pid_t next_scanned_returned(DIR *dir) {
  struct dirent *d;
  while ((d = readdir(dir))) {
    pid_t p = pid_of(d);
    if (p > 0)
      return p;
  }
  return 0;
}

void scanThroughConversions(DIR *dir) {
  pid_t p;
  while ((p = next_scanned(dir)) > 0)
    kill(p, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'p' was found by a scan here
  while ((p = next_scanned_returned(dir)) > 0)
    kill(p, SIGTERM);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'p' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'p' was found by a scan here
}

// Not conversions: what they return is computed from the entry, not the
// process it names.
static int name_length(struct dirent *d) { return (int)strlen(d->d_name); }
static pid_t next_pid(struct dirent *d) { return (pid_t)atoi(d->d_name) + 1; }
static pid_t first_of(struct dirent *d, pid_t fallback) {
  return d ? fallback : 0;
}

void notConversions(DIR *dir, pid_t self) {
  struct dirent *d;
  while ((d = readdir(dir))) {
    kill(name_length(d), SIGTERM);
    kill(next_pid(d), SIGTERM);
    kill(first_of(d, self), SIGTERM);
  }
}

// A helper that signals what it is given is a wrapper, not a conversion.
static void stop(struct dirent *d) { kill((pid_t)atoi(d->d_name), SIGTERM); }

void wrapper(DIR *dir) {
  struct dirent *d;
  while ((d = readdir(dir)))
    stop(d);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'd.d_name' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'd.d_name' was found by a scan here
}
