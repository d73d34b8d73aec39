// The posix profile's scans through C++17's std::filesystem: an entry of a
// directory iterator over /proc, its file name parsed with std::stoi and its
// kin, names a process that may have exited, and its pid been reused, by
// the time it is signalled or pinned (btop 1.2.13's process collector and
// signal menu). Against libstdc++'s and glibc's real headers.
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: posix}}" %s %t -- -std=c++20
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/pidfd.h>
#include <sys/types.h>

namespace fs = std::filesystem;

// --- a range-for over /proc that signals what it finds ----------------------
void signalAll(int sig) {
  for (const auto &d : fs::directory_iterator("/proc")) {
    const std::string name = d.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    pid_t pid = std::stoi(name);
    kill(pid, sig);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'pid' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
    // CHECK-MESSAGES: :[[@LINE-7]]:22: note: 'pid' was found by a scan here
  }
}

// --- an iterator's entry through ->, parsed at once -------------------------
void signalFirst(fs::directory_iterator it, int sig) {
  if (it != fs::directory_iterator())
    kill(static_cast<pid_t>(std::stoul(it->path().filename().string())), sig);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'it->' is used by its raw identity after it was found by a scan{{.*}} [peer-unpinned-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:40: note: 'it->' was found by a scan here
}

// --- recursive_directory_iterator, and a pin after the scan -----------------
void pinFound(int sig) {
  for (fs::recursive_directory_iterator it("/proc"), end; it != end; ++it) {
    const fs::directory_entry &entry = *it;
    pid_t pid = std::atoi(entry.path().filename().c_str());
    int fd = pidfd_open(pid, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'pid' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:40: note: found by a scan here, before the watch starts
    if (fd >= 0)
      pidfd_send_signal(fd, sig, nullptr, 0);
  }
}

// --- correct: an entry is never "nothing" (the loop tested the iterator), a
// listing signals nothing, and a pid given to the function is its caller's
// to judge ----------------------------------------------------------------
unsigned countProcesses() {
  unsigned n = 0;
  for (const auto &d : fs::directory_iterator("/proc"))
    n += d.path().filename().string().find_first_not_of("0123456789") ==
         std::string::npos;
  return n;
}

void signalGiven(pid_t pid, int sig) { kill(pid, sig); }
