//===- Editor.h - peer-tidy in the editor ---------------------*- C++ -*-===//
//
// The two editor deliveries, reached as subcommands of peer-tidy:
//   peer-tidy lsp [options]            a language server for peer-* alone
//   peer-tidy clangd [clangd args...]  a proxy that is clangd for the editor
// Each takes the arguments after its subcommand word (Argv[0] is the word)
// and returns the process exit code.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_EDITOR_H
#define PEER_TIDY_EDITOR_H

namespace peer::editor {
int runLanguageServer(int Argc, const char **Argv);
int runClangdProxy(int Argc, const char **Argv);
} // namespace peer::editor

#endif
