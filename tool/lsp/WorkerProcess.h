//===- WorkerProcess.h - an analysis in a process of its own ---*- C++ -*-===//
//
// One `peer-tidy lsp --analysis-worker` child, started on first use and
// reused for the analyses after it. An analysis that passes its deadline is
// cancelled by killing the process (an include that blocks on a FIFO or a
// hung mount cannot be interrupted otherwise); a crash kills only it. Either
// way the next analysis starts a fresh one. So does a worker whose heap
// reaches its cap (--analysis-memory, RLIMIT_DATA): it exits with
// OutOfMemoryExit instead of taking the machine's memory. The child dies
// with the server (PR_SET_PDEATHSIG), never outlives it.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_WORKERPROCESS_H
#define PEER_TIDY_LSP_WORKERPROCESS_H

#include "Protocol.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <sys/types.h>
#include <vector>

namespace peer::lsp {

/// The exit status of a worker whose heap reached its cap.
constexpr int OutOfMemoryExit = 86;

/// In a worker, before any analysis: caps its heap at MB (0: no cap) and
/// makes running out of memory, at the cap or not, end the process with
/// OutOfMemoryExit.
void capWorkerMemory(unsigned MB);

class WorkerProcess {
public:
  /// Runs this process's own executable (/proc/self/exe) with Argv.
  explicit WorkerProcess(std::vector<std::string> Argv);
  ~WorkerProcess();

  enum Outcome { Done, Crashed, OutOfMemory, TimedOut, Cancelled, NotStarted };
  /// Sends Request and waits for the reply until Timeout (0: no deadline).
  Outcome call(const llvm::json::Value &Request, std::chrono::seconds Timeout,
               llvm::json::Value &Reply);
  /// From any thread: ends the call in progress (Cancelled) and every later
  /// one.
  void cancel();
  /// After Crashed: the signal that ended the worker (0: it exited).
  int crashSignal() const { return CrashSignal; }

private:
  bool start();
  int stop(); // kills and reaps the process; its wait status

  std::vector<std::string> Argv;
  std::mutex Lock; // guards Pid and Cancelling
  pid_t Pid = -1;
  bool Cancelling = false;
  int ToFD = -1, FromFD = -1;
  int CrashSignal = 0;
  std::unique_ptr<FrameReader> Reader;
};

} // namespace peer::lsp

#endif
