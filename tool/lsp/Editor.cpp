//===- Editor.cpp - peer-tidy in the editor -------------------------------===//
//
// peer-tidy lsp: a language server offering peer-* diagnostics and their
// quick fixes, nothing else. peer-tidy clangd: the real clangd behind a proxy
// that forwards every message untouched except the diagnostics it merges and
// the code actions it extends.
//
// Longer than 600 lines because it holds both servers, which share their
// document handling; the typed protocol layer of issue 14 is meant to split
// them into one file each.
//
//===----------------------------------------------------------------------===//
#include "Editor.h"

#include "Compat.h"
#include "DocumentAnalyzer.h"
#include "JsonLimits.h"
#include "Protocol.h"
#include "Version.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace llvm;

namespace peer::editor {
namespace {

using lsp::AnalysisOptions;
using lsp::DocumentAnalyzer;
using lsp::Encoding;
using lsp::FrameReader;
using lsp::FrameWriter;

/// The protocol owns stdin and stdout: keep private descriptors for them and
/// point fd 0 at /dev/null and fd 1 at stderr, so that nothing the compiler
/// or a check prints can corrupt the stream.
struct Stdio {
  int In = -1, Out = -1;
};
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

/// Whether the client's initialize params accept CodeAction literals (LSP
/// 3.8); without them only Commands may be returned, and we have none.
bool takesCodeActionLiterals(const json::Object &InitializeParams) {
  const json::Object *Caps = InitializeParams.getObject("capabilities");
  const json::Object *TD = Caps ? Caps->getObject("textDocument") : nullptr;
  const json::Object *CA = TD ? TD->getObject("codeAction") : nullptr;
  return CA && CA->getObject("codeActionLiteralSupport");
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
      Error = "invalid " + Prefix.str() + "debounce-ms value '" + Value.str() + "'";
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

const char ProxyHelp[] = R"(USAGE: peer-tidy clangd [--clangd=PATH] [--peer-...] [clangd options]

Runs clangd and merges peer-* diagnostics and quick fixes into its answers.
Configure it as the editor's clangd. Every other option goes to clangd.

  --clangd=PATH          the clangd to run (default: the clangd of the LLVM
                         peer-tidy was built against, else clangd on PATH)
  --peer-checks=GLOBS    --peer-doc-base-url=URL    --peer-debounce-ms=N
  --peer-analysis-timeout=SECONDS   --peer-analysis-memory=MB
  --peer-preamble=on|off --peer-jobs=N          --peer-log=verbose
                         as --checks, ... of 'peer-tidy lsp'
)";

//===----------------------------------------------------------------------===//
// peer-tidy lsp
//===----------------------------------------------------------------------===//

class LanguageServer {
public:
  LanguageServer(AnalysisOptions Options, Stdio IO)
      : In(IO.In), Out(IO.Out),
        Analyzer(std::move(Options),
                 [this](const std::string &URI, int64_t Version,
                        json::Array Diagnostics, bool /*Shifted*/) {
                   publish(URI, Version, std::move(Diagnostics));
                 }) {}

  int run() {
    std::string Body, Error;
    for (;;) {
      switch (In.next(Body, Error)) {
      case FrameReader::Eof:
        Analyzer.stop();
        return ShutdownRequested ? 0 : 1;
      case FrameReader::Malformed:
        Out.write(lsp::errorResponse(nullptr, lsp::ParseError,
                                     "malformed message: " + Error));
        continue;
      case FrameReader::Message:
        break;
      }
      json::Value Reply = nullptr;
      std::optional<json::Value> Parsed = lsp::parseMessage(Body, Reply);
      if (!Parsed) {
        Out.write(Reply);
        continue;
      }
      if (std::optional<int> Exit = handle(*Parsed)) {
        Analyzer.stop();
        return *Exit;
      }
    }
  }

private:
  void publish(const std::string &URI, int64_t Version, json::Array Diags) {
    json::Object Params{{"uri", URI}, {"diagnostics", std::move(Diags)}};
    if (Version >= 0)
      Params["version"] = Version;
    Out.write(lsp::notification("textDocument/publishDiagnostics",
                                std::move(Params)));
  }

