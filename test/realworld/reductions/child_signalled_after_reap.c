// RACY: once waitpid has reaped the child, its pid is free, and signalling
// it by raw pid may hit a process that took the pid since.
// Stands for: Yelp/dumb-init v1.2.5 dumb-init.c handle_signal, which on the
// child's exit calls forward_signal(SIGTERM), kill(child_pid) with
// --single-child (kill(-child_pid) in setsid mode, whose group id is free once
// the group is empty); unchanged in v1.2.5, the newest.
// What the analysis did (the session's bin-snapshot, at or before main 0cee890): nothing, by the
// profile's design: a pid is a peer when a scan or a named lookup found it;
// the posix profile has no notion of a child's own pid, valid until it is
// reaped (tini's forwarding, correct because it stops at the reap, has the
// same calls).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" child_signalled_after_reap.c -- -std=gnu99
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child_pid;

void on_sigchld(void) {
  int status;
  pid_t p;
  while ((p = waitpid(-1, &status, WNOHANG)) > 0)
    if (p == child_pid) {
      kill(child_pid, SIGTERM); // the race: the pid was freed by the reap
      _exit(0);
    }
}
