// Reduction of util-linux v2.39.3 misc-utils/kill.c main (corpus:
// util-linux-v2.39.3-kill), cause 2 of 2 (the other, a lookup through a pointer argument, is handled: test/checks/lookup-out-parameter.c): the pid
// lives in a member of a local struct (`ctl.pid`) and is signalled by a helper
// that gets the struct by pointer (kill_verbose(&ctl) -> kill(ctl->pid, ...)).
// RACY (both functions): a pid from a lookup is signalled by raw pid, no pidfd.
// What the analysis did (main 7792cb9, PeerLookupFunctions: find_pid):
//   member():  nothing - a lookup result stored into a struct member is not
//              followed (a plain local `pid_t p = find_pid(n)` is reported);
//   helper():  nothing - send() signals a member of its pointer parameter,
//              which is not seen as "calls its argument's peer".
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix, PeerLookupFunctions: find_pid}}" pid_in_struct_member.c
#include <signal.h>
#include <sys/types.h>

pid_t find_pid(const char *name); // the project's /proc scan
struct ctl { pid_t pid; int sig; };
static int send(const struct ctl *c) { return kill(c->pid, c->sig); }

void member(const char *name) {
  struct ctl c = {0, SIGTERM};
  c.pid = find_pid(name);
  kill(c.pid, c.sig); // missed
}

void helper(const char *name) {
  struct ctl c = {0, SIGTERM};
  c.pid = find_pid(name);
  send(&c); // missed
}