  /// One request or notification: its id (null for a notification) and
  /// params (empty when absent).
  struct Call {
    StringRef Method;
    json::Value Id = nullptr;
    bool IsRequest = false;
    const json::Object *Params = nullptr;
  };

  /// Returns the exit code once the client says exit.
  std::optional<int> handle(const json::Value &Message) {
    std::optional<Call> C = unpack(Message);
    if (!C)
      return std::nullopt;
    if (C->Method == "exit")
      return ShutdownRequested ? 0 : 1;
    if (!Initialized && C->Method != "initialize") {
      if (C->IsRequest)
        Out.write(lsp::errorResponse(C->Id, lsp::ServerNotInitialized,
                                     "the server is not initialized"));
      return std::nullopt;
    }
    if (ShutdownRequested && C->IsRequest) {
      Out.write(lsp::errorResponse(C->Id, lsp::InvalidRequest,
                                   "the server is shutting down"));
      return std::nullopt;
    }
    if (C->Method == "initialize")
      initialize(*C);
    else if (C->Method == "shutdown") {
      ShutdownRequested = true;
      Out.write(lsp::response(C->Id, nullptr));
      Analyzer.stop(); // after the answer; it cancels running analyses
    } else if (!document(*C) && C->IsRequest)
      Out.write(lsp::errorResponse(C->Id, lsp::MethodNotFound,
                                   "method not found: " + C->Method.str()));
    // Other notifications ($/cancelRequest, initialized, ...) need nothing.
    return std::nullopt;
  }

  /// The message as a Call, or nullopt after answering what is wrong with it
  /// (and for responses: we send no requests).
  std::optional<Call> unpack(const json::Value &Message) {
    const json::Object *M = Message.getAsObject();
    if (!M) {
      Out.write(lsp::errorResponse(nullptr, lsp::InvalidRequest,
                                   "a message must be a JSON object"));
      return std::nullopt;
    }
    Call C;
    const json::Value *IdPtr = M->get("id");
    C.IsRequest = IdPtr != nullptr;
    if (IdPtr)
      C.Id = *IdPtr;
    std::optional<StringRef> Method = M->getString("method");
    if (!Method) {
      if (!M->get("result") && !M->get("error"))
        Out.write(lsp::errorResponse(C.Id, lsp::InvalidRequest,
                                     "a message without 'method' must be a "
                                     "response"));
      return std::nullopt;
    }
    C.Method = *Method;
    static const json::Object NoParams;
    const json::Value *ParamsValue = M->get("params");
    C.Params = ParamsValue ? ParamsValue->getAsObject() : &NoParams;
    if (ParamsValue && !C.Params && ParamsValue->kind() != json::Value::Null) {
      if (C.IsRequest)
        Out.write(lsp::errorResponse(C.Id, lsp::InvalidParams,
                                     "'params' must be an object"));
      return std::nullopt;
    }
    if (!C.Params)
      C.Params = &NoParams;
    return C;
  }

  void initialize(const Call &C) {
    if (Initialized) {
      Out.write(lsp::errorResponse(C.Id, lsp::InvalidRequest,
                                   "the server is already initialized"));
      return;
    }
    Initialized = true;
    Encoding E = Encoding::UTF16;
    if (const json::Object *Caps = C.Params->getObject("capabilities"))
      if (const json::Object *General = Caps->getObject("general"))
        if (const json::Array *Encodings =
                General->getArray("positionEncodings"))
          for (const json::Value &V : *Encodings)
            if (V.getAsString() == StringRef("utf-8"))
              E = Encoding::UTF8;
    Analyzer.setEncoding(E);
    CodeActionLiterals = takesCodeActionLiterals(*C.Params);
    json::Object Sync{{"openClose", true},
                      {"change", 2},
                      {"save", json::Object{{"includeText", false}}}};
    json::Object Capabilities{
        {"positionEncoding", lsp::encodingName(E)},
        {"textDocumentSync", std::move(Sync)},
        {"codeActionProvider",
         json::Object{{"codeActionKinds", json::Array{"quickfix"}}}},
    };
    Out.write(lsp::response(
        C.Id, json::Object{{"capabilities", std::move(Capabilities)},
                           {"serverInfo",
                            json::Object{{"name", "peer-tidy"},
                                         {"version", peer::Version}}}}));
  }

