//===- Cache.cpp - results of unchanged translation units -----------------===//
//
// An entry is found in two steps, like ccache's direct mode:
//  1. the key names the entry: a hash of the peer-tidy build (version, LLVM
//     version, and the executable's size and time, so a rebuilt binary with
//     changed checks never reuses old results), the unit's compile commands,
//     its effective configuration (configurationAsText of the options for the
//     file, so .clang-tidy, --config and --checks all count), whether fixes of
//     notes are collected, and the salt (--line-filter);
//  2. the entry lists every file the compiler opened for the unit (main file,
//     headers, builtin headers) with a hash of its contents; it is used only
//     if every one of them still hashes the same.
// Together that is the hash of every file the unit read, the flags, the
// configuration and the tool: exact, with no timestamps involved. Entries are
// YAML: the unit's diagnostics in clang's own tooling::Diagnostic format
// (the one --export-fixes writes), plus what the reports need besides.
//
//===----------------------------------------------------------------------===//
#include "Cache.h"

#include "Version.h"

#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace peer::tool {
namespace {

struct CachedInput {
  std::string Path;
  std::string Hash;
};

struct CachedFinding {
  std::string EnclosingFunction;
  bool WarningAsError = false;
};

struct CacheEntry {
  std::vector<CachedInput> Inputs;
  std::vector<CachedFinding> Findings; ///< Parallel to Diagnostics.
  ClangTidyStats Stats;
  tooling::TranslationUnitDiagnostics Diagnostics;
};

} // namespace
} // namespace peer::tool

LLVM_YAML_IS_SEQUENCE_VECTOR(peer::tool::CachedInput)
LLVM_YAML_IS_SEQUENCE_VECTOR(peer::tool::CachedFinding)

namespace llvm::yaml {
template <> struct MappingTraits<peer::tool::CachedInput> {
  static void mapping(IO &Io, peer::tool::CachedInput &Input) {
    Io.mapRequired("Path", Input.Path);
    Io.mapRequired("Hash", Input.Hash);
  }
};
template <> struct MappingTraits<peer::tool::CachedFinding> {
  static void mapping(IO &Io, peer::tool::CachedFinding &Finding) {
    Io.mapOptional("Function", Finding.EnclosingFunction, std::string());
    Io.mapOptional("WarningAsError", Finding.WarningAsError, false);
  }
};
template <> struct MappingTraits<ClangTidyStats> {
  static void mapping(IO &Io, ClangTidyStats &Stats) {
    Io.mapOptional("Displayed", Stats.ErrorsDisplayed, 0u);
    Io.mapOptional("IgnoredCheckFilter", Stats.ErrorsIgnoredCheckFilter, 0u);
    Io.mapOptional("IgnoredNOLINT", Stats.ErrorsIgnoredNOLINT, 0u);
    Io.mapOptional("IgnoredNonUserCode", Stats.ErrorsIgnoredNonUserCode, 0u);
    Io.mapOptional("IgnoredLineFilter", Stats.ErrorsIgnoredLineFilter, 0u);
  }
};
template <> struct MappingTraits<peer::tool::CacheEntry> {
  static void mapping(IO &Io, peer::tool::CacheEntry &Entry) {
    Io.mapRequired("Inputs", Entry.Inputs);
    Io.mapRequired("Findings", Entry.Findings);
    Io.mapRequired("Stats", Entry.Stats);
    Io.mapRequired("Diagnostics", Entry.Diagnostics);
  }
};
} // namespace llvm::yaml

