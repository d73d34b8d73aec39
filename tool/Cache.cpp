//===- Cache.cpp - results of unchanged translation units -----------------===//
//
// One file of about 700 lines on purpose: the key, the entry's format and its
// validation change together (a mismatch between them is a stale result), so
// they are kept where one reading sees all three.
//
// An entry is found in two steps, like ccache's direct mode:
//  1. the key names the entry: a hash of the peer-tidy build (version, LLVM
//     version, and a hash of the executable's contents, so a rebuilt binary
//     with changed checks never reuses old results), the unit's compile
//     commands,
//     its effective configuration (configurationAsText of the options for the
//     file, so .clang-tidy, --config and --checks all count), whether fixes of
//     notes are collected, and the salt (--line-filter);
//     the contents of a PeerSummaryFile the configuration names;
//     and the environment variables that add include directories (CPATH,
//     C_INCLUDE_PATH, CPLUS_INCLUDE_PATH, OBJC_INCLUDE_PATH,
//     OBJCPLUS_INCLUDE_PATH);
//  2. the entry lists every file the compiler opened for the unit (main file,
//     headers, builtin headers) with a hash of its contents, and every path
//     it probed and did not find (include directories tried before the one
//     an include resolved in, the file beside the source for "..." includes,
//     __has_include, missing -I directories, the driver's own probes); it is
//     used only if every file still hashes the same and every probed path is
//     still absent.
// Together that is the hash of every file the unit read or could have read
// instead, the flags, the configuration and the tool: exact, with no
// timestamps involved.
//
// Keys and entries do not depend on where the checkout is: a path under one
// of the checkout roots (the git work tree, the compilation database's
// directory, the working directory) is written with the root replaced by a
// marker naming its role, and the markers of an entry are replaced by this
// run's roots before its inputs are checked and its findings replayed. So a
// clone elsewhere (--cache-url's other machines) finds the entry, checks its
// own files against it, and gets findings at its own paths.
//
// Entries are
// YAML: the unit's diagnostics in clang's own tooling::Diagnostic format
// (the one --export-fixes writes), plus what the reports need besides.
//
// An entry is sealed: a first line with the length and xxh3 hash of the YAML
// after it. A truncated or altered entry fails the seal and is a miss (and is
// rewritten by that unit's analysis); an entry that is not a regular file (a
// FIFO, a symlink to /dev/zero) is a miss without being read.
//
// Longer than 600 lines because the key, the checkout-relative paths and the
// sealed entry are one contract, read and written here and nowhere else.
//
//===----------------------------------------------------------------------===//
#include "Cache.h"

#include "JsonLimits.h"
#include "RemoteCache.h"
#include "Version.h"

#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <fcntl.h>
#include <unistd.h>

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace peer::tool {

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
  std::vector<std::string> Absent;     ///< Probed and not found.
  std::vector<CachedFinding> Findings; ///< Parallel to Diagnostics.
  ClangTidyStats Stats;
  tooling::TranslationUnitDiagnostics Diagnostics;
  /// The unit's summary (Summaries.h): "role entry" lines, and the
  /// unresolved names.
  std::vector<std::string> Exported;
  std::vector<std::string> Unresolved;
};

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
    Io.mapRequired("Absent", Entry.Absent);
    Io.mapRequired("Findings", Entry.Findings);
    Io.mapRequired("Stats", Entry.Stats);
    Io.mapRequired("Diagnostics", Entry.Diagnostics);
    Io.mapRequired("Exported", Entry.Exported);
    Io.mapRequired("Unresolved", Entry.Unresolved);
  }
};
} // namespace llvm::yaml

