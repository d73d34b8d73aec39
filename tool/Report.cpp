//===- Report.cpp - one run's findings, located and written ---------------===//
#include "Report.h"

#include "Baseline.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <tuple>

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace peer::tool {

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
  if (Inserted) {
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

std::optional<Position> SourceFiles::position(StringRef CanonicalPath,
                                              unsigned Offset) {
  const Contents *C = load(CanonicalPath);
  if (!C)
    return std::nullopt;
  auto Next = std::upper_bound(C->LineStarts.begin(), C->LineStarts.end(),
                               Offset);
  unsigned Line = Next - C->LineStarts.begin();
  return Position{CanonicalPath.str(), Line,
                  Offset - C->LineStarts[Line - 1] + 1};
}

StringRef SourceFiles::lineText(StringRef CanonicalPath, unsigned Line) {
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

std::vector<ReportedFinding>
collectFindings(const std::vector<TranslationUnitResult> &Units,
                SourceFiles &Sources, const ReportSettings &Settings) {
  std::vector<ReportedFinding> Result;
  // A header's finding comes from every unit that includes the header; the
  // same check at the same byte of the same real file with the same message
  // is one finding.
  StringSet<> Seen;
  for (const TranslationUnitResult &Unit : Units)
    for (const Finding &F : Unit.Findings) {
      const ClangTidyError &E = F.Error;
      ReportedFinding R;
      R.Source = &F;
      std::string Path =
          SourceFiles::canonicalPath(E.Message.FilePath, E.BuildDirectory);
      std::string Identity = Path + "\n" + std::to_string(E.Message.FileOffset) +
                             "\n" + E.DiagnosticName + "\n" + E.Message.Message;
      if (!Seen.insert(Identity).second)
        continue;
      if (std::optional<Position> P = Sources.position(Path, E.Message.FileOffset))
        R.Where = std::move(*P);
      else
        R.Where.Path = Path;
      R.RelativePath = relativeTo(Settings.RepositoryRoot, R.Where.Path);
      Result.push_back(std::move(R));
    }
  // By file and offset; findings at one spot keep the engine's order, which
  // differs between LLVM versions and is what clang-tidy users see.
  std::stable_sort(Result.begin(), Result.end(),
                   [](const ReportedFinding &A, const ReportedFinding &B) {
                     return std::tie(A.Where.Path,
                                     A.Source->Error.Message.FileOffset) <
                            std::tie(B.Where.Path,
                                     B.Source->Error.Message.FileOffset);
                   });
  assignFingerprints(Result, Sources);
  return Result;
}

static StringRef levelName(const ClangTidyError &E) {
  if (E.IsWarningAsError || E.DiagLevel == ClangTidyError::Error)
    return "error";
  if (E.DiagLevel == ClangTidyError::Remark)
    return "remark";
  return "warning";
}

void writeJson(raw_ostream &OS, const std::vector<ReportedFinding> &Findings,
               SourceFiles &Sources) {
  auto Place = [&](const tooling::DiagnosticMessage &M,
                   StringRef BuildDirectory, json::Object &Into) {
    std::string Path = SourceFiles::canonicalPath(M.FilePath, BuildDirectory);
    Into["file"] = Path;
    if (std::optional<Position> P = Sources.position(Path, M.FileOffset)) {
      Into["line"] = P->Line;
      Into["column"] = P->Column;
    }
  };
  json::Array Items;
  for (const ReportedFinding &R : Findings) {
    const ClangTidyError &E = R.Source->Error;
    json::Object Item{{"check", E.DiagnosticName},
                      {"level", levelName(E)},
                      {"message", E.Message.Message},
                      {"file", R.Where.Path},
                      {"line", R.Where.Line},
                      {"column", R.Where.Column},
                      {"function", R.Source->EnclosingFunction},
                      {"fingerprint", R.Fingerprint}};
    if (!R.RelativePath.empty())
      Item["relativeFile"] = R.RelativePath;
    json::Array Notes;
    for (const tooling::DiagnosticMessage &Note : E.Notes) {
      json::Object N{{"message", Note.Message}};
      Place(Note, E.BuildDirectory, N);
      Notes.push_back(std::move(N));
    }
    Item["notes"] = std::move(Notes);
    json::Array Fixes;
    for (const auto &Entry : E.Message.Fix)
      for (const tooling::Replacement &Fix : Entry.getValue())
        Fixes.push_back(json::Object{
            {"file", SourceFiles::canonicalPath(Fix.getFilePath(),
                                                E.BuildDirectory)},
            {"offset", Fix.getOffset()},
            {"length", Fix.getLength()},
            {"replacement", Fix.getReplacementText().str()}});
    Item["fixes"] = std::move(Fixes);
    Items.push_back(std::move(Item));
  }
  OS << formatv("{0:2}", json::Value(json::Object{
                             {"version", 1}, {"findings", std::move(Items)}}))
     << "\n";
}

Error checkWritten(raw_fd_ostream &OS, const Twine &Destination) {
  OS.flush();
  if (!OS.has_error())
    return Error::success();
  std::error_code EC = OS.error();
  OS.clear_error();
  return createStringError(EC, "cannot write %s: %s",
                           Destination.str().c_str(), EC.message().c_str());
}

} // namespace peer::tool
