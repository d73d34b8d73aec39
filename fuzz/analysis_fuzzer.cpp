//===- analysis_fuzzer.cpp - (b) the peer-* analysis on mutated C++ -------===//
//
// One translation unit from the fuzzer's bytes (an in-memory file, with the
// tests' API headers on the include path), parsed and run through every
// peer-* check in this process, with the fixes computed. Compile errors are
// expected; crashes, sanitizer reports and hangs are not.
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "ResourceDirCompilations.h"

#include "ClangTidyOptions.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"

using namespace llvm;
using namespace clang;

namespace compat = peer::compat;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  // In memory only, in a directory that exists: the tool changes into it.
  static const std::string File = PEER_SOURCE_ROOT "/fuzz/input.cpp";
  IntrusiveRefCntPtr<vfs::InMemoryFileSystem> Memory(
      new vfs::InMemoryFileSystem);
  Memory->addFile(
      File, 0,
      MemoryBuffer::getMemBufferCopy(
          StringRef(reinterpret_cast<const char *>(Data), Size), File));
  IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS(
      new vfs::OverlayFileSystem(vfs::getRealFileSystem()));
  FS->pushOverlay(Memory);

  tooling::FixedCompilationDatabase DB(
      PEER_SOURCE_ROOT "/fuzz",
      {"-std=c++20", "-fsyntax-only", "-I" PEER_SOURCE_ROOT "/include",
       "-I" PEER_SOURCE_ROOT "/test/checks/Inputs",
       "-I" PEER_SOURCE_ROOT "/test/lsp/Inputs", "-ferror-limit=20"});
  peer::ResourceDirCompilations Compilations(DB);

  tidy::ClangTidyOptions Options = tidy::ClangTidyOptions::getDefaults();
  Options.Checks = "-*,peer-*";
  Options.HeaderFilterRegex = "";
  Options.SystemHeaders = false;
  auto Context =
      compat::makeContext(std::make_unique<tidy::DefaultOptionsProvider>(
          tidy::ClangTidyGlobalOptions(), Options));
  std::vector<tidy::ClangTidyError> Errors = compat::runChecks(
      *Context, Compilations, {File}, FS, /*ApplyAnyFix=*/true,
      /*Quiet=*/true);
  (void)Errors;
  return 0;
}
