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

namespace {

/// The character a C escape (the letter after the backslash) stands for.
std::optional<char> unescape(char Letter) {
  switch (Letter) {
  case 'a':
    return '\a';
  case 'b':
    return '\b';
  case 'f':
    return '\f';
  case 'n':
    return '\n';
  case 'r':
    return '\r';
  case 't':
    return '\t';
  case 'v':
    return '\v';
  case '"':
    return '"';
  case '\\':
    return '\\';
  default:
    return std::nullopt;
  }
}

/// A path as git writes it in a diff header: as is, or C-quoted ("...", with
/// backslash escapes and octal bytes) when it has unusual characters.
std::optional<std::string> unquoteGitPath(StringRef Text) {
  if (!Text.consume_front("\""))
    return Text.str();
  std::string Path;
  while (!Text.empty()) {
    char C = Text.front();
    Text = Text.drop_front();
    if (C == '"')
      return Text.empty() ? std::optional<std::string>(Path) : std::nullopt;
    if (C != '\\') {
      Path += C;
      continue;
    }
    unsigned Byte = 0;
    if (Text.size() >= 3 && !Text.take_front(3).getAsInteger(8, Byte)) {
      Path += char(Byte);
      Text = Text.drop_front(3);
      continue;
    }
    std::optional<char> Escaped =
        Text.empty() ? std::nullopt : unescape(Text.front());
    if (!Escaped)
      return std::nullopt;
    Path += *Escaped;
    Text = Text.drop_front();
  }
  return std::nullopt;
}

/// The new-side path of a "+++ " line (without it), or "" for /dev/null and
/// anything not prefixed b/ as changedLinesSince asks git to write it.
std::string newSidePath(StringRef Header) {
  // git ends a name that has a space with a tab.
  Header.consume_back("\t");
  std::optional<std::string> Path = unquoteGitPath(Header);
  if (!Path || !StringRef(*Path).starts_with("b/"))
    return "";
  return Path->substr(2);
}

/// Runs git with Args in Repository; its standard output, or an error with
/// its standard error.
Expected<std::string> runGit(StringRef Repository, ArrayRef<StringRef> Args) {
  ErrorOr<std::string> Git = sys::findProgramByName("git");
  if (!Git)
    return createStringError(Git.getError(), "--diff needs git on PATH");
  SmallString<128> Output, Errors;
  if (std::error_code EC =
          sys::fs::createTemporaryFile("peer-tidy-git", "out", Output))
    return createStringError(EC, "cannot create a temporary file");
  if (std::error_code EC =
          sys::fs::createTemporaryFile("peer-tidy-git", "err", Errors)) {
    sys::fs::remove(Output);
    return createStringError(EC, "cannot create a temporary file");
  }
  SmallVector<StringRef> Command = {*Git, "-C", Repository};
  Command.append(Args.begin(), Args.end());
  std::optional<StringRef> Redirects[] = {StringRef("/dev/null"),
                                          StringRef(Output), StringRef(Errors)};
  int Code = sys::ExecuteAndWait(*Git, Command, std::nullopt, Redirects);
  auto Text = MemoryBuffer::getFile(Output);
  auto ErrorText = MemoryBuffer::getFile(Errors);
  sys::fs::remove(Output);
  sys::fs::remove(Errors);
  if (Code != 0 || !Text)
    return createStringError(
        inconvertibleErrorCode(), "%s",
        ErrorText ? (*ErrorText)->getBuffer().trim().str().c_str() : "");
  return (*Text)->getBuffer().str();
}

/// The commit Revision names, verified as one: a revision that is not a
/// commit, or that git would read as an option, is refused.
Expected<std::string> resolveCommit(StringRef Revision, StringRef Repository) {
  std::string Spec = (Revision + "^{commit}").str();
  Expected<std::string> Commit =
      runGit(Repository,
             {"rev-parse", "--quiet", "--verify", "--end-of-options", Spec});
  if (!Commit) {
    consumeError(Commit.takeError());
    return createStringError(inconvertibleErrorCode(),
                             "--diff: '%s' is not a commit in %s",
                             Revision.str().c_str(), Repository.str().c_str());
  }
  return StringRef(*Commit).trim().str();
}

} // namespace

ChangedLines parseUnifiedDiff(StringRef Diff, StringRef Repository) {
  ChangedLines Result;
  std::string Current;
  SmallVector<StringRef> Lines;
  Diff.split(Lines, '\n');
  for (StringRef Line : Lines) {
    if (Line.consume_front("+++ ")) {
      Current.clear();
      std::string Relative = newSidePath(Line);
      if (!Relative.empty()) {
        SmallString<256> Path(Repository);
        sys::path::append(Path, Relative);
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
    StringRef NewSide =
        Line.drop_front(Plus + 1).take_until([](char C) { return C == ' '; });
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
  Expected<std::string> Commit = resolveCommit(Revision, Repository);
  if (!Commit)
    return Commit.takeError();
  // Everything the user's configuration could change about the output is
  // fixed here: prefixes (diff.noprefix, diff.mnemonicPrefix), quoting of
  // non-ASCII paths, external diff drivers and text conversions, colour.
  Expected<std::string> Diff = runGit(
      Repository, {"-c", "core.quotePath=false", "diff", "-U0", "--no-color",
                   "--no-ext-diff", "--no-textconv", "--src-prefix=a/",
                   "--dst-prefix=b/", "--relative", *Commit, "--"});
  if (!Diff)
    return createStringError(inconvertibleErrorCode(), "git diff %s failed: %s",
                             Revision.str().c_str(),
                             toString(Diff.takeError()).c_str());
  return parseUnifiedDiff(*Diff, Repository);
}

} // namespace peer::tool
