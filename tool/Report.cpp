//===- Report.cpp - one run's findings, located and written ---------------===//
#include "Report.h"

#include "Baseline.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <tuple>

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace peer::tool {

/// Each error in E on its own line, as an error or a warning.
static bool reportEach(Error E, bool AsError) {
  bool Any = false;
  handleAllErrors(std::move(E), [&](const ErrorInfoBase &Info) {
    (AsError ? WithColor::error(errs(), "peer-tidy")
             : WithColor::warning(errs(), "peer-tidy"))
        << Info.message() << "\n";
    Any = true;
  });
  return Any;
}

bool reportError(Error E) { return reportEach(std::move(E), true); }

int exitCodeOf(bool ConfigurationError, bool CompileFailed,
               unsigned WarningsAsErrors, bool Quiet) {
  if (ConfigurationError)
    return ExitUsage;
  if (CompileFailed) {
    reportError(
        createStringError(std::errc::io_error,
                          "one or more translation units failed to compile"));
    return ExitCompileFailure;
  }
  if (!WarningsAsErrors)
    return ExitClean;
  if (!Quiet)
    errs() << WarningsAsErrors << " warning"
           << (WarningsAsErrors == 1 ? "" : "s") << " treated as error"
           << (WarningsAsErrors == 1 ? "" : "s") << "\n";
  return ExitWarningsAsErrors;
}

bool reportWarning(Error E) { return reportEach(std::move(E), false); }

// Beside the reports that sort by it (Runner.h declares it for the runs).
bool isCompileFailure(const clang::tidy::ClangTidyError &Error) {
  return Error.DiagLevel == clang::tidy::ClangTidyError::Error &&
         !llvm::StringRef(Error.DiagnosticName).starts_with("peer-") &&
         Error.DiagnosticName != "clang-tidy-config";
}

std::string SourceFiles::canonicalPath(StringRef FilePath,
                                       StringRef BuildDirectory) {
  if (FilePath.empty())
    return "";
  SmallString<256> Path(FilePath);
  if (!sys::path::is_absolute(Path) && !BuildDirectory.empty()) {
    Path = BuildDirectory;
    sys::path::append(Path, FilePath);
  }
  SmallString<256> Real;
  if (!sys::fs::real_path(Path, Real))
    return std::string(Real);
  sys::fs::make_absolute(Path);
  sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

const SourceFiles::Contents *SourceFiles::load(StringRef Path) {
  auto [It, Inserted] = Files.try_emplace(Path);
  if (Inserted && ReadFiles) {
    if (auto Buffer = MemoryBuffer::getFile(Path)) {
      Contents C;
      C.Buffer = std::move(*Buffer);
      StringRef Text = C.Buffer->getBuffer();
      C.LineStarts.push_back(0);
      for (size_t I = 0; I < Text.size(); ++I)
        if (Text[I] == '\n')
          C.LineStarts.push_back(I + 1);
      It->second = std::move(C);
    }
  }
  return It->second ? &*It->second : nullptr;
}

void SourceFiles::recordPosition(StringRef CanonicalPath, unsigned Offset,
                                 unsigned Line, unsigned Column) {
  RecordedPositions[CanonicalPath][Offset] = {Line, Column};
}

void SourceFiles::recordLine(StringRef CanonicalPath, unsigned Line,
                             StringRef Text) {
  RecordedLines[CanonicalPath][Line] = Text.str();
}

std::optional<Position> SourceFiles::position(StringRef CanonicalPath,
                                              unsigned Offset) {
  if (!ReadFiles) {
    auto File = RecordedPositions.find(CanonicalPath);
    if (File == RecordedPositions.end())
      return std::nullopt;
    auto At = File->second.find(Offset);
    if (At == File->second.end())
      return std::nullopt;
    return Position{CanonicalPath.str(), At->second.first, At->second.second};
  }
  const Contents *C = load(CanonicalPath);
  if (!C)
    return std::nullopt;
  auto Next =
      std::upper_bound(C->LineStarts.begin(), C->LineStarts.end(), Offset);
  unsigned Line = Next - C->LineStarts.begin();
  return Position{CanonicalPath.str(), Line,
                  Offset - C->LineStarts[Line - 1] + 1};
}

StringRef SourceFiles::lineText(StringRef CanonicalPath, unsigned Line) {
  if (!ReadFiles) {
    auto File = RecordedLines.find(CanonicalPath);
    if (File == RecordedLines.end())
      return "";
    auto At = File->second.find(Line);
    return At == File->second.end() ? StringRef() : StringRef(At->second);
  }
  const Contents *C = load(CanonicalPath);
  if (!C || Line == 0 || Line > C->LineStarts.size())
    return "";
  StringRef Text = C->Buffer->getBuffer();
  size_t Begin = C->LineStarts[Line - 1];
  size_t End = Line < C->LineStarts.size() ? C->LineStarts[Line] : Text.size();
  return Text.slice(Begin, End).rtrim("\r\n");
}

std::string findRepositoryRoot(StringRef Start) {
  SmallString<256> Dir(Start);
  sys::fs::make_absolute(Dir);
  for (StringRef D = Dir; !D.empty(); D = sys::path::parent_path(D)) {
    SmallString<256> Git(D);
    sys::path::append(Git, ".git");
    if (sys::fs::exists(Git))
      return D.str();
  }
  return "";
}

std::string relativeTo(StringRef Root, StringRef Path) {
  if (Root.empty())
    return "";
  std::string Prefix = Root.str();
  if (!sys::path::is_separator(Prefix.back()))
    Prefix += sys::path::get_separator();
  if (!Path.starts_with(Prefix))
    return "";
  return sys::path::convert_to_slash(Path.drop_front(Prefix.size()));
}

std::string unitKey(StringRef File, StringRef RepositoryRoot) {
  std::string Path = SourceFiles::canonicalPath(File, "");
  std::string Relative = relativeTo(RepositoryRoot, Path);
  return Relative.empty() ? Path : Relative;
}

std::vector<ReportedFinding>
collectFindings(const std::vector<TranslationUnitResult> &Units,
                SourceFiles &Sources, const ReportSettings &Settings) {
  std::vector<ReportedFinding> All;
  for (size_t I = 0; I < Units.size(); ++I) {
    const TranslationUnitResult &Unit = Units[I];
    std::string Key = Settings.UnitKeys
                          ? (*Settings.UnitKeys)[I]
                          : unitKey(Unit.File, Settings.RepositoryRoot);
    for (const Finding &F : Unit.Findings) {
      const ClangTidyError &E = F.Error;
      ReportedFinding R;
      R.Source = &F;
      R.Unit = Key;
      std::string Path =
          SourceFiles::canonicalPath(E.Message.FilePath, E.BuildDirectory);
      if (std::optional<Position> P =
              Sources.position(Path, E.Message.FileOffset))
        R.Where = std::move(*P);
      else
        R.Where.Path = Path;
      All.push_back(std::move(R));
    }
  }
  // By file and offset; findings at one spot by the key of their unit, and
  // within one unit in the engine's order, which differs between LLVM
  // versions and is what clang-tidy users see. The units' key, not their
  // order in the compilation database, so that the report does not depend
  // on how the units were split into shards or listed.
  std::stable_sort(
      All.begin(), All.end(),
      [](const ReportedFinding &A, const ReportedFinding &B) {
        return std::tie(A.Where.Path, A.Source->Error.Message.FileOffset,
                        A.Unit) < std::tie(B.Where.Path,
                                           B.Source->Error.Message.FileOffset,
                                           B.Unit);
      });
  // A header's finding comes from every unit that includes the header; the
  // same check at the same byte of the same real file with the same message
  // is one finding, reported through the first of those units.
  std::vector<ReportedFinding> Result;
  StringSet<> Seen;
  for (ReportedFinding &R : All) {
    const ClangTidyError &E = R.Source->Error;
    std::string Identity = R.Where.Path + "\n" +
                           std::to_string(E.Message.FileOffset) + "\n" +
                           E.DiagnosticName + "\n" + E.Message.Message;
    if (!Seen.insert(Identity).second)
      continue;
    R.RelativePath = relativeTo(Settings.RepositoryRoot, R.Where.Path);
    Result.push_back(std::move(R));
  }
  assignFingerprints(Result, Sources);
  return Result;
}

std::vector<ReportedFinding>
FindingFilters::select(std::vector<ReportedFinding> All, unsigned &InBaseline,
                       unsigned &OutsideDiff) const {
  std::vector<ReportedFinding> Reported;
  for (ReportedFinding &R : All) {
    bool CompileError = isCompileFailure(R.Source->Error);
    if (!CompileError && Baseline && Baseline->contains(R.Fingerprint)) {
      ++InBaseline;
      continue;
    }
    if (!CompileError && Changed &&
        !Changed->contains(R.Where.Path, R.Where.Line)) {
      ++OutsideDiff;
      continue;
    }
    Reported.push_back(std::move(R));
  }
  return Reported;
}

unsigned primaryLength(const tooling::DiagnosticMessage &M,
                       StringRef BuildDirectory) {
  std::string Path = SourceFiles::canonicalPath(M.FilePath, BuildDirectory);
  unsigned Length = 0;
  for (const tooling::FileByteRange &Range : M.Ranges)
    if (Range.FileOffset == M.FileOffset &&
        SourceFiles::canonicalPath(Range.FilePath, BuildDirectory) == Path)
      Length = Range.Length;
  return Length;
}

static StringRef levelName(const ClangTidyError &E) {
  return severityName(severityOf(E));
}

void writeJson(raw_ostream &OS, const std::vector<ReportedFinding> &Findings,
               SourceFiles &Sources, const JsonReport &Info) {
  // Every position is written with its offset, and the end of every range
  // too: peer-tidy merge rebuilds the JSON and SARIF of one run from these
  // alone, without the sources.
  auto Range = [&](StringRef Path, unsigned Offset, unsigned Length,
                   json::Object &Into) {
    Into["offset"] = Offset;
    Into["length"] = Length;
    if (std::optional<Position> P = Sources.position(Path, Offset)) {
      Into["line"] = P->Line;
      Into["column"] = P->Column;
    }
    if (std::optional<Position> P = Sources.position(Path, Offset + Length)) {
      Into["endLine"] = P->Line;
      Into["endColumn"] = P->Column;
    }
  };
  auto Place = [&](const tooling::DiagnosticMessage &M,
                   StringRef BuildDirectory, json::Object &Into) {
    std::string Path = SourceFiles::canonicalPath(M.FilePath, BuildDirectory);
    Into["file"] = Path;
    Range(Path, M.FileOffset, primaryLength(M, BuildDirectory), Into);
  };
  auto ItemOf = [&](const ReportedFinding &R) {
    const ClangTidyError &E = R.Source->Error;
    json::Object Item{
        {"check", E.DiagnosticName},
        {"level", levelName(E)},
        {"warningAsError", E.IsWarningAsError},
        {"message", E.Message.Message},
        {"function", R.Source->EnclosingFunction},
        {"fingerprint", R.Fingerprint},
        {"unit", R.Unit},
        {"snippet", Sources.lineText(R.Where.Path, R.Where.Line)}};
    Place(E.Message, E.BuildDirectory, Item);
    // The place as the finding was located (its line may be unknown when
    // the file cannot be read).
    Item["file"] = R.Where.Path;
    Item["line"] = R.Where.Line;
    Item["column"] = R.Where.Column;
    if (!R.RelativePath.empty())
      Item["relativeFile"] = R.RelativePath;
    json::Array Notes;
    Notes.reserve(E.Notes.size());
    for (const tooling::DiagnosticMessage &Note : E.Notes) {
      json::Object N{{"message", Note.Message}};
      Place(Note, E.BuildDirectory, N);
      Notes.push_back(std::move(N));
    }
    Item["notes"] = std::move(Notes);
    json::Array Fixes;
    for (const auto &Entry : E.Message.Fix)
      for (const tooling::Replacement &Fix : Entry.getValue()) {
        std::string Path =
            SourceFiles::canonicalPath(Fix.getFilePath(), E.BuildDirectory);
        json::Object F{{"file", Path},
                       {"replacement", Fix.getReplacementText().str()}};
        Range(Path, Fix.getOffset(), Fix.getLength(), F);
        Fixes.push_back(std::move(F));
      }
    Item["fixes"] = std::move(Fixes);
    return Item;
  };
  auto Strings = [](const std::vector<std::string> &List) {
    json::Array A;
    A.reserve(List.size());
    for (const std::string &S : List)
      A.push_back(S);
    return A;
  };
  // Streamed, one finding at a time, in json::Value's order (sorted keys):
  // a whole report held as one value took 120 MB for 2 000 findings (every
  // json::Object starts at 64 buckets).
  json::OStream J(OS, /*IndentSize=*/2);
  J.object([&] {
    J.attribute("checks", Strings(Info.EnabledChecks));
    J.attribute("failedUnits", Strings(Info.FailedUnits));
    J.attributeArray("findings", [&] {
      for (const ReportedFinding &R : Findings)
        J.value(ItemOf(R));
    });
    J.attribute("root", Info.RepositoryRoot);
    if (!Info.Shard.empty())
      J.attribute("shard", Info.Shard);
    J.attribute("units", Strings(Info.Units));
    J.attribute("version", 1);
  });
  OS << "\n";
}

bool writeReportOutput(StringRef OutputPath,
                       function_ref<void(raw_ostream &)> Write) {
  std::string Destination = OutputPath.empty()
                                ? std::string("the report to standard output")
                                : "--output '" + OutputPath.str() + "'";
  std::error_code EC;
  std::optional<raw_fd_ostream> File;
  if (!OutputPath.empty()) {
    File.emplace(OutputPath, EC, sys::fs::OF_None);
    if (EC)
      return !reportError(createStringError(EC, "cannot write %s: %s",
                                            Destination.c_str(),
                                            EC.message().c_str()));
  }
  raw_fd_ostream &OS = File ? *File : outs();
  Write(OS);
  if (File)
    File->close();
  return !reportError(checkWritten(OS, Destination));
}

std::string repositoryRootFor(StringRef SarifRoot) {
  if (!SarifRoot.empty()) {
    SmallString<256> Root(SarifRoot);
    sys::fs::make_absolute(Root);
    return SourceFiles::canonicalPath(Root, "");
  }
  SmallString<256> Here;
  sys::fs::current_path(Here);
  std::string Root = findRepositoryRoot(Here);
  return Root.empty() ? Root : SourceFiles::canonicalPath(Root, "");
}

StandardOutputRedirect::StandardOutputRedirect(const std::string &Path) {
  outs().flush();
  int File = ::open(Path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (File < 0) {
    reportError(createStringError(std::errc::io_error,
                                  "cannot write --output '%s'", Path.c_str()));
    return;
  }
  Saved = ::dup(1);
  ::dup2(File, 1);
  ::close(File);
}

StandardOutputRedirect::~StandardOutputRedirect() {
  if (Saved < 0)
    return;
  outs().flush();
  ::dup2(Saved, 1);
  ::close(Saved);
}

Error checkWritten(raw_fd_ostream &OS, const Twine &Destination) {
  OS.flush();
  if (!OS.has_error())
    return Error::success();
  std::error_code EC = OS.error();
  OS.clear_error();
  return createStringError(EC, "cannot write %s: %s", Destination.str().c_str(),
                           EC.message().c_str());
}

} // namespace peer::tool
