//===- Documents.h - the text-document notifications ------------*- C++ -*-===//
//
// textDocument/didOpen, didChange, didSave and didClose, handled the same
// way by both editor servers: the text goes to the DocumentAnalyzer, and the
// server hears of each version (the proxy pairs clangd's diagnostics with
// them) and of each close (the language server clears what it showed, the
// proxy forgets the document).
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_DOCUMENTS_H
#define PEER_TIDY_LSP_DOCUMENTS_H

#include "DocumentAnalyzer.h"
#include "Messages.h"
#include "MethodTable.h"

#include <functional>

namespace peer::lsp {

class DocumentSync {
public:
  struct Hooks {
    /// Before the analyzer sees an opened or changed text of that version.
    std::function<void(llvm::StringRef URI, int64_t Version)> Versioned;
    /// After the analyzer has forgotten the document.
    std::function<void(llvm::StringRef URI)> Closed;
  };
  DocumentSync(DocumentAnalyzer &Analyzer, Hooks H)
      : Analyzer(Analyzer), H(std::move(H)) {}

  /// Binds the four notifications in Table.
  void bind(MethodTable &Table);

  void didOpen(const DidOpenTextDocumentParams &P);
  void didChange(const DidChangeTextDocumentParams &P);
  void didSave(const DidSaveTextDocumentParams &P);
  void didClose(const DidCloseTextDocumentParams &P);

private:
  DocumentAnalyzer &Analyzer;
  Hooks H;
};

} // namespace peer::lsp

#endif
