// FALSE POSITIVE (peer-unchecked-lookup; the peer-unpinned-call is right):
// the named lookup's "not found", -1, is tested before the kill, but written
// with a cast, (pid_t) -1, which the check does not take for -1.
// Stands for: Distrotech/libdaemon v0.14 libdaemon/dpid.c
// daemon_pid_file_kill, with PeerLookupFunctions: daemon_pid_file_is_running
// (daemon_pid_file_kill_wait tests `< 0` and gets no such warning).
// What the analysis did (round seven, main 9a2796a): peer-unchecked-lookup
// at kill(pid, s) in k_cast and k_cast_var, none in k_plain.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix, PeerLookupFunctions: find_pid}}"
//   pid_checked_against_cast_minus_one.c -- -std=gnu11
#include <signal.h>
#include <sys/types.h>

pid_t find_pid(void);

int k_cast(int s) {
  pid_t pid;
  if ((pid = find_pid()) == (pid_t)-1)
    return -1;
  return kill(pid, s); // unchecked-lookup reported: wrong
}

int k_plain(int s) {
  pid_t pid;
  if ((pid = find_pid()) == -1)
    return -1;
  return kill(pid, s); // no unchecked-lookup
}

int k_cast_var(int s) {
  pid_t pid = find_pid();
  if (pid == (pid_t)-1)
    return -1;
  return kill(pid, s); // unchecked-lookup reported: wrong
}
