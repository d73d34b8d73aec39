//===- MethodTableTest.cpp - dispatch by method name (MethodTable.h) ------===//
//
// Requests and notifications reach their handlers with typed params; an
// unknown request is answered MethodNotFound, an unknown notification
// ignored; params of the wrong shape are InvalidParams.

#include "MethodTable.h"
#include "Messages.h"

#include "gtest/gtest.h"

using namespace peer::lsp;
using llvm::json::Array;
using llvm::json::Object;

namespace {

struct Fixture : ::testing::Test {
  MethodTable Table;
  std::vector<Value> Sent;
  Send Out = [this](Value M) { Sent.push_back(std::move(M)); };
  std::vector<std::string> Opened;

  Fixture() {
    Table.notification<DidCloseTextDocumentParams>(
        "textDocument/didClose", [this](const DidCloseTextDocumentParams &P) {
          Opened.push_back("closed " + P.textDocument.uri);
        });
    Table.request<CodeActionParams>(
        "textDocument/codeAction", [](const CodeActionParams &P, Reply R) {
          R(Value(Array{P.textDocument.uri, P.range.start.line}));
        });
    Table.request<NoParams>("fails", [](const NoParams &, Reply R) {
      R(llvm::make_error<LSPError>("not now", RequestFailed));
    });
  }

  /// Dispatches Message as the server loop does.
  void receive(Value Message) {
    if (std::optional<Incoming> In = unpack(Message, Out))
      Table.dispatch(*In, Out);
  }

  int64_t errorCode(const Value &M) {
    const Object *E = M.getAsObject()->getObject("error");
    return E ? E->getInteger("code").value_or(0) : 0;
  }
};

Value codeActionParams() {
  Object Pos{{"line", 4}, {"character", 0}};
  return Object{
      {"textDocument", Object{{"uri", "file:///a.cpp"}}},
      {"range", Object{{"start", Object(Pos)}, {"end", Object(Pos)}}}};
}

TEST_F(Fixture, RequestReachesItsHandlerWithTypedParams) {
  receive(Object{{"jsonrpc", "2.0"},
                 {"id", 1},
                 {"method", "textDocument/codeAction"},
                 {"params", codeActionParams()}});
  ASSERT_EQ(Sent.size(), 1u);
  EXPECT_EQ(Sent[0], response(1, Array{"file:///a.cpp", 4}));
}

TEST_F(Fixture, UnknownRequestIsMethodNotFound) {
  receive(Object{{"jsonrpc", "2.0"}, {"id", "x"}, {"method", "no/such"}});
  ASSERT_EQ(Sent.size(), 1u);
  EXPECT_EQ(Sent[0],
            errorResponse("x", MethodNotFound, "method not found: no/such"));
}

TEST_F(Fixture, UnknownNotificationIsIgnored) {
  receive(Object{{"jsonrpc", "2.0"},
                 {"method", "$/cancelRequest"},
                 {"params", Object{{"id", 1}}}});
  receive(Object{{"jsonrpc", "2.0"}, {"method", "initialized"}});
  EXPECT_TRUE(Sent.empty());
  EXPECT_FALSE(Table.notify("no/such", Object{}));
}

TEST_F(Fixture, NotificationReachesItsHandler) {
  receive(Object{
      {"jsonrpc", "2.0"},
      {"method", "textDocument/didClose"},
      {"params", Object{{"textDocument", Object{{"uri", "file:///a.cpp"}}}}}});
  EXPECT_TRUE(Sent.empty());
  EXPECT_EQ(Opened, std::vector<std::string>{"closed file:///a.cpp"});
}

TEST_F(Fixture, InvalidParamsOfARequestAreAnswered) {
  receive(Object{{"jsonrpc", "2.0"},
                 {"id", 2},
                 {"method", "textDocument/codeAction"},
                 {"params", Object{{"textDocument", Object{}}}}});
  ASSERT_EQ(Sent.size(), 1u);
  EXPECT_EQ(errorCode(Sent[0]), InvalidParams);
  std::string Message =
      Sent[0].getAsObject()->getObject("error")->getString("message")->str();
  EXPECT_NE(Message.find("textDocument/codeAction"), std::string::npos)
      << Message;
  EXPECT_NE(Message.find("uri"), std::string::npos) << Message;
}

TEST_F(Fixture, InvalidParamsOfANotificationAreNotAnsweredButReported) {
  llvm::Error E = Table.notify("textDocument/didClose", Object{});
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find("textDocument"),
            std::string::npos);
  receive(Object{{"jsonrpc", "2.0"},
                 {"method", "textDocument/didClose"},
                 {"params", Object{}}});
  EXPECT_TRUE(Sent.empty());
  EXPECT_TRUE(Opened.empty());
}

TEST_F(Fixture, HandlerErrorsKeepTheirCode) {
  receive(Object{{"jsonrpc", "2.0"}, {"id", 3}, {"method", "fails"}});
  ASSERT_EQ(Sent.size(), 1u);
  EXPECT_EQ(Sent[0], errorResponse(3, RequestFailed, "not now"));
}

TEST_F(Fixture, EnvelopeErrors) {
  receive(Value(Array{1, 2}));
  receive(Object{{"jsonrpc", "2.0"}, {"id", 4}});
  receive(Object{
      {"jsonrpc", "2.0"}, {"id", 5}, {"method", "fails"}, {"params", Array{}}});
  receive(Object{{"jsonrpc", "2.0"}, {"id", 6}, {"result", nullptr}});
  ASSERT_EQ(Sent.size(), 3u); // a response is not answered
  EXPECT_EQ(Sent[0], errorResponse(nullptr, InvalidRequest,
                                   "a message must be a JSON object"));
  EXPECT_EQ(errorCode(Sent[1]), InvalidRequest);
  EXPECT_EQ(Sent[2],
            errorResponse(5, InvalidParams, "'params' must be an object"));
}

TEST(Dispatch, AnswerIsSentOnce) {
  std::vector<Value> Sent;
  Reply R(7, [&](Value M) { Sent.push_back(std::move(M)); });
  R(Value(nullptr));
  R(Value(1));
  EXPECT_EQ(Sent.size(), 1u);
}

} // namespace
