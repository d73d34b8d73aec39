//===- ProtocolTest.cpp - URIs, positions and edits of the LSP layer ------===//

#include "Protocol.h"
#include "RangeShift.h"

#include "gtest/gtest.h"

using namespace peer::lsp;
using llvm::json::Object;

namespace {

Object position(int Line, int Character) {
  return Object{{"line", Line}, {"character", Character}};
}

int64_t lineOf(const Object &Pos) { return *Pos.getInteger("line"); }
int64_t characterOf(const Object &Pos) { return *Pos.getInteger("character"); }

TEST(Uri, PathsRoundTrip) {
  EXPECT_EQ(uriToPath("file:///a%20b/c.cpp"), "/a b/c.cpp");
  EXPECT_EQ(pathToURI("/a b/c.cpp"), "file:///a%20b/c.cpp");
  for (const char *Path : {"/x/y.cpp", "/with space/%percent.h",
                           "/caf\xc3\xa9/\xe2\x82\xac.cpp", "/a#b?c.cpp"})
    EXPECT_EQ(uriToPath(pathToURI(Path)), std::string(Path)) << Path;
  EXPECT_EQ(uriToPath("untitled:Untitled-1"), std::nullopt);
  EXPECT_EQ(uriToPath("https://example.com/a.cpp"), std::nullopt);
}

// "a😀b\nc": the emoji is 4 bytes in UTF-8 and 2 code units in UTF-16.
const llvm::StringRef Emoji = "a\xf0\x9f\x98\x80"
                              "b\nc";

TEST(Positions, Utf16CountsSurrogatePairs) {
  Object AtB = offsetToPosition(Emoji, 5, Encoding::UTF16);
  EXPECT_EQ(lineOf(AtB), 0);
  EXPECT_EQ(characterOf(AtB), 3);
  EXPECT_EQ(positionToOffset(Emoji, position(0, 3), Encoding::UTF16), 5u);
  Object AtC = offsetToPosition(Emoji, 7, Encoding::UTF16);
  EXPECT_EQ(lineOf(AtC), 1);
  EXPECT_EQ(characterOf(AtC), 0);
}

TEST(Positions, Utf8CountsBytes) {
  EXPECT_EQ(characterOf(offsetToPosition(Emoji, 5, Encoding::UTF8)), 5);
  EXPECT_EQ(positionToOffset(Emoji, position(0, 5), Encoding::UTF8), 5u);
}

TEST(Positions, SplitCharactersRoundDownAndLinesClamp) {
  // Inside the surrogate pair, inside the UTF-8 sequence: the emoji's start.
  EXPECT_EQ(positionToOffset(Emoji, position(0, 2), Encoding::UTF16), 1u);
  EXPECT_EQ(positionToOffset(Emoji, position(0, 3), Encoding::UTF8), 1u);
  // Past the line's end: the line's end; past the last line: the text's end.
  EXPECT_EQ(positionToOffset(Emoji, position(0, 99), Encoding::UTF16), 6u);
  EXPECT_EQ(positionToOffset(Emoji, position(7, 0), Encoding::UTF16),
            Emoji.size());
}

TEST(Edits, RangedAndFullChanges) {
  std::string Text = "int a;\nint b;\n";
  Object Ranged{
      {"range", Object{{"start", position(1, 4)}, {"end", position(1, 5)}}},
      {"text", "bee"}};
  ASSERT_TRUE(applyChange(Text, Ranged, Encoding::UTF16));
  EXPECT_EQ(Text, "int a;\nint bee;\n");
  Object Full{{"text", "x"}};
  ASSERT_TRUE(applyChange(Text, Full, Encoding::UTF16));
  EXPECT_EQ(Text, "x");
  Object NoText{
      {"range", Object{{"start", position(0, 0)}, {"end", position(0, 0)}}}};
  EXPECT_FALSE(applyChange(Text, NoText, Encoding::UTF16));
  EXPECT_EQ(Text, "x");
}

llvm::json::Value diagnostic(int Line, int From, int To) {
  return Object{{"range", Object{{"start", position(Line, From)},
                                 {"end", position(Line, To)}}},
                {"message", "m"}};
}

TEST(RangeShift, LinesInsertedAboveMoveAFinding) {
  llvm::StringRef Before = "a\nbad();\n";
  std::string After = "new\na\nbad();\n";
  llvm::json::Array Diagnostics{diagnostic(1, 0, 5)};
  Object Change{
      {"range", Object{{"start", position(0, 0)}, {"end", position(0, 0)}}},
      {"text", "new\n"}};
  EXPECT_EQ(shiftDiagnostics(Diagnostics, "file:///x.cpp", Before, After,
                             Change, Encoding::UTF16),
            0u);
  ASSERT_EQ(Diagnostics.size(), 1u);
  const Object *Range = Diagnostics[0].getAsObject()->getObject("range");
  EXPECT_EQ(lineOf(*Range->getObject("start")), 2);
  EXPECT_EQ(characterOf(*Range->getObject("end")), 5);
}

TEST(RangeShift, AnEditInsideDropsIt) {
  llvm::StringRef Before = "bad();\n";
  std::string After = "bid();\n";
  llvm::json::Array Diagnostics{diagnostic(0, 0, 5)};
  Object Change{
      {"range", Object{{"start", position(0, 1)}, {"end", position(0, 2)}}},
      {"text", "i"}};
  EXPECT_EQ(shiftDiagnostics(Diagnostics, "file:///x.cpp", Before, After,
                             Change, Encoding::UTF16),
            1u);
  EXPECT_TRUE(Diagnostics.empty());
}

} // namespace
