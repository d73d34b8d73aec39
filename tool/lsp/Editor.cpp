//===- Editor.cpp - peer-tidy in the editor (not built yet) ---------------===//
#include "Editor.h"

#include "llvm/Support/WithColor.h"

namespace peer::editor {

static int notYet(const char *What) {
  llvm::WithColor::error(llvm::errs(), "peer-tidy")
      << What << " is not available in this build yet (see docs/editors.md)\n";
  return 2;
}

int runLanguageServer(int, const char **) { return notYet("'peer-tidy lsp'"); }
int runClangdProxy(int, const char **) { return notYet("'peer-tidy clangd'"); }

} // namespace peer::editor
