//===- Documents.cpp - the text-document notifications --------------------===//
#include "Documents.h"

using namespace llvm;

namespace peer::lsp {

void DocumentSync::bind(MethodTable &Table) {
  Table.notification<DidOpenTextDocumentParams>(
      "textDocument/didOpen", [this](const auto &P) { didOpen(P); });
  Table.notification<DidChangeTextDocumentParams>(
      "textDocument/didChange", [this](const auto &P) { didChange(P); });
  Table.notification<DidSaveTextDocumentParams>(
      "textDocument/didSave", [this](const auto &P) { didSave(P); });
  Table.notification<DidCloseTextDocumentParams>(
      "textDocument/didClose", [this](const auto &P) { didClose(P); });
}

void DocumentSync::didOpen(const DidOpenTextDocumentParams &P) {
  const TextDocumentItem &TD = P.textDocument;
  if (H.Versioned)
    H.Versioned(TD.uri, TD.version);
  Analyzer.open(TD.uri, TD.version, TD.text);
}

void DocumentSync::didChange(const DidChangeTextDocumentParams &P) {
  if (H.Versioned)
    H.Versioned(P.textDocument.uri, P.textDocument.version);
  json::Array Changes;
  for (const TextDocumentContentChangeEvent &C : P.contentChanges)
    Changes.push_back(toJSON(C));
  Analyzer.change(P.textDocument.uri, P.textDocument.version, Changes);
}

void DocumentSync::didSave(const DidSaveTextDocumentParams &P) {
  Analyzer.save(P.textDocument.uri, P.text);
}

void DocumentSync::didClose(const DidCloseTextDocumentParams &P) {
  Analyzer.close(P.textDocument.uri);
  if (H.Closed)
    H.Closed(P.textDocument.uri);
}

} // namespace peer::lsp
