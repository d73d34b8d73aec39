//===- ClangdProxy.cpp - peer-tidy clangd ---------------------------------===//
//
// The real clangd behind a proxy that forwards every message untouched
// except the diagnostics it merges and the code actions it extends. On the
// way to clangd the proxy only looks: its method table (MethodTable.h) holds
// the document notifications shared with the language server (Documents.h)
// and records the initialize and code action requests whose answers from
// clangd it will read or extend; it answers nothing itself but the
// requests clangd can no longer answer.
//
//===----------------------------------------------------------------------===//
#include "Servers.h"

#include "DocumentAnalyzer.h"
#include "Documents.h"
#include "JsonLimits.h"
#include "Messages.h"
#include "MethodTable.h"

#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <map>
#include <mutex>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace llvm;

namespace peer::editor {
namespace {

using namespace lsp;

std::string idKey(const json::Value &Id) {
  std::string Key;
  raw_string_ostream OS(Key);
  OS << Id;
  return Key;
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
                   ours(URI, Version, Diagnostics, Shifted);
                 }),
        Documents(Analyzer,
                  {/*Versioned=*/[this](StringRef URI, int64_t Version) {
                     std::lock_guard<std::mutex> Guard(StateLock);
                     Docs[URI.str()].EditorVersion = Version;
                   },
                   /*Closed=*/
                   [this](StringRef URI) {
                     std::lock_guard<std::mutex> Guard(StateLock);
                     Docs.erase(URI.str());
                   }}) {
    // Requests clangd answers: the proxy notes what it will need then.
    Table.request<InitializeParams>(
        "initialize", [this](const InitializeParams &P, Reply R) {
          std::lock_guard<std::mutex> Guard(StateLock);
          InitializeId = idKey(R.id());
          CodeActionLiterals = P.capabilities.codeActionLiterals;
        });
    Table.request<CodeActionParams>(
        "textDocument/codeAction", [this](const CodeActionParams &P, Reply R) {
          std::lock_guard<std::mutex> Guard(StateLock);
          CodeActions[idKey(R.id())] = P;
        });
    Documents.bind(Table);
  }

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
    logLine("peer-tidy: clangd did not exit; terminating it");
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
    std::optional<int64_t> ClangdVersion;
    std::vector<Diagnostic> ClangdDiags;
    bool HaveOurs = false;
    int64_t OurVersion = 0;
    std::vector<Diagnostic> OurDiags;
  };

  /// Whether our findings belong in a publication of clangd's latest
  /// diagnostics: they are for the same version, or for the newest text the
  /// editor sent. (clangd does not republish a text it has diagnosed before,
  /// as after typing a character and undoing it: waiting for it to publish
  /// that version would lose our findings for good.)
  static bool oursBelong(const DocState &S) {
    return S.HaveOurs &&
           (!S.ClangdVersion || *S.ClangdVersion == S.OurVersion ||
            S.OurVersion == S.EditorVersion);
  }

  /// Publishes clangd's latest diagnostics for URI with ours added when they
  /// belong (labelled with our version when that is the newer one). Called
  /// with StateLock held.
  void publishMerged(const std::string &URI, DocState &S) {
    PublishDiagnosticsParams P{URI, S.ClangdVersion, S.ClangdDiags};
    if (oursBelong(S)) {
      llvm::append_range(P.diagnostics, S.OurDiags);
      if (P.version && *P.version < S.OurVersion)
        P.version = S.OurVersion;
    }
    EditorOut.write(notification("textDocument/publishDiagnostics", P));
  }

  void ours(const std::string &URI, int64_t Version, const json::Array &Diags,
            bool Shifted) {
    std::lock_guard<std::mutex> Guard(StateLock);
    DocState &S = Docs[URI];
    S.HaveOurs = true;
    S.OurVersion = Version;
    S.OurDiags = fromJSONArray<Diagnostic>(Diags, "diagnostic");
    // Findings moved by an edit wait for clangd's diagnostics of that edit,
    // to go out with them: no flicker, and clangd's older ones are not
    // republished as if they were for the new text. Fresh findings: the
    // first publication waits for clangd's, to merge into; later ones go out
    // as soon as they are for clangd's version or the newest text.
    if (!Shifted && S.HaveClangd && oursBelong(S))
      publishMerged(URI, S);
  }

  /// Remembers a request the editor sent clangd until clangd answers it.
  void pending(const json::Value &Id) {
    std::lock_guard<std::mutex> Guard(StateLock);
    if (ClangdGone)
      EditorOut.write(errorResponse(Id, InternalError, *ClangdGone));
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
      EditorOut.write(errorResponse(Id, InternalError, *ClangdGone));
  }

  void editorToClangd() {
    FrameReader In(EditorIn);
    std::string Body;
    // An unframeable message (clangd could not read it either) or one nested
    // beyond our parser's stack and clangd's is answered here and never
    // forwarded; clangd would only log it, the editor gets a clear answer.
    lsp::Send ToEditor = [this](json::Value M) { EditorOut.write(M); };
    while (std::optional<json::Value> Message =
               readMessage(In, ToEditor, Body)) {
      bool Exit = observe(*Message);
      ClangdIn.writeRaw(Body); // untouched
      if (Exit)
        return;
    }
  }

  /// Looks at a message from the editor on its way to clangd. Our analysis
  /// only ever reads from it; what is wrong with it is clangd's to answer.
  /// Returns true for 'exit'.
  bool observe(const json::Value &Message) {
    const json::Object *M = Message.getAsObject();
    std::optional<StringRef> Method = M ? M->getString("method") : std::nullopt;
    if (!Method)
      return false;
    if (*Method == "exit")
      return true;
    if (const json::Value *Id = M->get("id"))
      pending(*Id); // whatever its params: clangd owes an answer
    std::optional<Incoming> C =
        unpack(Message, nullptr, /*AnswerErrors=*/false);
    if (!C)
      return false;
    if (C->Id)
      Table.call(C->Method, C->Params, Reply(*C->Id, nullptr));
    else
      consumeError(Table.notify(C->Method, C->Params));
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
    bool MaybeDiags =
        StringRef(Body).contains("textDocument/publishDiagnostics");
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
    if (Method && *Method == "textDocument/publishDiagnostics")
      return clangdPublished(M->get("params"));
    const json::Value *Id = M->get("id");
    if (Method || !Id)
      return false;
    return clangdAnswered(idKey(*Id), *M);
  }

  bool clangdPublished(const json::Value *Params) {
    if (!Params)
      return false;
    Expected<PublishDiagnosticsParams> P =
        MethodTable::parse<PublishDiagnosticsParams>(
            *Params, "textDocument/publishDiagnostics");
    if (!P) { // forwarded as it is
      consumeError(P.takeError());
      return false;
    }
    std::lock_guard<std::mutex> Guard(StateLock);
    DocState &S = Docs[P->uri];
    S.HaveClangd = true;
    S.ClangdVersion = P->version;
    S.ClangdDiags = std::move(P->diagnostics);
    publishMerged(P->uri, S);
    return true;
  }

  /// clangd's response M to the request Key: the encoding it negotiated
  /// from initialize's; our quick fixes added to a code action's.
  bool clangdAnswered(const std::string &Key, json::Object &M) {
    std::optional<CodeActionParams> Request;
    bool IsInitialize = false;
    {
      std::lock_guard<std::mutex> Guard(StateLock);
      Pending.erase(Key);
      IsInitialize = Key == InitializeId;
      if (IsInitialize)
        InitializeId.clear();
    }
    // (The analyzer is called without StateLock: its worker publishes into
    // ours() holding its own lock and then taking StateLock.)
    if (IsInitialize) {
      // clangd negotiated the encoding (LSP 3.17 or its own extension).
      InitializeResult Result;
      json::Path::Root Root;
      if (const json::Value *V = M.get("result");
          V && fromJSON(*V, Result, Root))
        Analyzer.setEncoding(Result.positionEncoding);
      return false;
    }
    {
      std::lock_guard<std::mutex> Guard(StateLock);
      auto It = CodeActions.find(Key);
      if (It == CodeActions.end())
        return false;
      if (CodeActionLiterals) // else clangd answered with Commands; so do we
        Request = std::move(It->second);
      CodeActions.erase(It);
    }
    json::Value *Result = M.get("result");
    if (!Request || !Result || M.get("error"))
      return false;
    std::vector<CodeAction> Ours = fromJSONArray<CodeAction>(
        Analyzer.codeActions(*toJSON(*Request).getAsObject()), "code action");
    if (Ours.empty())
      return false;
    if (Result->kind() == json::Value::Null)
      *Result = json::Array();
    json::Array *Actions = Result->getAsArray();
    if (!Actions)
      return false;
    for (const CodeAction &A : Ours)
      Actions->push_back(toJSON(A));
    EditorOut.write(json::Value(std::move(M)));
    return true;
  }

  /// clangd is gone: everything it said has been forwarded; leave as it did.
  [[noreturn]] void finish() {
    int Status = 0;
    while (waitpid(Clangd, &Status, 0) < 0 && errno == EINTR) {
    }
    answerPending(WIFSIGNALED(Status) ? "clangd was killed by signal " +
                                            std::to_string(WTERMSIG(Status)) +
                                            " before answering"
                                      : "clangd exited before answering");
    if (WIFSIGNALED(Status)) {
      logLine("peer-tidy: clangd was killed by signal " +
              Twine(WTERMSIG(Status)));
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
  std::map<std::string, CodeActionParams> CodeActions;
  std::map<std::string, json::Value> Pending; // requests clangd owes, by id
  std::optional<std::string> ClangdGone;      // why they will get no answer
  MethodTable Table;
  DocumentAnalyzer Analyzer; // its worker uses the rest
  DocumentSync Documents;
};

} // namespace

int serveClangdProxy(AnalysisOptions Options, Stdio IO, int ToClangd,
                     int FromClangd, pid_t Clangd) {
  ClangdProxy Proxy(std::move(Options), IO, ToClangd, FromClangd, Clangd);
  return Proxy.run();
}

} // namespace peer::editor