  /// The textDocument/* methods; false for any other.
  bool document(const Call &C) {
    const json::Object *TD = C.Params->getObject("textDocument");
    std::optional<StringRef> URI = TD ? TD->getString("uri") : std::nullopt;
    auto Require = [&](bool Present, StringRef What) {
      if (Present)
        return true;
      if (C.IsRequest)
        Out.write(lsp::errorResponse(C.Id, lsp::InvalidParams,
                                     What.str() + " required"));
      else
        errs() << "peer-tidy: ignoring " << C.Method << ": " << What
               << " required\n";
      return false;
    };
    if (C.Method == "textDocument/didOpen") {
      std::optional<StringRef> Text = TD ? TD->getString("text") : std::nullopt;
      if (Require(URI && Text, "textDocument.uri and .text are"))
        Analyzer.open(*URI, TD->getInteger("version").value_or(0),
                      Text->str());
    } else if (C.Method == "textDocument/didChange") {
      const json::Array *Changes = C.Params->getArray("contentChanges");
      if (Require(URI && Changes, "textDocument.uri and contentChanges are"))
        Analyzer.change(*URI, TD->getInteger("version").value_or(0), *Changes);
    } else if (C.Method == "textDocument/didSave") {
      std::optional<StringRef> Text = C.Params->getString("text");
      if (Require(URI.has_value(), "textDocument.uri is"))
        Analyzer.save(*URI, Text ? std::optional<std::string>(Text->str())
                                 : std::nullopt);
    } else if (C.Method == "textDocument/didClose") {
      if (Require(URI.has_value(), "textDocument.uri is")) {
        Analyzer.close(*URI);
        publish(URI->str(), -1, json::Array()); // clear what we showed
      }
    } else if (C.Method == "textDocument/codeAction") {
      if (Require(URI && C.Params->getObject("range"),
                  "textDocument.uri and range are"))
        Out.write(lsp::response(C.Id, CodeActionLiterals
                                          ? Analyzer.codeActions(*C.Params)
                                          : json::Array()));
    } else {
      return false;
    }
    return true;
  }

  FrameReader In;
  FrameWriter Out;
  bool Initialized = false;
  bool ShutdownRequested = false;
  bool CodeActionLiterals = false;
  DocumentAnalyzer Analyzer; // last: its worker uses Out
};

//===----------------------------------------------------------------------===//
// peer-tidy clangd
//===----------------------------------------------------------------------===//

std::string idKey(const json::Value &Id) {
  std::string Key;
  raw_string_ostream OS(Key);
  OS << Id;
  return Key;
}

std::string defaultClangd() {
  std::string Own = std::string(PEER_LLVM_PREFIX) + "/bin/clangd";
  if (sys::fs::can_execute(Own))
    return Own;
  if (ErrorOr<std::string> Found = sys::findProgramByName("clangd"))
    return *Found;
  return "clangd";
}

class ClangdProxy {
public:
  ClangdProxy(AnalysisOptions Options, Stdio IO, int ToClangd, int FromClangd,
              pid_t Clangd)
      : EditorIn(IO.In), EditorOut(IO.Out), ClangdIn(ToClangd),
        ClangdOut(FromClangd), Clangd(Clangd),
        Analyzer(std::move(Options),
                 [this](const std::string &URI, int64_t Version,
                        json::Array Diagnostics, bool Shifted) {
                   ours(URI, Version, std::move(Diagnostics), Shifted);
                 }) {}

  int run() {
    std::thread FromClangd([this] { clangdToEditor(); });
    FromClangd.detach();
    editorToClangd();
    // The editor hung up or said exit: clangd follows; clangdToEditor() ends
    // the process with clangd's status. Never hang on a clangd that doesn't.
    ::close(ClangdIn.fd());
    Analyzer.stop(); // leave clangd the CPU to finish
    // clangd may take many seconds to wind down (it finishes indexing the
    // standard library first); give it a minute before we insist.
    for (int Tenths = 0; Tenths < 600; ++Tenths)
      usleep(100000);
    errs() << "peer-tidy: clangd did not exit; terminating it\n";
    kill(Clangd, SIGTERM);
    for (int Tenths = 0; Tenths < 50; ++Tenths)
      usleep(100000);
    kill(Clangd, SIGKILL);
    for (;;)
      pause();
  }

private:
  struct FdWriter : FrameWriter {
    explicit FdWriter(int FD) : FrameWriter(FD), FD(FD) {}
    int fd() const { return FD; }
    int FD;
  };

