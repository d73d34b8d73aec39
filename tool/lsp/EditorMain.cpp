//===- EditorMain.cpp - the command lines of the editor servers -----------===//
//
// peer-tidy lsp [options] and peer-tidy clangd [--clangd=PATH] [--peer-...]
// [clangd options]: their options and help, the protocol's private stdio,
// and the start of clangd behind the proxy. The servers themselves are
// LanguageServer.cpp and ClangdProxy.cpp; an analysis worker process
// (--analysis-worker) runs Analysis.cpp's loop.
//
//===----------------------------------------------------------------------===//
#include "Editor.h"

#include "Compat.h"
#include "Protocol.h"
#include "Servers.h"
#include "Version.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

using namespace llvm;

namespace peer::editor {
namespace {

using lsp::AnalysisOptions;

/// The protocol owns stdin and stdout: keep private descriptors for them and
/// point fd 0 at /dev/null and fd 1 at stderr, so that nothing the compiler
/// or a check prints can corrupt the stream.
Stdio takeStdio() {
  Stdio S;
  S.In = fcntl(0, F_DUPFD_CLOEXEC, 3);
  S.Out = fcntl(1, F_DUPFD_CLOEXEC, 3);
  int Null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (Null >= 0) {
    dup2(Null, 0);
    close(Null);
  }
  dup2(2, 1);
  signal(SIGPIPE, SIG_IGN);
  return S;
}

void initializeTargets() {
  InitializeAllTargetInfos();
  InitializeAllTargetMCs();
  InitializeAllAsmParsers();
}

std::string defaultDocBaseURL() {
  return lsp::pathToURI(PEER_SOURCE_ROOT) + "/docs/checks";
}

/// Options shared by both modes; Prefix is "--" for lsp, "--peer-" for the
/// proxy (whose other options belong to clangd). Returns false if Arg is not
/// one of them.
bool parseAnalysisOption(StringRef Arg, StringRef Prefix, AnalysisOptions &O,
                         std::string &Error) {
  if (!Arg.consume_front(Prefix))
    return false;
  auto [Name, Value] = Arg.split('=');
  bool HasValue = Arg.contains('=');
  if (Name == "checks" && HasValue)
    O.Checks = Value.str();
  else if (Name == "doc-base-url" && HasValue)
    O.DocBaseURL = Value.rtrim('/').str();
  else if (Name == "debounce-ms" && HasValue) {
    if (Value.getAsInteger(10, O.DebounceMs))
      Error =
          "invalid " + Prefix.str() + "debounce-ms value '" + Value.str() + "'";
  } else if (Name == "analysis-timeout" && HasValue) {
    if (Value.getAsInteger(10, O.TimeoutSec) || O.TimeoutSec > 86400)
      Error = "invalid " + Prefix.str() + "analysis-timeout value '" +
              Value.str() + "' (seconds, 0 to 86400)";
  } else if (Name == "analysis-memory" && HasValue) {
    if (Value.getAsInteger(10, O.MemoryMB) || O.MemoryMB > 1048576 ||
        (O.MemoryMB > 0 && O.MemoryMB < 64))
      Error = "invalid " + Prefix.str() + "analysis-memory value '" +
              Value.str() + "' (MB, 64 to 1048576; 0: no cap)";
  } else if (Name == "jobs" && HasValue) {
    if (Value.getAsInteger(10, O.Jobs) || O.Jobs < 1 || O.Jobs > 256)
      Error = "invalid " + Prefix.str() + "jobs value '" + Value.str() +
              "' (1 to 256)";
  } else if (Name == "preamble" && (Value == "on" || Value == "off"))
    O.Preamble = Value == "on";
  else if (Name == "preamble")
    Error = "invalid " + Prefix.str() + "preamble value '" + Value.str() +
            "' (on or off)";
  else if (Name == "log" && HasValue)
    O.Verbose = Value == "verbose";
  else if (Name == "compile-commands-dir" && HasValue && Prefix == "--")
    O.CompileCommandsDir = Value.str();
  else
    return false;
  return true;
}

int usage(const char *Text) {
  outs() << Text;
  return 0;
}

const char LspHelp[] = R"(USAGE: peer-tidy lsp [options]

A language server (LSP 3.17 over stdin/stdout) offering peer-* diagnostics
and their quick fixes for the open C++ files, next to clangd.

