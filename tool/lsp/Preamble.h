//===- Preamble.h - the checks over a reused preamble -----------*- C++ -*-===//
//
// An analysis parses the whole translation unit; most of that time goes to
// the file's includes, which rarely change while the user types below them.
// As clangd does, a clang::PrecompiledPreamble of the include region is
// built once per document and reused (kept in memory, in the worker) while
// that region, the headers it read, the open buffers and the compile command
// stay the same; the checks then run on the main file parsed over it. The
// compile command, the configuration's argument edits and the checks are the
// command line's (runClangTidy's), so the findings are too.
//
// As clangd's, the preamble skips function bodies: those of the system
// headers (Preamble.cpp says which are kept), so that the main file's calls
// instantiate no system template's body, most of what its parse costs
// otherwise. A file with a function template that the headers' code may
// instantiate is parsed over a preamble with those bodies instead (each
// instantiation of such a template can hold findings).
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_PREAMBLE_H
#define PEER_TIDY_LSP_PREAMBLE_H

#include "ClangTidy.h"
#include "ClangTidyDiagnosticConsumer.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <list>
#include <set>
#include <string>
#include <vector>

namespace peer::lsp {

class PreambleCache {
public:
  /// How the last run() went: its preamble was reused, built, or not used
  /// (it could not be built: the file was parsed whole).
  enum Use { Reused, Built, Unused };

  /// runClangTidy for one file, over its cached preamble. Key names what
  /// else the preamble depends on and the file system does not show (the
  /// other open buffers' contents).
  std::vector<clang::tidy::ClangTidyError>
  run(clang::tidy::ClangTidyContext &Context,
      const clang::tooling::CompilationDatabase &Compilations,
      llvm::StringRef File,
      llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
      llvm::StringRef Key);

  Use lastUse() const { return LastUse; }
  /// Whether the last run() parsed over a preamble without the bodies of
  /// the system headers' functions (PreambleAction).
  bool lastSkippedBodies() const {
    return LastUse != Unused && LastSkippedBodies;
  }

  /// Preambles kept at most (the most recently used; each is some tens of
  /// MB for a large include set).
  static constexpr size_t Capacity = 4;

private:
  friend class PreambleAction;
  struct Entry {
    std::string File, Key; // Key: the cc1 command line and the caller's key
    clang::PrecompiledPreamble Preamble;
    llvm::StringSet<> Spelt; // the identifiers its code spells
  };
  /// The entry for File that fits; nullptr if none (an old one is dropped).
  Entry *find(llvm::StringRef File, llvm::StringRef Key);
  Entry &add(std::string File, std::string Key, clang::PrecompiledPreamble P,
             llvm::StringSet<> Spelt);

  std::list<Entry> Entries; // most recently used first
  Use LastUse = Unused;
  bool LastSkippedBodies = false;
  /// Files whose last parse found a function template that the preamble's
  /// code may instantiate: they are parsed over a preamble with the bodies.
  std::set<std::string> WithBodies;
};

} // namespace peer::lsp

#endif
