//===- Servers.h - the two editor servers, behind their CLI -----*- C++ -*-===//
//
// What EditorMain.cpp (the command lines of peer-tidy lsp and peer-tidy
// clangd) starts once the options are read: LanguageServer.cpp and
// ClangdProxy.cpp. Each returns the process exit code.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_SERVERS_H
#define PEER_TIDY_LSP_SERVERS_H

#include "Analysis.h"

#include <sys/types.h>

namespace peer::editor {

/// The private descriptors of the protocol's stdin and stdout.
struct Stdio {
  int In = -1, Out = -1;
};

int serveLanguageServer(lsp::AnalysisOptions Options, Stdio IO);
/// clangd runs as Clangd, reading ToClangd and writing FromClangd.
int serveClangdProxy(lsp::AnalysisOptions Options, Stdio IO, int ToClangd,
                     int FromClangd, pid_t Clangd);

} // namespace peer::editor

#endif