  --compile-commands-dir=DIR  compile_commands.json directory (default: the
                              nearest one up from each file, as clangd)
  --checks=GLOBS              checks on top of .clang-tidy (default '-*,peer-*')
  --doc-base-url=URL          where <check>.md pages live (default: this
                              source tree's docs/checks)
  --debounce-ms=N             wait after an edit before analysing (default:
                              the file's recent analysis time, 50 to 200)
  --analysis-timeout=SECONDS  cancel an analysis that takes longer, e.g. on an
                              include that blocks (60; 0: no limit)
  --analysis-memory=MB        stop an analysis whose heap grows past MB (4096;
                              0: no cap)
  --preamble=on|off           reuse a precompiled preamble of the includes
                              while they are unchanged, as clangd (on)
  --jobs=N                    analyses at once, each in a worker process (2)
  --log=verbose               timings on stderr
)";

const char ProxyHelp[] =
    R"(USAGE: peer-tidy clangd [--clangd=PATH] [--peer-...] [clangd options]

Runs clangd and merges peer-* diagnostics and quick fixes into its answers.
Configure it as the editor's clangd. Every other option goes to clangd.

  --clangd=PATH          the clangd to run (default: the clangd of the LLVM
                         peer-tidy was built against, else clangd on PATH)
  --peer-checks=GLOBS    --peer-doc-base-url=URL    --peer-debounce-ms=N
  --peer-analysis-timeout=SECONDS   --peer-analysis-memory=MB
  --peer-preamble=on|off --peer-jobs=N          --peer-log=verbose
                         as --checks, ... of 'peer-tidy lsp'
)";

std::string defaultClangd() {
  std::string Own = std::string(PEER_LLVM_PREFIX) + "/bin/clangd";
  if (sys::fs::can_execute(Own))
    return Own;
  if (ErrorOr<std::string> Found = sys::findProgramByName("clangd"))
    return *Found;
  return "clangd";
}

} // namespace

/// An analysis worker process: dies with the server that started it.
int runWorker(AnalysisOptions Options, pid_t Server) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != Server)
    return 1; // it is gone already
  Stdio IO = takeStdio();
  return lsp::runAnalysisWorker(std::move(Options), IO.In, IO.Out);
}

int runLanguageServer(int Argc, const char **Argv) {
  AnalysisOptions Options;
  pid_t WorkerOf = 0;
  Options.DocBaseURL = defaultDocBaseURL();
  for (int I = 1; I < Argc; ++I) {
    StringRef Arg = Argv[I];
    std::string Error;
    if (Arg == "--help" || Arg == "-help" || Arg == "-h")
      return usage(LspHelp);
    if (Arg == "--version") {
      outs() << "peer-tidy " << peer::Version << " (LLVM " << compat::LLVMMajor
             << ")\n";
      return 0;
    }
    if (Arg == "--stdio") // what VS Code's client passes
      continue;
    if (Arg.consume_front("--analysis-worker=")) { // started by the server
      if (Arg.getAsInteger(10, WorkerOf))
        return 2;
      continue;
    }
    if (!parseAnalysisOption(Arg, "--", Options, Error) || !Error.empty()) {
      WithColor::error(errs(), "peer-tidy lsp")
          << (Error.empty() ? "unknown option '" + Arg.str() + "'" : Error)
          << " (see peer-tidy lsp --help)\n";
      return 2;
    }
  }
  initializeTargets();
  Options.LogPrefix = "peer-tidy lsp";
  if (WorkerOf)
    return runWorker(std::move(Options), WorkerOf);
  return serveLanguageServer(std::move(Options), takeStdio());
}

