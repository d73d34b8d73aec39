// RACY: a pid found by the project's scan is kept in a local record and
// handed, by the record's address, to a helper defined in another unit that
// signals a member of it (kill_process(args, sig, &victim) ->
// kill_wait(args, victim->pid, sig) -> kill(pid, sig)).
// Stands for: rfjakob/earlyoom v1.7 main.c poll_loop, whose helpers
// kill_process and kill_wait are in kill.c (the entry's `units`).
// What the analysis did (main 9b8e201, the bin-snapshot), with the scan named
// (PeerLookupFunctions: lookup_rec, as the corpus names earlyoom's
// find_largest_process): nothing. A helper that signals a member of its
// struct-pointer parameter is recognised when it is defined in the same unit
// (paste the helper here and `use` is reported) but not through another
// unit's summary, which carries helpers that signal a parameter itself.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix, PeerLookupFunctions: lookup_rec}}"
//   member_signal_helper_across_units.c member_signal_helper_across_units_helper.c --
typedef struct {
  int pid;
  int badness;
} procinfo_t;

procinfo_t lookup_rec(void);
void kill_process(const procinfo_t *victim, int sig); // in the other unit

void use(int sig) {
  procinfo_t victim = lookup_rec();
  kill_process(&victim, sig); // the race: the looked-up pid, signalled by value
}
