//===- Posix.cpp - the POSIX/Linux processes profile ------------*- C++ -*-===//
//
// Roles of process management by pid as declared in Debian 12's glibc
// headers (signal.h, sys/ptrace.h, sys/uio.h, sys/wait.h, sys/pidfd.h). A
// peer is a process, named by its pid, which the kernel reuses once the
// process is gone and reaped. docs/profiles/posix.md has every entry.
//
//===----------------------------------------------------------------------===//

#include "../Roles.h"

namespace peer::profiles {

static const RoleEntry PosixEntries[] = {
    // Calls by raw pid: whoever has the pid now receives them.
    {Role::Call, "::kill", 0},
    {Role::Call, "::sigqueue", 0},
    {Role::Call, "::ptrace", 1},
    {Role::Call, "::process_vm_readv", 0},
    {Role::Call, "::process_vm_writev", 0},
    // pidfd_open(pid) pins the process that has the pid now; it reports
    // only that process's exit, not whether the pid was reused before: an
    // edge monitor. Found a pid, pin it, then re-verify it (a lookup after
    // the pin) before signalling through the pidfd.
    {Role::EdgeMonitor, "::pidfd_open", 0},
    // waitpid on a child: the kernel keeps the pid until it is reaped, so
    // watching and reaping it is one atomic step.
    {Role::MonitoredCall, "::waitpid", 0},
};

const llvm::ArrayRef<RoleEntry> Posix = PosixEntries;

} // namespace peer::profiles
