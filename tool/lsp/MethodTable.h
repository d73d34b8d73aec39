//===- MethodTable.h - JSON-RPC dispatch by method name ---------*- C++ -*-===//
//
// The servers' methods as a table, as clangd's LSPBinder: each entry binds a
// method name to a handler taking its typed params (Messages.h). A request's
// handler answers through a Reply; a notification's answers nothing.
//
//   unknown request      -> MethodNotFound error response
//   unknown notification -> ignored (LSP: "$/..." and the like may be)
//   params not its type  -> InvalidParams error response for a request; for a
//                           notification an llvm::Error the server logs
//
// Also the JSON-RPC envelope (Incoming: id, method, params) and readMessage,
// the one loop step that turns a frame into a message or an error answer.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_METHODTABLE_H
#define PEER_TIDY_LSP_METHODTABLE_H

#include "Protocol.h"

#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <functional>
#include <optional>
#include <string>

namespace peer::lsp {

/// An error with its JSON-RPC code, for a request's error response.
class LSPError : public llvm::ErrorInfo<LSPError> {
public:
  static char ID;
  LSPError(std::string Message, ErrorCode Code)
      : Message(std::move(Message)), Code(Code) {}
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }
  std::string Message;
  ErrorCode Code;
};

/// Where a server's outgoing messages go (a FrameWriter, or a test's list).
using Send = std::function<void(llvm::json::Value)>;

/// The answer to one request, sent once: a result, or an error (an LSPError
/// keeps its code; any other is InternalError).
class Reply {
public:
  Reply(llvm::json::Value Id, Send Out)
      : Id(std::move(Id)), Out(std::move(Out)) {}
  const llvm::json::Value &id() const { return Id; }
  void operator()(llvm::Expected<llvm::json::Value> Result);

private:
  llvm::json::Value Id;
  Send Out;
};

/// One JSON-RPC request or notification: its id (only a request has one)
/// and its params (an empty object when absent or null).
struct Incoming {
  std::string Method;
  std::optional<llvm::json::Value> Id;
  llvm::json::Value Params = llvm::json::Object();
};

/// Message as an Incoming. Otherwise nullopt: for a response (we send no
/// requests) silently; for what is not JSON-RPC after sending Out the error
/// to answer it with, when AnswerErrors.
std::optional<Incoming> unpack(const llvm::json::Value &Message,
                               const Send &Out, bool AnswerErrors = true);

class MethodTable {
public:
  template <typename Params>
  void notification(llvm::StringRef Method,
                    std::function<void(const Params &)> Handler) {
    Notifications[Method] = [Name = Method.str(), Handler = std::move(Handler)](
                                const llvm::json::Value &Raw) -> llvm::Error {
      llvm::Expected<Params> P = parse<Params>(Raw, Name);
      if (!P)
        return P.takeError();
      Handler(*P);
      return llvm::Error::success();
    };
  }

  template <typename Params>
  void request(llvm::StringRef Method,
               std::function<void(const Params &, Reply)> Handler) {
    Requests[Method] = [Name = Method.str(), Handler = std::move(Handler)](
                           const llvm::json::Value &Raw, Reply R) {
      llvm::Expected<Params> P = parse<Params>(Raw, Name);
      if (!P)
        return R(P.takeError());
      Handler(*P, std::move(R));
    };
  }

  bool handles(llvm::StringRef Method) const {
    return Requests.count(Method) || Notifications.count(Method);
  }

  /// Runs the request's handler; see the file comment for the errors.
  void call(llvm::StringRef Method, const llvm::json::Value &Params,
            Reply R) const;
  /// Runs the notification's handler; see the file comment.
  llvm::Error notify(llvm::StringRef Method,
                     const llvm::json::Value &Params) const;
  /// A request or a notification, by whether it has an id. Errors of a
  /// notification are logged to stderr.
  void dispatch(const Incoming &In, const Send &Out) const;

  /// Params as T, or an InvalidParams LSPError naming where they are wrong.
  template <typename T>
  static llvm::Expected<T> parse(const llvm::json::Value &Params,
                                 llvm::StringRef Method) {
    llvm::json::Path::Root Root("params");
    T Out;
    if (fromJSON(Params, Out, Root))
      return Out;
    return llvm::make_error<LSPError>("invalid params of " + Method.str() +
                                          ": " +
                                          llvm::toString(Root.getError()),
                                      InvalidParams);
  }

private:
  llvm::StringMap<std::function<void(const llvm::json::Value &, Reply)>>
      Requests;
  llvm::StringMap<std::function<llvm::Error(const llvm::json::Value &)>>
      Notifications;
};

/// Reads frames from In until one holds a JSON message, and returns it with
/// its text in Body; nullopt at the end of input. A frame that is not one
/// is answered on Out (ParseError, or InvalidRequest for nesting beyond
/// tool/JsonLimits.h) and skipped.
std::optional<llvm::json::Value> readMessage(FrameReader &In, const Send &Out,
                                             std::string &Body);

} // namespace peer::lsp

#endif
