//===- LanguageServer.cpp - peer-tidy lsp ---------------------------------===//
//
// A language server offering peer-* diagnostics and their quick fixes,
// nothing else, next to the editor's clangd. Its methods are one table
// (MethodTable.h): the lifecycle (initialize, shutdown) here, the document
// notifications shared with the proxy (Documents.h), and code actions. The
// lifecycle's rules come before the table: nothing but initialize before
// it, no request after shutdown, exit at any time.
//
//===----------------------------------------------------------------------===//
#include "Servers.h"

#include "DocumentAnalyzer.h"
#include "Documents.h"
#include "Messages.h"
#include "MethodTable.h"
#include "Version.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace peer::editor {
namespace {

using namespace lsp;

class LanguageServer {
public:
  LanguageServer(AnalysisOptions Options, Stdio IO)
      : In(IO.In), Out(IO.Out),
        Analyzer(std::move(Options),
                 [this](const std::string &URI, int64_t Version,
                        json::Array Diagnostics, bool /*Shifted*/) {
                   publish(URI, Version, Diagnostics);
                 }),
        Documents(Analyzer, {/*Versioned=*/nullptr,
                             /*Closed=*/[this](StringRef URI) {
                               // clear what we showed
                               publish(URI.str(), -1, json::Array());
                             }}) {
    Table.request<InitializeParams>(
        "initialize",
        [this](const auto &P, Reply R) { initialize(P, std::move(R)); });
    Table.request<NoParams>("shutdown", [this](const NoParams &, Reply R) {
      ShutdownRequested = true;
      R(nullptr);
      Analyzer.stop(); // after the answer; it cancels running analyses
    });
    Documents.bind(Table);
    Table.request<CodeActionParams>(
        "textDocument/codeAction",
        [this](const auto &P, Reply R) { codeAction(P, std::move(R)); });
    // Other notifications ($/cancelRequest, initialized, ...) need nothing.
  }

  int run() {
    std::string Body;
    while (std::optional<json::Value> Message = readMessage(In, Send(), Body))
      if (std::optional<int> Exit = handle(*Message)) {
        Analyzer.stop();
        return *Exit;
      }
    Analyzer.stop();
    return ShutdownRequested ? 0 : 1;
  }

private:
  lsp::Send Send() {
    return [this](json::Value Message) { Out.write(Message); };
  }

  void publish(const std::string &URI, int64_t Version,
               const json::Array &Diags) {
    PublishDiagnosticsParams P;
    P.uri = URI;
    if (Version >= 0)
      P.version = Version;
    P.diagnostics = fromJSONArray<Diagnostic>(Diags, "diagnostic");
    Out.write(notification("textDocument/publishDiagnostics", P));
  }

  /// Returns the exit code once the client says exit.
  std::optional<int> handle(const json::Value &Message) {
    std::optional<Incoming> C = unpack(Message, Send());
    if (!C)
      return std::nullopt;
    if (C->Method == "exit")
      return ShutdownRequested ? 0 : 1;
    if (!Initialized && C->Method != "initialize") {
      if (C->Id)
        Out.write(errorResponse(*C->Id, ServerNotInitialized,
                                "the server is not initialized"));
      return std::nullopt;
    }
    if (ShutdownRequested && C->Id) {
      Out.write(
          errorResponse(*C->Id, InvalidRequest, "the server is shutting down"));
      return std::nullopt;
    }
    Table.dispatch(*C, Send());
    return std::nullopt;
  }

  void initialize(const InitializeParams &P, Reply R) {
    if (Initialized)
      return R(make_error<LSPError>("the server is already initialized",
                                    InvalidRequest));
    Initialized = true;
    Encoding E =
        P.capabilities.positionEncodingUTF8 ? Encoding::UTF8 : Encoding::UTF16;
    Analyzer.setEncoding(E);
    CodeActionLiterals = P.capabilities.codeActionLiterals;
    InitializeResult Result;
    Result.positionEncoding = E;
    Result.codeActionKinds = {"quickfix"};
    Result.serverName = "peer-tidy";
    Result.serverVersion = peer::Version;
    R(toJSON(Result));
  }

  void codeAction(const CodeActionParams &P, Reply R) {
    std::vector<CodeAction> Actions;
    // Without literals only Commands may answer, and we have none.
    if (CodeActionLiterals)
      Actions = fromJSONArray<CodeAction>(
          Analyzer.codeActions(*toJSON(P).getAsObject()), "code action");
    R(json::Value(std::move(Actions)));
  }

  FrameReader In;
  FrameWriter Out;
  bool Initialized = false;
  bool ShutdownRequested = false;
  bool CodeActionLiterals = false;
  MethodTable Table;
  DocumentAnalyzer Analyzer; // its worker uses Out
  DocumentSync Documents;
};

} // namespace

int serveLanguageServer(AnalysisOptions Options, Stdio IO) {
  LanguageServer Server(std::move(Options), IO);
  return Server.run();
}

} // namespace peer::editor
