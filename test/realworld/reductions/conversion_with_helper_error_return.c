// RACY: a readdir(/proc) loop parses each entry's name with the project's own
// conversion function and signals the pid by raw value. The conversion has an
// early error return of another helper's result (busybox's bb_strtoull: `if
// (!isalnum(arg[0])) return ret_ERANGE();`, ret_ERANGE setting errno and
// returning ULLONG_MAX), besides returning what strtoul parsed through a
// second helper (handle_errors(v, endp)).
// Stands for: mirror/busybox 1_36_1 libbb/bb_strtonum.c bb_strtou, reached by
// procps_scan (libbb/procps.c) in procps/kill.c kill_main and procps/pgrep.c
// pgrep_main (with inferred_scan_through_project_conversion.c's cause).
// What the analysis did (main 88b1406, the bin-snapshot): nothing with the
// profile alone. The same conversion without the early `return
// ret_ERANGE();` is recognised (found, also through handle_errors and with a
// `return UINT_MAX;` constant in its place): a return of a helper's result
// that does not derive from the argument keeps the function from being taken
// for a conversion. With project names (PeerConversionFunctions: my_strtou)
// it is found.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" conversion_with_helper_error_return.c --
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <dirent.h>
#include <signal.h>
static unsigned long long ret_ERANGE(void) { errno = ERANGE; return ULLONG_MAX; }
static unsigned long long handle_errors(unsigned long long v, char **endp) {
  if (**endp) errno = EINVAL;
  return v;
}
unsigned my_strtou(const char *arg, char **endp, int base) {
  if (!isalnum(arg[0])) return ret_ERANGE();
  unsigned long v = strtoul(arg, endp, base);
  return handle_errors(v, endp);
}
void f(int sig) {
  DIR *d = opendir("/proc");
  struct dirent *e;
  char *end;
  while ((e = readdir(d))) {
    unsigned pid = my_strtou(e->d_name, &end, 10);
    if (pid) kill(pid, sig); // the race: a scanned pid, signalled by value
  }
}