namespace peer::tool {
namespace {

std::string hex(ArrayRef<uint8_t> Bytes) { return toHex(Bytes, true); }

/// The environment variables through which the driver adds include
/// directories: they change what a unit includes without changing its
/// command.
constexpr const char *IncludePathVariables[] = {
    "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH",
    "OBJCPLUS_INCLUDE_PATH"};

std::optional<std::unique_ptr<MemoryBuffer>>
readRegularFile(StringRef Path, bool FollowSymlinks);

/// The running executable's identity: a rebuild with any change changes it.
/// Its contents, not its path or time, so that the same build installed on
/// every CI machine (or in two checkouts) shares entries.
std::string toolIdentity() {
  std::string Identity =
      std::string("peer-tidy ") + peer::Version + " LLVM " LLVM_VERSION_STRING;
  std::string Self = sys::fs::getMainExecutable(nullptr, nullptr);
  if (auto Buffer = readRegularFile(Self, /*FollowSymlinks=*/true)) {
    Identity += ' ';
    Identity += utohexstr(xxh3_64bits((*Buffer)->getBuffer()),
                          /*LowerCase=*/true);
    Identity += '-';
    Identity += std::to_string((*Buffer)->getBufferSize());
  } else {
    // Unreadable: nothing shared, but never a stale entry.
    Identity += " " + Self + " " + std::to_string(sys::Process::getProcessId());
  }
  return Identity;
}

} // namespace

ResultCache::ResultCache(std::string Directory, std::string Salt,
                         std::vector<CheckoutRoot> Roots,
                         std::unique_ptr<RemoteCache> Remote)
    : Directory(std::move(Directory)), Salt(toolIdentity() + "\n" + Salt),
      Remote(std::move(Remote)) {
  // The first root of each path wins (callers list them by preference); "/"
  // and relative paths are no roots.
  for (CheckoutRoot &Root : Roots) {
    SmallString<256> Path(Root.Path);
    sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    while (Path.size() > 1 && Path.back() == '/')
      Path.pop_back();
    if (!sys::path::is_absolute(Path) || Path == "/" || Root.Role.empty() ||
        any_of(this->Roots,
               [&](const CheckoutRoot &R) { return R.Path == Path; }))
      continue;
    this->Roots.push_back({Root.Role, std::string(Path)});
  }
  // The longest first (a build directory inside the repository is its
  // own); equally long ones in the callers' order.
  for (size_t I = 1; I < this->Roots.size(); ++I)
    for (size_t J = I;
         J > 0 && this->Roots[J].Path.size() > this->Roots[J - 1].Path.size();
         --J)
      std::swap(this->Roots[J], this->Roots[J - 1]);
}

ResultCache::~ResultCache() = default;

Expected<std::unique_ptr<ResultCache>>
ResultCache::open(std::string Directory, std::string Salt,
                  std::vector<CheckoutRoot> Roots,
                  std::unique_ptr<RemoteCache> Remote) {
  std::error_code EC;
  if (!Directory.empty()) {
    EC = sys::fs::create_directories(Directory);
    if (!EC && !sys::fs::is_directory(Directory))
      EC = std::make_error_code(std::errc::not_a_directory);
    if (!EC)
      EC = sys::fs::access(Directory, sys::fs::AccessMode::Write);
  }
  if (EC)
    return createStringError(EC, "cannot use the cache directory '%s': %s",
                             Directory.c_str(), EC.message().c_str());
  return std::unique_ptr<ResultCache>(
      new ResultCache(std::move(Directory), std::move(Salt), std::move(Roots),
                      std::move(Remote)));
}

Expected<std::unique_ptr<ResultCache>>
ResultCache::openForRun(std::string Directory, std::string Url,
                        std::string Salt, std::vector<CheckoutRoot> Roots) {
  std::unique_ptr<RemoteCache> Remote;
  if (!Url.empty()) {
    Expected<std::unique_ptr<RemoteCache>> Opened = RemoteCache::open(Url);
    if (!Opened)
      return Opened.takeError();
    Remote = std::move(*Opened);
  }
  if (Directory.empty() && !Remote)
    return nullptr;
  Expected<std::unique_ptr<ResultCache>> Opened =
      open(Directory, Salt, Roots, std::move(Remote));
  if (Opened)
    return std::move(*Opened);
  WithColor::warning(errs(), "peer-tidy")
      << toString(Opened.takeError())
      << (Url.empty() ? "; running without a cache\n"
                      : "; running with the remote cache alone\n");
  if (Url.empty())
    return nullptr;
  // No directory to check: this cannot fail.
  return cantFail(open("", std::move(Salt), std::move(Roots),
                       cantFail(RemoteCache::open(Url))));
}

// A root in a key or an entry: its role between two \x01, a character no
// path has (a \x01 of the text itself, in a message, is written \x01\x01).
static std::string rootMarker(StringRef Role) {
  return ("\x01" + Role + "\x01").str();
}

/// Whether C can continue a file name: a root followed by one is not the
/// root but a sibling ("/src/a" in "/src/ab"); followed by '/', a quote, a
/// space or a separator (-DROOT="/src/a", -I/src/a:...), it is.
static bool continuesName(char C) {
  return isAlnum(C) || StringRef("_.-+~@%").contains(C) ||
         static_cast<unsigned char>(C) >= 0x80;
}

std::string ResultCache::relocatable(StringRef Text) const {
  if (Roots.empty() && !Text.contains('\x01'))
    return Text.str();
  std::string Result;
  Result.reserve(Text.size());
  for (size_t I = 0; I < Text.size();) {
    const CheckoutRoot *Found = nullptr;
    if (Text[I] == '/')
      for (const CheckoutRoot &Root : Roots) {
        StringRef Rest = Text.drop_front(I);
        if (Rest.starts_with(Root.Path) &&
            (Rest.size() == Root.Path.size() ||
             !continuesName(Rest[Root.Path.size()]))) {
          Found = &Root;
          break;
        }
      }
    if (Found) {
      Result += rootMarker(Found->Role);
      I += Found->Path.size();
    } else if (Text[I] == '\x01') {
      Result += rootMarker("");
      ++I;
    } else {
      Result += Text[I++];
    }
  }
  return Result;
}

/// Text with each root marker replaced by the root's path here; nullopt when
/// it names a root this run does not have.
static std::optional<std::string> anchoredText(StringRef Text,
                                               ArrayRef<CheckoutRoot> Roots) {
  if (!Text.contains('\x01'))
    return Text.str();
  std::string Result;
  while (!Text.empty()) {
    auto [Before, Rest] = Text.split('\x01');
    Result += Before;
    if (Rest.size() == Text.size() - Before.size())
      break; // No marker left.
    auto [Role, After] = Rest.split('\x01');
    if (After.size() == Rest.size() - Role.size())
      return std::nullopt; // An unclosed marker.
    Text = After;
    if (Role.empty()) {
      Result += '\x01';
      continue;
    }
    const CheckoutRoot *Root =
        find_if(Roots, [&, Role = Role](const CheckoutRoot &R) {
          return R.Role == Role;
        });
    if (Root == Roots.end())
      return std::nullopt;
    Result += Root->Path;
  }
  return Result;
}

std::string
ResultCache::keyFor(const tooling::CompilationDatabase &Compilations,
                    StringRef File, ClangTidyOptionsProvider &Options,
                    bool ApplyAnyFix) {
  SHA256 Hash;
  // Paths under a checkout root count relative to it: a checkout elsewhere
  // has the same keys. (Its files' contents are checked in lookup, where
  // the entry's paths are anchored in this checkout.)
  auto Add = [&](StringRef Text) {
    Hash.update(relocatable(Text));
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
  for (const char *Variable : IncludePathVariables)
    Add((Twine(Variable) + "=" +
         sys::Process::GetEnv(Variable).value_or("<unset>"))
            .str());
  ClangTidyOptions Effective = Options.getOptions(Absolute);
  Add(configurationAsText(Effective));
  // A summary file the checks import (PeerSummaryFile, or a check's own
  // copy of the option) is an input too: by its contents, not its name.
  std::vector<std::string> SummaryFiles;
  for (const auto &Option : Effective.CheckOptions)
    if (Option.getKey().ends_with(SummaryFileOptionName) &&
        !Option.getValue().Value.empty())
      SummaryFiles.push_back(Option.getValue().Value);
  llvm::sort(SummaryFiles);
  for (const std::string &Path : SummaryFiles)
    Add(contentHash(Path).value_or("<unreadable>"));
  Add(ApplyAnyFix ? "fix-notes" : "");
  return hex(Hash.final());
}

std::string ResultCache::withImports(StringRef Key,
                                     ArrayRef<SummaryEntry> Imported) {
  if (Imported.empty())
    return Key.str();
  SHA256 Hash;
  Hash.update(Key);
  Hash.update(StringRef("\0", 1));
  Hash.update(summaryFileText(Imported));
  return hex(Hash.final());
}

namespace {

/// Larger than any entry or source file the cache deals with; a bound on what
/// one read may allocate.
constexpr uint64_t MaxReadSize = uint64_t(1) << 30;
constexpr llvm::StringLiteral SealTag = "peer-tidy-cache-entry 3";

/// The contents of Path if it is a regular file (after symlinks, when
/// FollowSymlinks) of at most MaxReadSize bytes; nullopt for anything else.
/// Never blocks on a FIFO or a device, never reads an endless file.
std::optional<std::unique_ptr<MemoryBuffer>>
readRegularFile(StringRef Path, bool FollowSymlinks) {
  sys::fs::file_status Status;
  if (sys::fs::status(Path, Status, FollowSymlinks) ||
      Status.type() != sys::fs::file_type::regular_file)
    return std::nullopt;
  int Flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
  if (!FollowSymlinks)
    Flags |= O_NOFOLLOW;
  int FD = ::open(Path.str().c_str(), Flags);
  if (FD < 0)
    return std::nullopt;
  // Checked again on the open file: the path may have been replaced since.
  std::optional<std::unique_ptr<MemoryBuffer>> Result;
  if (!sys::fs::status(FD, Status) &&
      Status.type() == sys::fs::file_type::regular_file &&
      Status.getSize() <= MaxReadSize) {
    // Volatile: read, not mapped, so a file truncated meanwhile cannot fault.
    auto Buffer = MemoryBuffer::getOpenFile(FD, Path, Status.getSize(),
                                            /*RequiresNullTerminator=*/false,
                                            /*IsVolatile=*/true);
    if (Buffer)
      Result = std::move(*Buffer);
  }
  ::close(FD);
  return Result;
}

std::string sealHash(StringRef Body) {
  return utohexstr(xxh3_64bits(Body), /*LowerCase=*/true);
}

/// "<tag> <length> <hash>\n" followed by Body.
std::string seal(StringRef Body) {
  return (SealTag + " " + Twine(Body.size()) + " " + sealHash(Body) + "\n" +
          Body)
      .str();
}

/// The body of a sealed entry, if its length and hash match the seal.
std::optional<StringRef> unseal(StringRef Entry) {
  auto [Header, Body] = Entry.split('\n');
  if (!Header.consume_front(SealTag) || !Header.consume_front(" "))
    return std::nullopt;
  auto [Length, Hash] = Header.split(' ');
  uint64_t Size = 0;
  if (Length.getAsInteger(10, Size) || Size != Body.size() ||
      Hash != sealHash(Body))
    return std::nullopt;
  return Body;
}

} // namespace

std::optional<std::string> ResultCache::contentHash(StringRef Path) {
  {
    std::lock_guard<std::mutex> Lock(MemoMutex);
    auto It = Hashes.find(Path);
    if (It != Hashes.end())
      return It->second;
  }
  std::optional<std::string> Result;
  if (auto Buffer = readRegularFile(Path, /*FollowSymlinks=*/true)) {
    uint64_t Value = xxh3_64bits((*Buffer)->getBuffer());
    Result = utohexstr(Value, /*LowerCase=*/true) + "-" +
             std::to_string((*Buffer)->getBufferSize());
  }
  std::lock_guard<std::mutex> Lock(MemoMutex);
  Hashes[Path] = Result;
  return Result;
}

std::string ResultCache::entryPath(StringRef Key) const {
  SmallString<256> Path(Directory);
  sys::path::append(Path, Key.take_front(2), Key.str() + ".yaml");
  return std::string(Path);
}

/// An entry's contents, if its seal holds and it parses whole.
static std::optional<CacheEntry> parseEntry(StringRef Contents) {
  std::optional<StringRef> Body = unseal(Contents);
  if (!Body)
    return std::nullopt;
  if (Error Deep = checkNestingDepth(*Body, "cache entry")) {
    consumeError(std::move(Deep));
    return std::nullopt;
  }
  CacheEntry Entry;
  yaml::Input Reader(*Body);
  Reader >> Entry;
  if (Reader.error() ||
      Entry.Findings.size() != Entry.Diagnostics.Diagnostics.size())
    return std::nullopt;
  return Entry;
}

/// Every text of the entry that may name a path (inputs, probes, the
/// findings' files, messages, fixes and notes, function names like
/// "(lambda at /src/x.cpp:3:5)", summary lines) through Map; false when Map
/// fails for one.
static bool
mapEntryTexts(CacheEntry &Entry,
              function_ref<std::optional<std::string>(StringRef)> Map) {
  bool Ok = true;
  auto Apply = [&](std::string &Text) {
    if (!Ok)
      return;
    if (std::optional<std::string> Mapped = Map(Text))
      Text = std::move(*Mapped);
    else
      Ok = false;
  };
  auto ApplyMessage = [&](tooling::DiagnosticMessage &Message) {
    Apply(Message.Message);
    Apply(Message.FilePath);
    for (tooling::FileByteRange &Range : Message.Ranges)
      Apply(Range.FilePath);
    StringMap<tooling::Replacements> Fix;
    for (auto &[File, Replacements] : Message.Fix) {
      std::string Name = File.str();
      Apply(Name);
      tooling::Replacements &Mapped = Fix[Name];
      for (const tooling::Replacement &R : Replacements) {
        std::string Path = R.getFilePath().str();
        std::string Text = R.getReplacementText().str();
        Apply(Path);
        Apply(Text);
        if (Error E = Mapped.add(tooling::Replacement(Path, R.getOffset(),
                                                      R.getLength(), Text))) {
          consumeError(std::move(E));
          Ok = false;
        }
      }
    }
    Message.Fix = std::move(Fix);
  };
  for (CachedInput &Input : Entry.Inputs)
    Apply(Input.Path);
  for (std::string &Path : Entry.Absent)
    Apply(Path);
  for (CachedFinding &Finding : Entry.Findings)
    Apply(Finding.EnclosingFunction);
  Apply(Entry.Diagnostics.MainSourceFile);
  for (tooling::Diagnostic &Diag : Entry.Diagnostics.Diagnostics) {
    ApplyMessage(Diag.Message);
    for (tooling::DiagnosticMessage &Note : Diag.Notes)
      ApplyMessage(Note);
    Apply(Diag.BuildDirectory);
  }
  for (std::string &Line : Entry.Exported)
    Apply(Line);
  for (std::string &Name : Entry.Unresolved)
    Apply(Name);
  return Ok;
}

std::optional<CacheEntry> ResultCache::readEntry(StringRef Key) const {
  if (Directory.empty())
    return std::nullopt;
  auto Buffer = readRegularFile(entryPath(Key), /*FollowSymlinks=*/false);
  if (!Buffer)
    return std::nullopt;
  return parseEntry((*Buffer)->getBuffer());
}

bool ResultCache::inputsUnchanged(const CacheEntry &Entry) {
  return all_of(Entry.Inputs, [&](const CachedInput &Input) {
    std::optional<std::string> Now = contentHash(Input.Path);
    return Now && *Now == Input.Hash;
  });
}

bool ResultCache::probesStillFail(const CacheEntry &Entry) {
  return none_of(Entry.Absent, [&](const std::string &Path) {
    {
      std::lock_guard<std::mutex> Lock(MemoMutex);
      auto It = Existing.find(Path);
      if (It != Existing.end())
        return It->second;
    }
    bool Exists = sys::fs::exists(Path);
    std::lock_guard<std::mutex> Lock(MemoMutex);
    Existing[Path] = Exists;
    return Exists;
  });
}

static TranslationUnitResult replay(const CacheEntry &Entry) {
  TranslationUnitResult Result;
  Result.Stats = Entry.Stats;
  for (size_t I = 0; I < Entry.Findings.size(); ++I) {
    const tooling::Diagnostic &Diag = Entry.Diagnostics.Diagnostics[I];
    ClangTidyError Error(Diag.DiagnosticName, Diag.DiagLevel,
                         Diag.BuildDirectory, Entry.Findings[I].WarningAsError);
    static_cast<tooling::Diagnostic &>(Error) = Diag;
    Result.Findings.push_back(
        {std::move(Error), Entry.Findings[I].EnclosingFunction});
  }
  for (const CachedInput &Input : Entry.Inputs)
    Result.FilesRead.push_back(Input.Path);
  Result.FilesAbsent = Entry.Absent;
  for (StringRef Line : Entry.Exported) {
    auto [RoleText, EntryText] = Line.split(' ');
    if (std::optional<Role> Kind = roleFromName(RoleText))
      Result.Summary.Exported.push_back({*Kind, EntryText.str()});
  }
  Result.Summary.Unresolved = Entry.Unresolved;
  return Result;
}

std::string sealedCacheEntry(StringRef Body) { return seal(Body); }

bool isUsableCacheEntry(StringRef Contents) {
  std::optional<CacheEntry> Entry = parseEntry(Contents);
  if (!Entry)
    return false;
  replay(*Entry);
  return true;
}

bool ResultCache::stillValid(CacheEntry &Entry) {
  return mapEntryTexts(
             Entry,
             [&](StringRef Text) { return anchoredText(Text, Roots); }) &&
         inputsUnchanged(Entry) && probesStillFail(Entry);
}

static Error writeAtomically(const std::string &Path, StringRef Contents);

std::optional<TranslationUnitResult> ResultCache::lookup(StringRef Key) {
  // The local level first; then the remote one, whose entry may be newer
  // than a stale local one (they share a key when only inputs changed).
  std::optional<CacheEntry> Entry = readEntry(Key);
  if (Entry && stillValid(*Entry)) {
    ++Hits;
    return replay(*Entry);
  }
  if (Remote)
    if (std::optional<std::string> Bytes = Remote->get(Key)) {
      Entry = parseEntry(*Bytes);
      if (Entry && stillValid(*Entry)) {
        if (!Directory.empty())
          writeFailed(writeAtomically(entryPath(Key), *Bytes));
        ++Hits;
        ++RemoteHits;
        return replay(*Entry);
      }
    }
  ++Misses;
  return std::nullopt;
}

/// Writes Contents to Path atomically: aside, then renamed into place, so
/// that parallel jobs and concurrent CI runs sharing the directory never see
/// half an entry. A rename also replaces whatever bad entry was there.
static Error writeAtomically(const std::string &Path, StringRef Contents) {
  auto Failed = [&](std::error_code EC) {
    return createStringError(EC, "cannot write the cache entry '%s': %s",
                             Path.c_str(), EC.message().c_str());
  };
  if (std::error_code EC =
          sys::fs::create_directories(sys::path::parent_path(Path)))
    return Failed(EC);
  SmallString<256> Temporary;
  int FD;
  if (std::error_code EC =
          sys::fs::createUniqueFile(Path + ".%%%%%%.tmp", FD, Temporary))
    return Failed(EC);
  std::error_code Written;
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Contents;
    OS.close();
    Written = OS.error();
    OS.clear_error();
  }
  if (!Written)
    Written = sys::fs::rename(Temporary, Path);
  if (!Written)
    return Error::success();
  sys::fs::remove(Temporary);
  return Failed(Written);
}

void ResultCache::writeFailed(Error Failure) {
  if (!Failure || WriteWarned.exchange(true)) {
    consumeError(std::move(Failure));
    return;
  }
  // Said in one write: the units' own diagnostics go to stderr from other
  // threads at the same time.
  std::string Line;
  raw_string_ostream OS(Line);
  WithColor::warning(OS, "peer-tidy")
      << toString(std::move(Failure))
      << "; going on, without storing results there\n";
  errs() << Line;
}

void ResultCache::store(StringRef Key, const TranslationUnitResult &Result) {
  CacheEntry Entry;
  for (const std::string &Path : Result.FilesRead) {
    std::optional<std::string> Hash = contentHash(Path);
    if (!Hash)
      return; // Gone already: nothing exact to store.
    Entry.Inputs.push_back({Path, *Hash});
  }
  Entry.Absent = Result.FilesAbsent;
  Entry.Stats = Result.Stats;
  Entry.Diagnostics.MainSourceFile = Result.File;
  for (const Finding &F : Result.Findings) {
    Entry.Findings.push_back({F.EnclosingFunction, F.Error.IsWarningAsError});
    Entry.Diagnostics.Diagnostics.push_back(F.Error);
  }
  for (const SummaryEntry &E : Result.Summary.Exported)
    Entry.Exported.push_back((roleName(E.Kind) + " " + E.Entry).str());
  Entry.Unresolved = Result.Summary.Unresolved;
  mapEntryTexts(Entry, [&](StringRef Text) -> std::optional<std::string> {
    return relocatable(Text);
  });
  std::string Body;
  {
    raw_string_ostream OS(Body);
    yaml::Output Writer(OS);
    Writer << Entry;
  }
  std::string Sealed = seal(Body);
  if (!Directory.empty())
    writeFailed(writeAtomically(entryPath(Key), Sealed));
  if (Remote)
    Remote->put(Key, Sealed);
}

} // namespace peer::tool
