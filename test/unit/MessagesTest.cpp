//===- MessagesTest.cpp - the typed LSP messages (tool/lsp/Messages.h) ----===//
//
// Each struct read from the JSON a client (or clangd) sends and written back
// unchanged; the fields a server needs are required, the others default.

#include "Messages.h"

#include "gtest/gtest.h"

using namespace peer::lsp;
using llvm::json::Array;
using llvm::json::Object;

namespace {

template <typename T>
std::optional<T> read(const Value &V, std::string *Error = nullptr) {
  llvm::json::Path::Root Root("params");
  T Out;
  if (fromJSON(V, Out, Root))
    return Out;
  if (Error)
    *Error = llvm::toString(Root.getError());
  else
    llvm::consumeError(Root.getError());
  return std::nullopt;
}

std::string str(const Value &V) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << V;
  return S;
}

/// V read as a T and written back is V.
template <typename T> void expectRoundTrip(const Value &V) {
  std::optional<T> Typed = read<T>(V);
  ASSERT_TRUE(Typed) << str(V);
  EXPECT_EQ(str(toJSON(*Typed)), str(V));
}

Value range(int L1, int C1, int L2, int C2) {
  return Object{{"start", Object{{"line", L1}, {"character", C1}}},
                {"end", Object{{"line", L2}, {"character", C2}}}};
}

// As tool/lsp/Analysis.cpp writes it.
Value ourDiagnostic() {
  return Object{
      {"range", range(3, 4, 3, 9)},
      {"severity", 2},
      {"code", "peer-monitor-after-call"},
      {"codeDescription", Object{{"href", "file:///docs/checks/x.md"}}},
      {"source", "peer-tidy"},
      {"message", "monitor after call"},
      {"relatedInformation",
       Array{Object{{"location", Object{{"uri", "file:///a.cpp"},
                                        {"range", range(1, 0, 1, 2)}}},
                    {"message", "the call"}}}}};
}

TEST(Messages, PositionsAndRangesRoundTrip) {
  expectRoundTrip<Position>(Object{{"line", 2}, {"character", 7}});
  expectRoundTrip<Range>(range(0, 1, 2, 3));
  expectRoundTrip<TextEdit>(
      Object{{"range", range(0, 0, 0, 1)}, {"newText", "x"}});
  std::string Error;
  EXPECT_FALSE(read<Position>(Object{{"line", 2}}, &Error));
  EXPECT_NE(Error.find("character"), std::string::npos) << Error;
  EXPECT_FALSE(read<Position>(Object{{"line", "two"}, {"character", 0}}));
}

TEST(Messages, DiagnosticsRoundTripWithMembersNotModelled) {
  expectRoundTrip<Diagnostic>(ourDiagnostic());
  // clangd's: a category, tags, a numeric code and data pass through.
  Value Clangd = Object{{"range", range(0, 0, 0, 1)},
                        {"severity", 1},
                        {"code", 42},
                        {"source", "clang"},
                        {"message", "use of undeclared identifier"},
                        {"category", "Semantic Issue"},
                        {"tags", Array{1}},
                        {"data", Object{{"fixits", Array{}}}}};
  expectRoundTrip<Diagnostic>(Clangd);
  std::optional<Diagnostic> D = read<Diagnostic>(Clangd);
  ASSERT_TRUE(D);
  EXPECT_EQ(D->other.size(), 2u); // category, tags
  EXPECT_FALSE(read<Diagnostic>(Object{{"range", range(0, 0, 0, 1)}}));
}

TEST(Messages, PublishDiagnosticsRoundTrip) {
  expectRoundTrip<PublishDiagnosticsParams>(
      Object{{"uri", "file:///a.cpp"},
             {"version", 3},
             {"diagnostics", Array{ourDiagnostic()}}});
  // Without a version (a closed document's clearing): none written.
  expectRoundTrip<PublishDiagnosticsParams>(
      Object{{"uri", "file:///a.cpp"}, {"diagnostics", Array{}}});
}

TEST(Messages, CodeActionsAndEditsRoundTrip) {
  Value Edit = Object{
      {"changes",
       Object{{"file:///a.cpp", Array{Object{{"range", range(1, 2, 1, 3)},
                                             {"newText", "y"}}}}}}};
  expectRoundTrip<WorkspaceEdit>(Edit);
  expectRoundTrip<CodeAction>(Object{{"title", "Move the monitor"},
                                     {"kind", "quickfix"},
                                     {"isPreferred", true},
                                     {"diagnostics", Array{ourDiagnostic()}},
                                     {"edit", Edit}});
  expectRoundTrip<CodeAction>(Object{{"title", "Just a title"}});
}