int runClangdProxy(int Argc, const char **Argv) {
  AnalysisOptions Options;
  Options.DocBaseURL = defaultDocBaseURL();
  Options.LogPrefix = "peer-tidy clangd";
  std::string ClangdPath = defaultClangd();
  std::vector<std::string> ClangdArgs;
  for (int I = 1; I < Argc; ++I) {
    StringRef Arg = Argv[I];
    std::string Error;
    if (Arg.consume_front("--clangd=")) {
      ClangdPath = Arg.str();
      continue;
    }
    if (Arg == "--peer-help")
      return usage(ProxyHelp);
    if (parseAnalysisOption(Arg, "--peer-", Options, Error)) {
      if (!Error.empty()) {
        WithColor::error(errs(), "peer-tidy clangd") << Error << "\n";
        return 2;
      }
      continue;
    }
    if (Arg.starts_with("--peer-")) {
      WithColor::error(errs(), "peer-tidy clangd")
          << "unknown option '" << Arg
          << "' (see peer-tidy clangd --peer-help)\n";
      return 2;
    }
    // clangd's own; we read --compile-commands-dir too.
    if (Arg.starts_with("--compile-commands-dir=") ||
        Arg.starts_with("-compile-commands-dir="))
      Options.CompileCommandsDir = Arg.split('=').second.str();
    else if ((Arg == "--compile-commands-dir" ||
              Arg == "-compile-commands-dir") &&
             I + 1 < Argc)
      Options.CompileCommandsDir = Argv[I + 1];
    ClangdArgs.push_back(Arg.str());
  }

  // Questions to clangd itself, not a session: let clangd answer them.
  for (const std::string &A : ClangdArgs) {
    StringRef Arg(A);
    if (Arg == "--version" || Arg == "-version" || Arg == "--help" ||
        Arg == "-help" || Arg == "--help-hidden" || Arg == "--help-list" ||
        Arg.starts_with("--check") || Arg.starts_with("-check")) {
      std::vector<char *> Args{const_cast<char *>(ClangdPath.c_str())};
      for (std::string &B : ClangdArgs)
        Args.push_back(B.data());
      Args.push_back(nullptr);
      execvp(ClangdPath.c_str(), Args.data());
      WithColor::error(errs(), "peer-tidy clangd")
          << "cannot run clangd '" << ClangdPath << "': " << strerror(errno)
          << " (use --clangd=PATH)\n";
      return 2;
    }
  }

  Stdio IO = takeStdio();
  int ToClangd[2], FromClangd[2];
  if (pipe2(ToClangd, O_CLOEXEC) || pipe2(FromClangd, O_CLOEXEC)) {
    WithColor::error(errs(), "peer-tidy clangd") << "cannot create pipes\n";
    return 2;
  }
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, ToClangd[0], 0);
  posix_spawn_file_actions_adddup2(&Actions, FromClangd[1], 1);
  std::vector<char *> ChildArgv;
  ChildArgv.push_back(const_cast<char *>(ClangdPath.c_str()));
  for (std::string &A : ClangdArgs)
    ChildArgv.push_back(A.data());
  ChildArgv.push_back(nullptr);
  pid_t Pid;
  int Err = posix_spawnp(&Pid, ClangdPath.c_str(), &Actions, nullptr,
                         ChildArgv.data(), environ);
  posix_spawn_file_actions_destroy(&Actions);
  ::close(ToClangd[0]);
  ::close(FromClangd[1]);
  if (Err) {
    WithColor::error(errs(), "peer-tidy clangd")
        << "cannot run clangd '" << ClangdPath << "': " << strerror(Err)
        << " (use --clangd=PATH)\n";
    return 2;
  }
  initializeTargets();
  return serveClangdProxy(std::move(Options), IO, ToClangd[1], FromClangd[0],
                          Pid);
}

} // namespace peer::editor