  struct DocState {
    int64_t EditorVersion = 0; // of the newest text the editor sent
    bool HaveClangd = false;
    json::Value ClangdVersion = nullptr;
    json::Array ClangdDiags;
    bool HaveOurs = false;
    int64_t OurVersion = 0;
    json::Array OurDiags;
  };

  /// Whether our findings belong in a publication of clangd's latest
  /// diagnostics: they are for the same version, or for the newest text the
  /// editor sent. (clangd does not republish a text it has diagnosed before,
  /// as after typing a character and undoing it: waiting for it to publish
  /// that version would lose our findings for good.)
  static bool oursBelong(const DocState &S) {
    std::optional<int64_t> V = S.ClangdVersion.getAsInteger();
    return S.HaveOurs &&
           (!V || *V == S.OurVersion || S.OurVersion == S.EditorVersion);
  }

  /// Publishes clangd's latest diagnostics for URI with ours added when they
  /// belong (labelled with our version when that is the newer one). Called
  /// with StateLock held.
  void publishMerged(const std::string &URI, DocState &S) {
    json::Array All = S.ClangdDiags;
    json::Value Version = S.ClangdVersion;
    if (oursBelong(S)) {
      for (const json::Value &D : S.OurDiags)
        All.push_back(D);
      if (Version.getAsInteger() && *Version.getAsInteger() < S.OurVersion)
        Version = S.OurVersion;
    }
    json::Object Params{{"uri", URI}, {"diagnostics", std::move(All)}};
    if (Version.kind() != json::Value::Null)
      Params["version"] = std::move(Version);
    EditorOut.write(lsp::notification("textDocument/publishDiagnostics",
                                      std::move(Params)));
  }

  void ours(const std::string &URI, int64_t Version, json::Array Diags,
            bool Shifted) {
    std::lock_guard<std::mutex> Guard(StateLock);
    DocState &S = Docs[URI];
    S.HaveOurs = true;
    S.OurVersion = Version;
    S.OurDiags = std::move(Diags);
    // Findings moved by an edit wait for clangd's diagnostics of that edit,
    // to go out with them: no flicker, and clangd's older ones are not
    // republished as if they were for the new text. Fresh findings: the
    // first publication waits for clangd's, to merge into; later ones go out
    // as soon as they are for clangd's version or the newest text.
    if (!Shifted && S.HaveClangd && oursBelong(S))
      publishMerged(URI, S);
  }

  void editorVersion(StringRef URI, int64_t Version) {
    std::lock_guard<std::mutex> Guard(StateLock);
    Docs[URI.str()].EditorVersion = Version;
  }

  /// Remembers a request the editor sent clangd until clangd answers it.
  void pending(const json::Value &Id) {
    std::lock_guard<std::mutex> Guard(StateLock);
    if (ClangdGone)
      EditorOut.write(lsp::errorResponse(Id, lsp::InternalError, *ClangdGone));
    else
      Pending.try_emplace(idKey(Id), Id);
  }

  /// clangd is gone: every request it left unanswered gets an error.
  void answerPending(std::string Why) {
    std::map<std::string, json::Value> Unanswered;
    {
      std::lock_guard<std::mutex> Guard(StateLock);
      ClangdGone = std::move(Why);
      Unanswered.swap(Pending);
    }
    for (const auto &[Key, Id] : Unanswered)
      EditorOut.write(lsp::errorResponse(Id, lsp::InternalError, *ClangdGone));
  }

  void editorToClangd() {
    FrameReader In(EditorIn);
    std::string Body, Error;
    for (;;) {
      FrameReader::Status St = In.next(Body, Error);
      if (St == FrameReader::Eof)
        return;
      if (St == FrameReader::Malformed) {
        // Unframeable: clangd could not read it either. Answer for it.
        EditorOut.write(lsp::errorResponse(nullptr, lsp::ParseError,
                                           "malformed message: " + Error));
        continue;
      }
      // Over-deep nesting would overflow our parser's stack and clangd's:
      // it is answered here and never forwarded.
      json::Value Reply = nullptr;
      std::optional<json::Value> Parsed = lsp::parseMessage(Body, Reply);
      if (!Parsed) {
        // clangd would only log this; the editor gets a clear answer.
        EditorOut.write(Reply);
        continue;
      }
      bool Exit = observe(*Parsed);
      ClangdIn.writeRaw(Body); // untouched
      if (Exit)
        return;
    }
  }

