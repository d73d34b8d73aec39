//===- GitDiffTest.cpp - `git diff -U0` parsing ---------------------------===//

#include "GitDiff.h"
#include "Report.h"

#include "gtest/gtest.h"

using namespace peer::tool;

namespace {

std::string pathIn(llvm::StringRef Repository, llvm::StringRef Relative) {
  return SourceFiles::canonicalPath((Repository + "/" + Relative).str(), "");
}

TEST(GitDiff, NewSideRangesOfEachFile) {
  const char *Diff = "diff --git a/src/a.cpp b/src/a.cpp\n"
                     "--- a/src/a.cpp\n"
                     "+++ b/src/a.cpp\n"
                     "@@ -3,0 +4,2 @@ void f() {\n"
                     "+  x();\n"
                     "+  y();\n"
                     "@@ -10 +12 @@\n"
                     "-old\n"
                     "+new\n"
                     "diff --git a/b.h b/b.h\n"
                     "--- a/b.h\n"
                     "+++ b/b.h\n"
                     "@@ -7,3 +6,0 @@\n";
  ChangedLines Lines = parseUnifiedDiff(Diff, "/repo");
  std::string A = pathIn("/repo", "src/a.cpp"), B = pathIn("/repo", "b.h");
  EXPECT_FALSE(Lines.contains(A, 3));
  EXPECT_TRUE(Lines.contains(A, 4));
  EXPECT_TRUE(Lines.contains(A, 5));
  EXPECT_FALSE(Lines.contains(A, 6));
  EXPECT_TRUE(Lines.contains(A, 12)); // "+12": one line
  EXPECT_FALSE(Lines.contains(A, 13));
  // A pure deletion changes no line of the new side, but the file is known.
  EXPECT_TRUE(Lines.containsFile(B));
  EXPECT_FALSE(Lines.contains(B, 6));
  EXPECT_FALSE(Lines.containsFile(pathIn("/repo", "c.cpp")));
}

TEST(GitDiff, DeletedFileHasNoNewSide) {
  ChangedLines Lines = parseUnifiedDiff("--- a/gone.cpp\n"
                                        "+++ /dev/null\n"
                                        "@@ -1,3 +0,0 @@\n",
                                        "/repo");
  EXPECT_FALSE(Lines.containsFile(pathIn("/repo", "gone.cpp")));
}

TEST(GitDiff, PathsWithSpacesAndNonAscii) {
  // peer-tidy runs git with core.quotePath=false: paths come unquoted.
  ChangedLines Lines = parseUnifiedDiff("+++ b/dir with space/caf\xc3\xa9.cpp\n"
                                        "@@ -1 +1 @@\n",
                                        "/repo");
  EXPECT_TRUE(
      Lines.contains(pathIn("/repo", "dir with space/caf\xc3\xa9.cpp"), 1));
}

TEST(GitDiff, MalformedHunksAreSkipped) {
  ChangedLines Lines = parseUnifiedDiff("+++ b/a.cpp\n"
                                        "@@ -1 +x,2 @@\n"
                                        "@@ -1 +5,y @@\n"
                                        "@@ no plus @@\n"
                                        "@@ -1 +9 @@\n",
                                        "/repo");
  std::string A = pathIn("/repo", "a.cpp");
  EXPECT_FALSE(Lines.contains(A, 5));
  EXPECT_TRUE(Lines.contains(A, 9));
}

} // namespace