namespace peer::tool {
namespace {

std::string hex(ArrayRef<uint8_t> Bytes) { return toHex(Bytes, true); }

/// The running executable's identity: a rebuild changes it.
std::string toolIdentity() {
  std::string Identity = std::string("peer-tidy ") + peer::Version +
                         " LLVM " LLVM_VERSION_STRING;
  std::string Self = sys::fs::getMainExecutable(nullptr, nullptr);
  sys::fs::file_status Status;
  if (!Self.empty() && !sys::fs::status(Self, Status))
    Identity += " " + Self + " " + std::to_string(Status.getSize()) + " " +
                std::to_string(Status.getLastModificationTime()
                                   .time_since_epoch()
                                   .count());
  return Identity;
}

} // namespace

ResultCache::ResultCache(std::string Directory, std::string Salt)
    : Directory(std::move(Directory)), Salt(toolIdentity() + "\n" + Salt) {
  sys::fs::create_directories(this->Directory);
}

std::string
ResultCache::keyFor(const tooling::CompilationDatabase &Compilations,
                    StringRef File, ClangTidyOptionsProvider &Options,
                    bool ApplyAnyFix) {
  SHA256 Hash;
  auto Add = [&](StringRef Text) {
    Hash.update(Text);
    Hash.update(StringRef("\0", 1));
  };
  Add(Salt);
  SmallString<256> Absolute(File);
  sys::fs::make_absolute(Absolute);
  Add(Absolute);
  for (const tooling::CompileCommand &Command :
       Compilations.getCompileCommands(Absolute)) {
    Add(Command.Directory);
    Add(Command.Filename);
    for (const std::string &Argument : Command.CommandLine)
      Add(Argument);
  }
  Add(configurationAsText(Options.getOptions(Absolute)));
  Add(ApplyAnyFix ? "fix-notes" : "");
  return hex(Hash.final());
}

std::optional<std::string> ResultCache::contentHash(StringRef Path) {
  {
    std::lock_guard<std::mutex> Lock(HashesMutex);
    auto It = Hashes.find(Path);
    if (It != Hashes.end())
      return It->second;
  }
  std::optional<std::string> Result;
  if (auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false)) {
    uint64_t Value = xxh3_64bits((*Buffer)->getBuffer());
    Result = utohexstr(Value, /*LowerCase=*/true) + "-" +
             std::to_string((*Buffer)->getBufferSize());
  }
  std::lock_guard<std::mutex> Lock(HashesMutex);
  Hashes[Path] = Result;
  return Result;
}

std::string ResultCache::entryPath(StringRef Key) const {
  SmallString<256> Path(Directory);
  sys::path::append(Path, Key.take_front(2), Key.str() + ".yaml");
  return std::string(Path);
}

std::optional<TranslationUnitResult> ResultCache::lookup(StringRef Key) {
  auto Buffer = MemoryBuffer::getFile(entryPath(Key));
  if (!Buffer) {
    ++Misses;
    return std::nullopt;
  }
  CacheEntry Entry;
  yaml::Input Reader((*Buffer)->getBuffer());
  Reader >> Entry;
  bool Usable =
      !Reader.error() &&
      Entry.Findings.size() == Entry.Diagnostics.Diagnostics.size() &&
      all_of(Entry.Inputs, [&](const CachedInput &Input) {
        std::optional<std::string> Now = contentHash(Input.Path);
        return Now && *Now == Input.Hash;
      });
  if (!Usable) {
    ++Misses;
    return std::nullopt;
  }
  ++Hits;
  TranslationUnitResult Result;
  Result.Stats = Entry.Stats;
  for (size_t I = 0; I < Entry.Findings.size(); ++I) {
    const tooling::Diagnostic &Diag = Entry.Diagnostics.Diagnostics[I];
    ClangTidyError Error(Diag.DiagnosticName, Diag.DiagLevel,
                         Diag.BuildDirectory,
                         Entry.Findings[I].WarningAsError);
    static_cast<tooling::Diagnostic &>(Error) = Diag;
    Result.Findings.push_back(
        {std::move(Error), Entry.Findings[I].EnclosingFunction});
  }
  for (const CachedInput &Input : Entry.Inputs)
    Result.FilesRead.push_back(Input.Path);
  return Result;
}

void ResultCache::store(StringRef Key, const TranslationUnitResult &Result) {
  CacheEntry Entry;
  for (const std::string &Path : Result.FilesRead) {
    std::optional<std::string> Hash = contentHash(Path);
    if (!Hash)
      return; // Gone already: nothing exact to store.
    Entry.Inputs.push_back({Path, *Hash});
  }
  Entry.Stats = Result.Stats;
  Entry.Diagnostics.MainSourceFile = Result.File;
  for (const Finding &F : Result.Findings) {
    Entry.Findings.push_back({F.EnclosingFunction, F.Error.IsWarningAsError});
    Entry.Diagnostics.Diagnostics.push_back(F.Error);
  }

  // Written aside and renamed into place: parallel jobs and concurrent CI
  // runs may share the directory, and a reader must never see half an entry.
  std::string Path = entryPath(Key);
  sys::fs::create_directories(sys::path::parent_path(Path));
  SmallString<256> Temporary;
  int FD;
  if (sys::fs::createUniqueFile(Path + ".%%%%%%.tmp", FD, Temporary))
    return;
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    yaml::Output Writer(OS);
    Writer << Entry;
  }
  if (sys::fs::rename(Temporary, Path))
    sys::fs::remove(Temporary);
}

} // namespace peer::tool