  /// Looks at a message from the editor on its way to clangd. Our analysis
  /// only ever reads from it. Returns true for 'exit'.
  bool observe(const json::Value &Message) {
    const json::Object *M = Message.getAsObject();
    if (!M)
      return false;
    std::optional<StringRef> Method = M->getString("method");
    const json::Object *Params = M->getObject("params");
    if (!Method)
      return false;
    if (*Method == "exit")
      return true;
    if (!Params) {
      if (const json::Value *Id = M->get("id"))
        pending(*Id); // shutdown
      return false;
    }
    const json::Value *Id = M->get("id");
    if (Id)
      pending(*Id);
    const json::Object *TD = Params->getObject("textDocument");
    std::optional<StringRef> URI = TD ? TD->getString("uri") : std::nullopt;
    if (*Method == "initialize" && Id) {
      std::lock_guard<std::mutex> Guard(StateLock);
      InitializeId = idKey(*Id);
      CodeActionLiterals = takesCodeActionLiterals(*Params);
    } else if (*Method == "textDocument/didOpen" && URI) {
      int64_t Version = TD->getInteger("version").value_or(0);
      editorVersion(*URI, Version);
      if (std::optional<StringRef> Text = TD->getString("text"))
        Analyzer.open(*URI, Version, Text->str());
    } else if (*Method == "textDocument/didChange" && URI) {
      int64_t Version = TD->getInteger("version").value_or(0);
      editorVersion(*URI, Version);
      if (const json::Array *Changes = Params->getArray("contentChanges"))
        Analyzer.change(*URI, Version, *Changes);
    } else if (*Method == "textDocument/didSave" && URI) {
      std::optional<StringRef> Text = Params->getString("text");
      Analyzer.save(*URI, Text ? std::optional<std::string>(Text->str())
                               : std::nullopt);
    } else if (*Method == "textDocument/didClose" && URI) {
      Analyzer.close(*URI);
      std::lock_guard<std::mutex> Guard(StateLock);
      Docs.erase(URI->str());
    } else if (*Method == "textDocument/codeAction" && Id) {
      std::lock_guard<std::mutex> Guard(StateLock);
      CodeActions[idKey(*Id)] = json::Object(*Params);
    }
    return false;
  }

  void clangdToEditor() {
    FrameReader In(ClangdOut);
    std::string Body, Error;
    for (;;) {
      FrameReader::Status St = In.next(Body, Error);
      if (St == FrameReader::Eof)
        break;
      if (St == FrameReader::Malformed)
        continue; // not from a working clangd; nothing to forward
      if (!forwardFromClangd(Body))
        EditorOut.writeRaw(Body);
    }
    finish();
  }

