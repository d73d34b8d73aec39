//===- GitDiff.cpp - lines changed since a revision -----------------------===//
//
// --diff=REV keeps the findings on lines that changed since REV. Findings in
// headers are located in the header itself (collectFindings gives every
// finding its real file), so a changed header's findings are kept through
// whichever unit included it; a unit's findings on unchanged lines are not.
//
//===----------------------------------------------------------------------===//
#include "GitDiff.h"

#include "Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace llvm;

namespace peer::tool {

void ChangedLines::add(StringRef CanonicalPath, unsigned First,
                       unsigned Count) {
  auto &List = Ranges[CanonicalPath];
  if (Count)
    List.push_back({First, First + Count - 1});
}

bool ChangedLines::contains(StringRef CanonicalPath, unsigned Line) const {
  auto It = Ranges.find(CanonicalPath);
  if (It == Ranges.end())
    return false;
  return any_of(It->second, [&](const std::pair<unsigned, unsigned> &R) {
    return R.first <= Line && Line <= R.second;
  });
}

ChangedLines parseUnifiedDiff(StringRef Diff, StringRef Repository) {
  ChangedLines Result;
  std::string Current;
  SmallVector<StringRef> Lines;
  Diff.split(Lines, '\n');
  for (StringRef Line : Lines) {
    if (Line.consume_front("+++ ")) {
      Current.clear();
      if (Line.consume_front("b/")) {
        SmallString<256> Path(Repository);
        sys::path::append(Path, Line.rtrim());
        Current = SourceFiles::canonicalPath(Path, "");
        Result.add(Current, 0, 0);
      }
      continue;
    }
    // @@ -old[,n] +new[,m] @@: the new side; m = 0 is a pure deletion.
    if (Current.empty() || !Line.consume_front("@@ "))
      continue;
    size_t Plus = Line.find('+');
    if (Plus == StringRef::npos)
      continue;
    StringRef NewSide = Line.drop_front(Plus + 1).take_until(
        [](char C) { return C == ' '; });
    auto [Start, Count] = NewSide.split(',');
    unsigned First = 0, Length = 1;
    if (Start.getAsInteger(10, First))
      continue;
    if (!Count.empty() && Count.getAsInteger(10, Length))
      continue;
    Result.add(Current, First, Length);
  }
  return Result;
}

Expected<ChangedLines> changedLinesSince(StringRef Revision,
                                         StringRef Repository) {
  ErrorOr<std::string> Git = sys::findProgramByName("git");
  if (!Git)
    return createStringError(Git.getError(), "--diff needs git on PATH");
  SmallString<128> Output, Errors;
  if (std::error_code EC =
          sys::fs::createTemporaryFile("peer-tidy-diff", "txt", Output))
    return createStringError(EC, "cannot create a temporary file");
  if (std::error_code EC =
          sys::fs::createTemporaryFile("peer-tidy-diff", "err", Errors))
    return createStringError(EC, "cannot create a temporary file");
  std::string Rev = Revision.str();
  std::string Dir = Repository.str();
  SmallVector<StringRef> Args = {*Git,       "-C",          Dir,
                                 "diff",     "-U0",         "--no-color",
                                 "--no-ext-diff", "--relative", Rev, "--"};
  std::optional<StringRef> Redirects[] = {std::nullopt, StringRef(Output),
                                          StringRef(Errors)};
  int Code = sys::ExecuteAndWait(*Git, Args, std::nullopt, Redirects);
  auto Text = MemoryBuffer::getFile(Output);
  auto ErrorText = MemoryBuffer::getFile(Errors);
  sys::fs::remove(Output);
  sys::fs::remove(Errors);
  if (Code != 0 || !Text)
    return createStringError(
        inconvertibleErrorCode(), "git diff %s failed: %s", Rev.c_str(),
        ErrorText ? (*ErrorText)->getBuffer().trim().str().c_str() : "");
  return parseUnifiedDiff((*Text)->getBuffer(), Repository);
}

} // namespace peer::tool
