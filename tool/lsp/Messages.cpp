//===- Messages.cpp - the LSP messages peer-tidy reads and writes ---------===//
#include "Messages.h"

using namespace llvm;
using llvm::json::Object;
using llvm::json::ObjectMapper;

namespace peer::lsp {

bool fromJSON(const Value &V, Position &P, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("line", P.line) && O.map("character", P.character);
}
Value toJSON(const Position &P) {
  return Object{{"line", P.line}, {"character", P.character}};
}

bool fromJSON(const Value &V, Range &R, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("start", R.start) && O.map("end", R.end);
}
Value toJSON(const Range &R) {
  return Object{{"start", R.start}, {"end", R.end}};
}

bool fromJSON(const Value &V, Location &L, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("uri", L.uri) && O.map("range", L.range);
}
Value toJSON(const Location &L) {
  return Object{{"uri", L.uri}, {"range", L.range}};
}

bool fromJSON(const Value &V, TextEdit &E, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("range", E.range) && O.map("newText", E.newText);
}
Value toJSON(const TextEdit &E) {
  return Object{{"range", E.range}, {"newText", E.newText}};
}

bool fromJSON(const Value &V, WorkspaceEdit &E, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.mapOptional("changes", E.changes);
}
Value toJSON(const WorkspaceEdit &E) {
  Object Changes;
  for (const auto &[URI, Edits] : E.changes)
    Changes[URI] = Edits;
  return Object{{"changes", std::move(Changes)}};
}

bool fromJSON(const Value &V, DiagnosticRelatedInformation &I, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("location", I.location) && O.map("message", I.message);
}
Value toJSON(const DiagnosticRelatedInformation &I) {
  return Object{{"location", I.location}, {"message", I.message}};
}

bool fromJSON(const Value &V, Diagnostic &D, Path Where) {
  ObjectMapper O(V, Where);
  if (!O || !O.map("range", D.range) || !O.map("message", D.message) ||
      !O.map("severity", D.severity) || !O.map("source", D.source) ||
      !O.map("relatedInformation", D.relatedInformation))
    return false;
  const Object &M = *V.getAsObject();
  if (const Value *Code = M.get("code"))
    D.code = *Code;
  if (const Value *Data = M.get("data"))
    D.data = *Data;
  if (const Value *Description = M.get("codeDescription")) {
    ObjectMapper C(*Description, Where.field("codeDescription"));
    std::string Href;
    if (!C || !C.map("href", Href))
      return false;
    D.codeDescriptionHref = std::move(Href);
  }
  static constexpr StringLiteral Modelled[] = {
      "range", "message",         "severity",           "source",
      "code",  "codeDescription", "relatedInformation", "data"};
  for (const auto &[Key, Member] : M)
    if (!is_contained(Modelled, StringRef(Key)))
      D.other[Key] = Member;
  return true;
}
Value toJSON(const Diagnostic &D) {
  Object Out = D.other;
  Out["range"] = D.range;
  Out["message"] = D.message;
  if (D.severity)
    Out["severity"] = *D.severity;
  if (D.code)
    Out["code"] = *D.code;
  if (D.codeDescriptionHref)
    Out["codeDescription"] = Object{{"href", *D.codeDescriptionHref}};
  if (D.source)
    Out["source"] = *D.source;
  if (D.relatedInformation)
    Out["relatedInformation"] = *D.relatedInformation;
  if (D.data)
    Out["data"] = *D.data;
  return Out;
}

bool fromJSON(const Value &V, PublishDiagnosticsParams &P, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("uri", P.uri) && O.map("version", P.version) &&
         O.map("diagnostics", P.diagnostics);
}
Value toJSON(const PublishDiagnosticsParams &P) {
  Object Out{{"uri", P.uri}, {"diagnostics", P.diagnostics}};
  if (P.version)
    Out["version"] = *P.version;
  return Out;
}

bool fromJSON(const Value &V, CodeAction &A, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("title", A.title) && O.map("kind", A.kind) &&
         O.map("diagnostics", A.diagnostics) &&
         O.map("isPreferred", A.isPreferred) && O.map("edit", A.edit);
}
Value toJSON(const CodeAction &A) {
  Object Out{{"title", A.title}};
  if (A.kind)
    Out["kind"] = *A.kind;
  if (A.diagnostics)
    Out["diagnostics"] = *A.diagnostics;
  if (A.isPreferred)
    Out["isPreferred"] = *A.isPreferred;
  if (A.edit)
    Out["edit"] = *A.edit;
  return Out;
}

bool fromJSON(const Value &V, TextDocumentIdentifier &D, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("uri", D.uri);
}
Value toJSON(const TextDocumentIdentifier &D) { return Object{{"uri", D.uri}}; }

bool fromJSON(const Value &V, VersionedTextDocumentIdentifier &D, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("uri", D.uri) && O.mapOptional("version", D.version);
}
Value toJSON(const VersionedTextDocumentIdentifier &D) {
  return Object{{"uri", D.uri}, {"version", D.version}};
}

bool fromJSON(const Value &V, TextDocumentItem &D, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("uri", D.uri) &&
         O.mapOptional("languageId", D.languageId) &&
         O.mapOptional("version", D.version) && O.map("text", D.text);
}
Value toJSON(const TextDocumentItem &D) {
  return Object{{"uri", D.uri},
                {"languageId", D.languageId},
                {"version", D.version},
                {"text", D.text}};
}

bool fromJSON(const Value &V, DidOpenTextDocumentParams &P, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("textDocument", P.textDocument);
}
Value toJSON(const DidOpenTextDocumentParams &P) {
  return Object{{"textDocument", P.textDocument}};
}

bool fromJSON(const Value &V, TextDocumentContentChangeEvent &E, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("range", E.range) && O.map("rangeLength", E.rangeLength) &&
         O.map("text", E.text);
}
Value toJSON(const TextDocumentContentChangeEvent &E) {
  Object Out{{"text", E.text}};
  if (E.range)
    Out["range"] = *E.range;
  if (E.rangeLength)
    Out["rangeLength"] = *E.rangeLength;
  return Out;
}

bool fromJSON(const Value &V, DidChangeTextDocumentParams &P, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("textDocument", P.textDocument) &&
         O.map("contentChanges", P.contentChanges);
}
Value toJSON(const DidChangeTextDocumentParams &P) {
  return Object{{"textDocument", P.textDocument},
                {"contentChanges", P.contentChanges}};
}

bool fromJSON(const Value &V, DidSaveTextDocumentParams &P, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("textDocument", P.textDocument) && O.map("text", P.text);
}
Value toJSON(const DidSaveTextDocumentParams &P) {
  Object Out{{"textDocument", P.textDocument}};
  if (P.text)
    Out["text"] = *P.text;
  return Out;
}

bool fromJSON(const Value &V, DidCloseTextDocumentParams &P, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("textDocument", P.textDocument);
}
Value toJSON(const DidCloseTextDocumentParams &P) {
  return Object{{"textDocument", P.textDocument}};
}

bool fromJSON(const Value &V, CodeActionContext &C, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.mapOptional("diagnostics", C.diagnostics) &&
         O.map("only", C.only);
}
Value toJSON(const CodeActionContext &C) {
  Object Out{{"diagnostics", C.diagnostics}};
  if (C.only)
    Out["only"] = *C.only;
  return Out;
}

bool fromJSON(const Value &V, CodeActionParams &P, Path Where) {
  ObjectMapper O(V, Where);
  return O && O.map("textDocument", P.textDocument) &&
         O.map("range", P.range) && O.mapOptional("context", P.context);
}
Value toJSON(const CodeActionParams &P) {
  return Object{{"textDocument", P.textDocument},
                {"range", P.range},
                {"context", P.context}};
}

bool fromJSON(const Value &V, ClientCapabilities &C, Path) {
  const Object *Caps = V.getAsObject();
  if (!Caps)
    return true;
  if (const Object *General = Caps->getObject("general"))
    if (const json::Array *Encodings = General->getArray("positionEncodings"))
      for (const Value &E : *Encodings)
        if (E.getAsString() == StringRef("utf-8"))
          C.positionEncodingUTF8 = true;
  const Object *TD = Caps->getObject("textDocument");
  const Object *CA = TD ? TD->getObject("codeAction") : nullptr;
  C.codeActionLiterals = CA && CA->getObject("codeActionLiteralSupport");
  return true;
}

bool fromJSON(const Value &V, InitializeParams &P, Path Where) {
  if (const Object *M = V.getAsObject())
    if (const Value *Caps = M->get("capabilities"))
      return fromJSON(*Caps, P.capabilities, Where.field("capabilities"));
  return true;
}

bool fromJSON(const Value &V, InitializeResult &R, Path Where) {
  const Object *M = V.getAsObject();
  if (!M) {
    Where.report("expected object");
    return false;
  }
  std::optional<StringRef> Name;
  const Object *Caps = M->getObject("capabilities");
  if (Caps)
    Name = Caps->getString("positionEncoding");
  if (!Name)
    Name = M->getString("offsetEncoding");
  R.positionEncoding =
      Name && *Name == "utf-8" ? Encoding::UTF8 : Encoding::UTF16;
  if (const Object *Sync =
          Caps ? Caps->getObject("textDocumentSync") : nullptr) {
    R.openClose = Sync->getBoolean("openClose").value_or(false);
    R.change = Sync->getInteger("change").value_or(0);
    const Object *Save = Sync->getObject("save");
    R.saveIncludeText = Save && Save->getBoolean("includeText").value_or(false);
  }
  if (const Object *CA = Caps ? Caps->getObject("codeActionProvider") : nullptr)
    if (const json::Array *Kinds = CA->getArray("codeActionKinds"))
      for (const Value &K : *Kinds)
        if (std::optional<StringRef> S = K.getAsString())
          R.codeActionKinds.push_back(S->str());
  if (const Object *Info = M->getObject("serverInfo")) {
    R.serverName = Info->getString("name").value_or("").str();
    R.serverVersion = Info->getString("version").value_or("").str();
  }
  return true;
}
Value toJSON(const InitializeResult &R) {
  Object Sync{{"openClose", R.openClose},
              {"change", R.change},
              {"save", Object{{"includeText", R.saveIncludeText}}}};
  Object Capabilities{
      {"positionEncoding", encodingName(R.positionEncoding)},
      {"textDocumentSync", std::move(Sync)},
      {"codeActionProvider", Object{{"codeActionKinds", R.codeActionKinds}}},
  };
  return Object{{"capabilities", std::move(Capabilities)},
                {"serverInfo",
                 Object{{"name", R.serverName}, {"version", R.serverVersion}}}};
}

} // namespace peer::lsp