  /// Handles the messages we merge into; false means forward untouched.
  bool forwardFromClangd(const std::string &Body) {
    // Cheap tests first: most traffic is neither kind.
    bool MaybeDiags = StringRef(Body).contains("textDocument/publishDiagnostics");
    bool MaybeResponse = StringRef(Body).contains("\"id\"");
    if (!MaybeDiags && !MaybeResponse)
      return false;
    Expected<json::Value> Parsed = tool::parseBoundedJson(Body);
    if (!Parsed) {
      consumeError(Parsed.takeError());
      return false;
    }
    json::Object *M = Parsed->getAsObject();
    if (!M)
      return false;
    std::optional<StringRef> Method = M->getString("method");
    if (Method && *Method == "textDocument/publishDiagnostics") {
      json::Object *Params = M->getObject("params");
      std::optional<StringRef> URI = Params ? Params->getString("uri")
                                            : std::nullopt;
      json::Array *Diags = Params ? Params->getArray("diagnostics") : nullptr;
      if (!URI || !Diags)
        return false;
      std::lock_guard<std::mutex> Guard(StateLock);
      DocState &S = Docs[URI->str()];
      S.HaveClangd = true;
      const json::Value *V = Params->get("version");
      S.ClangdVersion = V ? *V : json::Value(nullptr);
      S.ClangdDiags = std::move(*Diags);
      publishMerged(URI->str(), S);
      return true;
    }
    const json::Value *Id = M->get("id");
    if (Method || !Id)
      return false;
    std::string Key = idKey(*Id);
    {
      std::lock_guard<std::mutex> Guard(StateLock);
      Pending.erase(Key);
    }
    std::optional<json::Object> Request;
    bool IsInitialize = false;
    {
      std::lock_guard<std::mutex> Guard(StateLock);
      IsInitialize = Key == InitializeId;
      if (IsInitialize)
        InitializeId.clear();
    }
    // (The analyzer is called without StateLock: its worker publishes into
    // ours() holding its own lock and then taking StateLock.)
    if (IsInitialize) {
      // clangd negotiated the encoding (LSP 3.17 or its own extension).
      if (const json::Object *Result = M->getObject("result")) {
        std::optional<StringRef> Name;
        if (const json::Object *Caps = Result->getObject("capabilities"))
          Name = Caps->getString("positionEncoding");
        if (!Name)
          Name = Result->getString("offsetEncoding");
        Analyzer.setEncoding(Name && *Name == "utf-8" ? Encoding::UTF8
                                                      : Encoding::UTF16);
      }
      return false;
    }
    {
      std::lock_guard<std::mutex> Guard(StateLock);
      auto It = CodeActions.find(Key);
      if (It == CodeActions.end())
        return false;
      if (!CodeActionLiterals) { // clangd answered with Commands; so do we
        CodeActions.erase(It);
        return false;
      }
      Request = std::move(It->second);
      CodeActions.erase(It);
    }
    json::Value *Result = M->get("result");
    if (!Result || M->get("error"))
      return false;
    json::Array Ours = Analyzer.codeActions(*Request);
    if (Ours.empty())
      return false;
    if (Result->kind() == json::Value::Null)
      *Result = json::Array();
    json::Array *Actions = Result->getAsArray();
    if (!Actions)
      return false;
    for (json::Value &A : Ours)
      Actions->push_back(std::move(A));
    EditorOut.write(*Parsed);
    return true;
  }

  /// clangd is gone: everything it said has been forwarded; leave as it did.
  [[noreturn]] void finish() {
    int Status = 0;
    while (waitpid(Clangd, &Status, 0) < 0 && errno == EINTR) {
    }
    answerPending(WIFSIGNALED(Status)
                      ? "clangd was killed by signal " +
                            std::to_string(WTERMSIG(Status)) +
                            " before answering"
                      : "clangd exited before answering");
    if (WIFSIGNALED(Status)) {
      errs() << "peer-tidy: clangd was killed by signal " << WTERMSIG(Status)
             << "\n";
      errs().flush();
      EditorOut.close();
      signal(WTERMSIG(Status), SIG_DFL);
      raise(WTERMSIG(Status));
      _exit(128 + WTERMSIG(Status));
    }
    errs().flush();
    EditorOut.close(); // no message of ours cut in half by the exit
    _exit(WIFEXITED(Status) ? WEXITSTATUS(Status) : 1);
  }

  int EditorIn;
  FrameWriter EditorOut;
  FdWriter ClangdIn;
  int ClangdOut;
  pid_t Clangd;
  std::mutex StateLock;
  std::map<std::string, DocState> Docs;
  std::string InitializeId;
  bool CodeActionLiterals = false;
  std::map<std::string, json::Object> CodeActions;
  std::map<std::string, json::Value> Pending; // requests clangd owes, by id
  std::optional<std::string> ClangdGone;      // why they will get no answer
  DocumentAnalyzer Analyzer; // last: its worker uses the rest
};

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
      outs() << "peer-tidy " << peer::Version << " (LLVM "
             << compat::LLVMMajor << ")\n";
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
  LanguageServer Server(std::move(Options), takeStdio());
  return Server.run();
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
          << "unknown option '" << Arg << "' (see peer-tidy clangd --peer-help)\n";
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
  ClangdProxy Proxy(std::move(Options), IO, ToClangd[1], FromClangd[0], Pid);
  return Proxy.run();
}

} // namespace peer::editor
