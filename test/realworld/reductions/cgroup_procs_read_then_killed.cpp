// RACY: the pids of a cgroup are read from its cgroup.procs and each is
// signalled by raw pid, with no re-verification: a process that exited
// since the read may have given its pid to one outside the cgroup.
// Stands for: facebookincubator/oomd v0.5.0
// src/oomd/plugins/BaseKillPlugin.cpp BaseKillPlugin::getAndTryToKillPids,
// which reads cgroup.procs with getline and std::stoi and hands the pids to
// tryToKillPids (kill(pid, SIGKILL)); a6211707f9 (2024) added an opt-in
// `kernelkill` (cgroup.kill, no pids), the default path is unchanged.
// What the analysis did (the session's bin-snapshot, at or before main
// 0cee890): nothing. A line read from a file is no scan to the posix
// profile, and the read is inline: no function of the project reads the
// pids for a project to name (oomd's own Fs::getPidsAt is not used here).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" cgroup_procs_read_then_killed.cpp -- -std=c++17
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/types.h>
#include <vector>

static int killAll(const std::vector<int> &pids) {
  int n = 0;
  for (int pid : pids)
    n += ::kill(static_cast<pid_t>(pid), SIGKILL) == 0;
  return n;
}

int killCgroup(const char *procsPath) {
  FILE *fp = std::fopen(procsPath, "r");
  if (!fp)
    return 0;
  std::vector<int> pids;
  char *line = nullptr;
  size_t len = 0;
  while (::getline(&line, &len, fp) != -1)
    pids.push_back(std::stoi(line));
  std::free(line);
  std::fclose(fp);
  return killAll(pids); // the race: the pids were read, not pinned
}
