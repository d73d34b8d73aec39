//===- Messages.h - the LSP messages peer-tidy reads and writes -*- C++ -*-===//
//
// Typed structs for the parts of LSP 3.17 that the two editor servers
// (peer-tidy lsp, peer-tidy clangd) read and write, each with fromJSON/toJSON
// through llvm::json::ObjectMapper, as clangd's Protocol.h has them. Field
// names are the protocol's, so that a struct reads as its specification.
//
// What a field requires follows what the servers need, not more: the fields
// the specification marks required and the servers use are required (a
// request missing one is answered InvalidParams); the others are optional
// and default as the specification says. A Diagnostic keeps the members it
// does not model (clangd's category, tags, codeActions ...) so that the proxy
// forwards clangd's diagnostics unchanged.
//
// A new message: its struct and fromJSON/toJSON here, a round trip in
// test/unit/MessagesTest.cpp, its handler in the server's method table
// (docs/contributing.md).
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_MESSAGES_H
#define PEER_TIDY_LSP_MESSAGES_H

#include "Protocol.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace peer::lsp {

using llvm::json::Path;
using llvm::json::Value;

/// A position in a document: zero-based line, and character in the
/// negotiated encoding's code units (Protocol.h converts to byte offsets).
struct Position {
  int64_t line = 0;
  int64_t character = 0;
  friend bool operator==(const Position &A, const Position &B) {
    return A.line == B.line && A.character == B.character;
  }
};
bool fromJSON(const Value &V, Position &P, Path Where);
Value toJSON(const Position &P);

struct Range {
  Position start;
  Position end;
  friend bool operator==(const Range &A, const Range &B) {
    return A.start == B.start && A.end == B.end;
  }
};
bool fromJSON(const Value &V, Range &R, Path Where);
Value toJSON(const Range &R);

struct Location {
  std::string uri;
  Range range;
};
bool fromJSON(const Value &V, Location &L, Path Where);
Value toJSON(const Location &L);

struct TextEdit {
  Range range;
  std::string newText;
};
bool fromJSON(const Value &V, TextEdit &E, Path Where);
Value toJSON(const TextEdit &E);

/// The edits of a code action, by document URI.
struct WorkspaceEdit {
  std::map<std::string, std::vector<TextEdit>> changes;
};
bool fromJSON(const Value &V, WorkspaceEdit &E, Path Where);
Value toJSON(const WorkspaceEdit &E);

struct DiagnosticRelatedInformation {
  Location location;
  std::string message;
};
bool fromJSON(const Value &V, DiagnosticRelatedInformation &I, Path Where);
Value toJSON(const DiagnosticRelatedInformation &I);

struct Diagnostic {
  Range range;
  std::optional<int64_t> severity; // 1 error, 2 warning, 3 information, 4 hint
  std::optional<Value> code;       // a string or a number
  std::optional<std::string> codeDescriptionHref; // codeDescription.href
  std::optional<std::string> source;
  std::string message;
  std::optional<std::vector<DiagnosticRelatedInformation>> relatedInformation;
  std::optional<Value> data;
  /// The members not modelled above, kept as they came.
  llvm::json::Object other;
};
bool fromJSON(const Value &V, Diagnostic &D, Path Where);
Value toJSON(const Diagnostic &D);

/// textDocument/publishDiagnostics (server to client).
struct PublishDiagnosticsParams {
  std::string uri;
  std::optional<int64_t> version;
  std::vector<Diagnostic> diagnostics;
};
bool fromJSON(const Value &V, PublishDiagnosticsParams &P, Path Where);
Value toJSON(const PublishDiagnosticsParams &P);

struct CodeAction {
  std::string title;
  std::optional<std::string> kind;
  std::optional<std::vector<Diagnostic>> diagnostics;
  std::optional<bool> isPreferred;
  std::optional<WorkspaceEdit> edit;
};
bool fromJSON(const Value &V, CodeAction &A, Path Where);
Value toJSON(const CodeAction &A);

struct TextDocumentIdentifier {
  std::string uri;
};
bool fromJSON(const Value &V, TextDocumentIdentifier &D, Path Where);
Value toJSON(const TextDocumentIdentifier &D);

/// The version defaults to 0 when a client leaves it out.
struct VersionedTextDocumentIdentifier {
  std::string uri;
  int64_t version = 0;
};
bool fromJSON(const Value &V, VersionedTextDocumentIdentifier &D, Path Where);
Value toJSON(const VersionedTextDocumentIdentifier &D);

