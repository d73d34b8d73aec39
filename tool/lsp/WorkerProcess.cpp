//===- WorkerProcess.cpp - an analysis in a process of its own ------------===//
#include "WorkerProcess.h"

#include "llvm/Support/ErrorHandling.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <new>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace llvm;

namespace peer::lsp {

namespace {
// The server says what happened, once (DocumentAnalyzer::analyze).
[[noreturn]] void outOfMemory() { _exit(OutOfMemoryExit); }
} // namespace

void capWorkerMemory(unsigned MB) {
  if (MB) {
    rlimit Limit;
    Limit.rlim_cur = Limit.rlim_max = rlim_t(MB) << 20;
    setrlimit(RLIMIT_DATA, &Limit);
  }
  // operator new (most of clang's memory), and LLVM's safe_malloc & co.
  std::set_new_handler(outOfMemory);
  install_bad_alloc_error_handler(
      [](void *, const char *, bool) { outOfMemory(); });
}

WorkerProcess::WorkerProcess(std::vector<std::string> A) : Argv(std::move(A)) {}

WorkerProcess::~WorkerProcess() { stop(); }

bool WorkerProcess::start() {
  int To[2], From[2];
  if (pipe2(To, O_CLOEXEC))
    return false;
  if (pipe2(From, O_CLOEXEC)) {
    ::close(To[0]);
    ::close(To[1]);
    return false;
  }
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, To[0], 0);
  posix_spawn_file_actions_adddup2(&Actions, From[1], 1);
  std::vector<char *> Args;
  for (std::string &A : Argv)
    Args.push_back(A.data());
  Args.push_back(nullptr);
  pid_t Child;
  int Err = posix_spawn(&Child, "/proc/self/exe", &Actions, nullptr,
                        Args.data(), environ);
  posix_spawn_file_actions_destroy(&Actions);
  ::close(To[0]);
  ::close(From[1]);
  if (Err) {
    ::close(To[1]);
    ::close(From[0]);
    return false;
  }
  std::lock_guard<std::mutex> Guard(Lock);
  Pid = Child;
  ToFD = To[1];
  FromFD = From[0];
  Reader = std::make_unique<FrameReader>(FromFD);
  if (Cancelling)
    kill(Pid, SIGKILL);
  return true;
}

int WorkerProcess::stop() {
  pid_t Child;
  int Status = 0;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Child = Pid;
    if (Child > 0)
      kill(Child, SIGKILL); // one that has exited already keeps its status
  }
  if (Child > 0)
    while (waitpid(Child, &Status, 0) < 0 && errno == EINTR) {
    }
  std::lock_guard<std::mutex> Guard(Lock);
  Pid = -1; // reaped: never signal that number again
  if (ToFD >= 0)
    ::close(ToFD);
  if (FromFD >= 0)
    ::close(FromFD);
  ToFD = FromFD = -1;
  Reader.reset();
  return Status;
}

void WorkerProcess::cancel() {
  std::lock_guard<std::mutex> Guard(Lock);
  Cancelling = true;
  if (Pid > 0)
    kill(Pid, SIGKILL); // the waiting call sees end of input
}

WorkerProcess::Outcome WorkerProcess::call(const json::Value &Request,
                                           std::chrono::seconds Timeout,
                                           json::Value &Reply) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Cancelling)
      return Cancelled;
  }
  if (Pid < 0 && !start())
    return NotStarted;
  FrameWriter(ToFD).write(Request);
  if (Timeout.count() > 0)
    Reader->setDeadline(std::chrono::steady_clock::now() + Timeout);
  else
    Reader->setDeadline(std::nullopt);
  std::string Body, Error;
  FrameReader::Status St = Reader->next(Body, Error);
  bool Late = Reader->timedOut();
  std::optional<json::Value> Parsed;
  if (St == FrameReader::Message)
    Parsed = parseMessage(Body, Reply);
  if (Parsed) {
    Reply = std::move(*Parsed);
    return Done;
  }
  // Hung, dead or talking nonsense: this process is done for.
  int Status = stop();
  std::lock_guard<std::mutex> Guard(Lock);
  if (Cancelling)
    return Cancelled;
  if (Late)
    return TimedOut;
  if (WIFEXITED(Status) && WEXITSTATUS(Status) == OutOfMemoryExit)
    return OutOfMemory;
  CrashSignal = WIFSIGNALED(Status) ? WTERMSIG(Status) : 0;
  return Crashed;
}

} // namespace peer::lsp
