//===- Posix.cpp - the POSIX/Linux processes profile ------------*- C++ -*-===//
//
// Roles of process management by pid as declared in Debian 12's glibc
// headers (signal.h, sys/ptrace.h, sys/uio.h, sys/wait.h, sys/pidfd.h,
// sched.h, sys/resource.h, unistd.h, dirent.h) and libproc2-dev's
// libproc2/pids.h (procps-ng 4.0.2). A peer is a process, named by its pid,
// which the kernel reuses once the process is gone and reaped.
// docs/profiles/posix.md has every entry.
//
//===----------------------------------------------------------------------===//

#include "../Roles.h"

namespace peer::profiles {

static const RoleEntry PosixEntries[] = {
    // Scans: a process found by enumerating /proc (a directory entry whose
    // name is its pid) or libproc2's process table (procps-ng's library:
    // pgrep, ps, top). What they find may be gone by the time it is used,
    // and its pid given to another process.
    {Role::Scan, "::readdir", 0},
    {Role::Scan, "::readdir64", 0},
    {Role::Scan, "::scandir@1:out", 0},
    {Role::Scan, "::scandir64@1:out", 0},
    // The same through C++17's std::filesystem (btop): an entry of a
    // directory iterator, whose file name (d.path().filename()) a
    // std::stoi parses.
    {Role::Scan, "::std::filesystem::directory_iterator::operator*",
     DefaultPeerIndex},
    {Role::Scan, "::std::filesystem::directory_iterator::operator->",
     DefaultPeerIndex},
    {Role::Scan, "::std::filesystem::recursive_directory_iterator::operator*",
     DefaultPeerIndex},
    {Role::Scan, "::std::filesystem::recursive_directory_iterator::operator->",
     DefaultPeerIndex},
    {Role::Scan, "::procps_pids_get", 0},
    {Role::Scan, "::procps_pids_reap", 0},
    {Role::Scan, "::procps_pids_select", 0},
    // A pid read from a file (a pidfile, a cgroup's cgroup.procs) names the
    // process the file named when it was written: found anew by each read,
    // as by a scan. Only into a pid_t: fscanf reads every other number too.
    {Role::Scan, "::fscanf@2:out?arg2:pid_t", 0},
    // kill(-1, SIGSTOP) stops every process the caller may signal (all but
    // init and itself): until kill(-1, SIGCONT), none can exit and free its
    // pid, so pids scanned in between stay valid (killall5 in sysvinit,
    // OpenRC and busybox). The signal is matched as written: its number
    // differs between architectures.
    {Role::Freeze, "::kill?arg0==-1&&arg1==SIGSTOP", 0},
    {Role::Thaw, "::kill?arg0==-1&&arg1==SIGCONT", 0},
    // Calls by raw pid: whoever has the pid now receives them.
    {Role::UnpinnedCall, "::kill", 0},
    {Role::UnpinnedCall, "::sigqueue", 0},
    {Role::UnpinnedCall, "::ptrace", 1},
    {Role::UnpinnedCall, "::process_vm_readv", 0},
    {Role::UnpinnedCall, "::process_vm_writev", 0},
    {Role::UnpinnedCall, "::tgkill", 0},
    // Another process's scheduling and limits, set or read: whoever has the
    // pid now is changed, or answers.
    {Role::UnpinnedCall, "::sched_setaffinity", 0},
    {Role::UnpinnedCall, "::sched_getaffinity", 0},
    {Role::UnpinnedCall, "::sched_setscheduler", 0},
    {Role::UnpinnedCall, "::sched_getscheduler", 0},
    {Role::UnpinnedCall, "::sched_setparam", 0},
    {Role::UnpinnedCall, "::sched_getparam", 0},
    {Role::UnpinnedCall, "::prlimit", 0},
    {Role::UnpinnedCall, "::prlimit64", 0},
    {Role::UnpinnedCall, "::setpriority?arg0==PRIO_PROCESS", 1},
    {Role::UnpinnedCall, "::getpriority?arg0==PRIO_PROCESS", 1},
    // Probes by raw pid, as kill(pid, 0) is: the answer is about whoever has
    // the pid now (chrony's check_pidfile asks getsid(pid)).
    {Role::UnpinnedCall, "::getsid", 0},
    {Role::UnpinnedCall, "::getpgid", 0},
    // Through a pidfd: the process pinned by pidfd_open, whatever its pid.
    {Role::Call, "::pidfd_send_signal", 0},
    // pidfd_open(pid) pins the process that has the pid now; it reports
    // only that process's exit, not whether the pid was reused before: an
    // edge monitor. Found a pid, pin it, then re-verify it (a lookup after
    // the pin) before signalling through the pidfd.
    {Role::EdgeMonitor, "::pidfd_open", 0},
    // The same through syscall(2), as code written before glibc 2.36
    // declared it does (earlyoom's is_larger): the number as written.
    // (pidfd_send_signal through syscall(2) needs no entry: a call through
    // a pidfd races with nothing, and as a role it would hide, in a helper
    // that falls back to kill(pid, sig), the raw call its callers make.)
    {Role::EdgeMonitor, "::syscall?arg0==SYS_pidfd_open", 1},
    {Role::EdgeMonitor, "::syscall?arg0==__NR_pidfd_open", 1},
    // waitpid has no role: it only works on the caller's own children,
    // whose pids the kernel keeps until they are reaped, so nothing before
    // it can race (kill(child); waitpid(child) is the normal shutdown).
};

const llvm::ArrayRef<RoleEntry> Posix = PosixEntries;

} // namespace peer::profiles