struct TextDocumentItem {
  std::string uri;
  std::string languageId;
  int64_t version = 0;
  std::string text;
};
bool fromJSON(const Value &V, TextDocumentItem &D, Path Where);
Value toJSON(const TextDocumentItem &D);

struct DidOpenTextDocumentParams {
  TextDocumentItem textDocument;
};
bool fromJSON(const Value &V, DidOpenTextDocumentParams &P, Path Where);
Value toJSON(const DidOpenTextDocumentParams &P);

/// One edit: the new text of Range, or of the whole document without one.
struct TextDocumentContentChangeEvent {
  std::optional<Range> range;
  std::optional<int64_t> rangeLength;
  std::string text;
};
bool fromJSON(const Value &V, TextDocumentContentChangeEvent &E, Path Where);
Value toJSON(const TextDocumentContentChangeEvent &E);

struct DidChangeTextDocumentParams {
  VersionedTextDocumentIdentifier textDocument;
  std::vector<TextDocumentContentChangeEvent> contentChanges;
};
bool fromJSON(const Value &V, DidChangeTextDocumentParams &P, Path Where);
Value toJSON(const DidChangeTextDocumentParams &P);

struct DidSaveTextDocumentParams {
  TextDocumentIdentifier textDocument;
  std::optional<std::string> text; // with save.includeText
};
bool fromJSON(const Value &V, DidSaveTextDocumentParams &P, Path Where);
Value toJSON(const DidSaveTextDocumentParams &P);

struct DidCloseTextDocumentParams {
  TextDocumentIdentifier textDocument;
};
bool fromJSON(const Value &V, DidCloseTextDocumentParams &P, Path Where);
Value toJSON(const DidCloseTextDocumentParams &P);

struct CodeActionContext {
  std::vector<Diagnostic> diagnostics; // the ones the client asks about
  std::optional<std::vector<std::string>> only;
};
bool fromJSON(const Value &V, CodeActionContext &C, Path Where);
Value toJSON(const CodeActionContext &C);

struct CodeActionParams {
  TextDocumentIdentifier textDocument;
  Range range;
  CodeActionContext context; // empty when a client leaves it out
};
bool fromJSON(const Value &V, CodeActionParams &P, Path Where);
Value toJSON(const CodeActionParams &P);

/// The client capabilities the servers look at, flattened as clangd's
/// ClientCapabilities: reading them never fails (a capability of an
/// unexpected shape is one the client does not have).
struct ClientCapabilities {
  /// general.positionEncodings (LSP 3.17) includes "utf-8".
  bool positionEncodingUTF8 = false;
  /// textDocument.codeAction.codeActionLiteralSupport (LSP 3.8): without
  /// it only Commands may answer a code action request.
  bool codeActionLiterals = false;
};
bool fromJSON(const Value &V, ClientCapabilities &C, Path Where);

struct InitializeParams {
  ClientCapabilities capabilities;
};
bool fromJSON(const Value &V, InitializeParams &P, Path Where);

/// What a server says it does. Read from clangd's answer, only the position
/// encoding matters (LSP 3.17's positionEncoding, or clangd's older
/// offsetEncoding extension beside the capabilities).
struct InitializeResult {
  Encoding positionEncoding = Encoding::UTF16;
  bool openClose = true;
  int64_t change = 2; // TextDocumentSyncKind.Incremental
  bool saveIncludeText = false;
  std::vector<std::string> codeActionKinds;
  std::string serverName;
  std::string serverVersion;
};
bool fromJSON(const Value &V, InitializeResult &R, Path Where);
Value toJSON(const InitializeResult &R);

/// A request or notification without params (shutdown, exit, initialized).
struct NoParams {};
inline bool fromJSON(const Value &, NoParams &, Path) { return true; }

/// Each element of A as a T; an element that is not one is dropped and
/// logged to stderr with What.
template <typename T>
std::vector<T> fromJSONArray(const llvm::json::Array &A, llvm::StringRef What) {
  std::vector<T> Out;
  for (const Value &V : A) {
    llvm::json::Path::Root Root(What);
    T Item;
    if (fromJSON(V, Item, Root))
      Out.push_back(std::move(Item));
    else
      llvm::errs() << "peer-tidy: dropping " << What << ": "
                   << llvm::toString(Root.getError()) << "\n";
  }
  return Out;
}

} // namespace peer::lsp

#endif
