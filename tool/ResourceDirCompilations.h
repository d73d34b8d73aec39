//===- ResourceDirCompilations.h - the real clang resource dir -*- C++ -*-===//
//
// Shared by the command line and the editor server.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_RESOURCEDIRCOMPILATIONS_H
#define PEER_TIDY_RESOURCEDIRCOMPILATIONS_H

#include "Version.h"

#include "clang/Tooling/CompilationDatabase.h"

namespace peer {

/// The compilation database as given, with clang's real resource directory
/// put first on every command so that builtin headers (stddef.h, ...) resolve
/// wherever peer-tidy itself is installed; the user's own flags still win.
class ResourceDirCompilations : public clang::tooling::CompilationDatabase {
public:
  explicit ResourceDirCompilations(
      const clang::tooling::CompilationDatabase &Base)
      : Base(Base) {}

  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef File) const override {
    std::vector<clang::tooling::CompileCommand> Commands =
        Base.getCompileCommands(File);
    for (clang::tooling::CompileCommand &Command : Commands)
      if (!Command.CommandLine.empty())
        Command.CommandLine.insert(Command.CommandLine.begin() + 1,
                                   std::string("-resource-dir=") +
                                       ClangResourceDir);
    return Commands;
  }
  std::vector<std::string> getAllFiles() const override {
    return Base.getAllFiles();
  }

private:
  const clang::tooling::CompilationDatabase &Base;
};

} // namespace peer

#endif