TEST(Messages, DocumentNotificationsRoundTrip) {
  expectRoundTrip<DidOpenTextDocumentParams>(
      Object{{"textDocument", Object{{"uri", "file:///a.cpp"},
                                     {"languageId", "cpp"},
                                     {"version", 1},
                                     {"text", "int x;\n"}}}});
  expectRoundTrip<DidChangeTextDocumentParams>(
      Object{{"textDocument", Object{{"uri", "file:///a.cpp"}, {"version", 2}}},
             {"contentChanges",
              Array{Object{{"range", range(0, 0, 0, 3)}, {"text", "long"}},
                    Object{{"text", "whole text"}}}}});
  expectRoundTrip<DidSaveTextDocumentParams>(
      Object{{"textDocument", Object{{"uri", "file:///a.cpp"}}}});
  expectRoundTrip<DidSaveTextDocumentParams>(Object{
      {"textDocument", Object{{"uri", "file:///a.cpp"}}}, {"text", "t"}});
  expectRoundTrip<DidCloseTextDocumentParams>(
      Object{{"textDocument", Object{{"uri", "file:///a.cpp"}}}});
}

TEST(Messages, DocumentNotificationsRequireWhatTheServersUse) {
  // A version left out is 0, as the servers have always taken it.
  std::optional<DidOpenTextDocumentParams> Open =
      read<DidOpenTextDocumentParams>(Object{
          {"textDocument", Object{{"uri", "file:///a.cpp"}, {"text", ""}}}});
  ASSERT_TRUE(Open);
  EXPECT_EQ(Open->textDocument.version, 0);
  std::string Error;
  EXPECT_FALSE(read<DidOpenTextDocumentParams>(
      Object{{"textDocument", Object{{"uri", "file:///a.cpp"}}}}, &Error));
  EXPECT_NE(Error.find("params.textDocument.text"), std::string::npos) << Error;
  EXPECT_FALSE(read<DidChangeTextDocumentParams>(
      Object{{"textDocument", Object{{"uri", "file:///a.cpp"}}}}));
  EXPECT_FALSE(read<DidCloseTextDocumentParams>(Object{}));
}

TEST(Messages, CodeActionParamsRoundTripAndRequireARange) {
  expectRoundTrip<CodeActionParams>(
      Object{{"textDocument", Object{{"uri", "file:///a.cpp"}}},
             {"range", range(3, 4, 3, 4)},
             {"context", Object{{"diagnostics", Array{ourDiagnostic()}},
                                {"only", Array{"quickfix"}}}}});
  std::string Error;
  EXPECT_FALSE(read<CodeActionParams>(
      Object{{"textDocument", Object{{"uri", "file:///a.cpp"}}}}, &Error));
  EXPECT_NE(Error.find("range"), std::string::npos) << Error;
}

TEST(Messages, InitializeReadsTheCapabilitiesItUses) {
  std::optional<InitializeParams> None = read<InitializeParams>(Object{});
  ASSERT_TRUE(None);
  EXPECT_FALSE(None->capabilities.positionEncodingUTF8);
  EXPECT_FALSE(None->capabilities.codeActionLiterals);
  std::optional<InitializeParams> Both = read<InitializeParams>(Object{
      {"capabilities",
       Object{
           {"general", Object{{"positionEncodings", Array{"utf-16", "utf-8"}}}},
           {"textDocument",
            Object{{"codeAction",
                    Object{{"codeActionLiteralSupport", Object{}}}}}}}}});
  ASSERT_TRUE(Both);
  EXPECT_TRUE(Both->capabilities.positionEncodingUTF8);
  EXPECT_TRUE(Both->capabilities.codeActionLiterals);
  // A capability of another shape is one the client does not have.
  std::optional<InitializeParams> Odd = read<InitializeParams>(
      Object{{"capabilities", Object{{"general", "utf-8"}}}});
  ASSERT_TRUE(Odd);
  EXPECT_FALSE(Odd->capabilities.positionEncodingUTF8);
}

TEST(Messages, InitializeResultRoundTripAndClangdsEncoding) {
  InitializeResult R;
  R.positionEncoding = Encoding::UTF8;
  R.codeActionKinds = {"quickfix"};
  R.serverName = "peer-tidy";
  R.serverVersion = "1.0";
  std::optional<InitializeResult> Back = read<InitializeResult>(toJSON(R));
  ASSERT_TRUE(Back);
  EXPECT_EQ(str(toJSON(*Back)), str(toJSON(R)));
  // clangd before LSP 3.17 says it in its offsetEncoding extension.
  std::optional<InitializeResult> Clangd = read<InitializeResult>(
      Object{{"capabilities", Object{{"textDocumentSync", 2}}},
             {"offsetEncoding", "utf-8"}});
  ASSERT_TRUE(Clangd);
  EXPECT_EQ(Clangd->positionEncoding, Encoding::UTF8);
  std::optional<InitializeResult> Default =
      read<InitializeResult>(Object{{"capabilities", Object{}}});
  ASSERT_TRUE(Default);
  EXPECT_EQ(Default->positionEncoding, Encoding::UTF16);
}

} // namespace
