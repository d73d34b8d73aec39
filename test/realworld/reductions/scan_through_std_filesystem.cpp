// RACY: a /proc scan through std::filesystem::directory_iterator, its pid
// signalled by raw pid with no re-verification.
// Stands for: aristocratos/btop v1.2.13 src/btop_menu.cpp Menu::signalChoose
// and Menu::signalSend (unchanged up to v1.4.7), whose pid comes from the
// process table src/linux/btop_collect.cpp fills by such a scan, through the
// config's selected_pid set by the drawing code; this file reduces the first
// of the two causes (the second, a pid stored by other units, is htop's).
// What the analysis did (the session's bin-snapshot, at or before main 0cee890): nothing. The posix
// profile's scans are readdir, scandir and libproc2; a directory_iterator
// entry's file name is no scan.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   posix}}" scan_through_std_filesystem.cpp -- -std=c++20
#include <csignal>
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace fs = std::filesystem;

void signalAll(int sig) {
  for (const auto &d : fs::directory_iterator("/proc")) {
    const std::string name = d.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    pid_t pid = std::stoi(name);
    kill(pid, sig); // the race: the process may have exited since the scan
  }
}
