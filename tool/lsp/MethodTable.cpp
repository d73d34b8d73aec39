//===- MethodTable.cpp - JSON-RPC dispatch by method name -----------------===//
#include "MethodTable.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace peer::lsp {

char LSPError::ID;

void LSPError::log(raw_ostream &OS) const { OS << Message; }

void Reply::operator()(Expected<json::Value> Result) {
  if (!Out)
    return consumeError(Result.takeError());
  if (Result) {
    Out(response(Id, std::move(*Result)));
    Out = nullptr;
    return;
  }
  int Code = InternalError;
  std::string Message;
  handleAllErrors(
      Result.takeError(),
      [&](const LSPError &E) {
        Code = E.Code;
        Message = E.Message;
      },
      [&](const ErrorInfoBase &E) { Message = E.message(); });
  Out(errorResponse(Id, Code, Message));
  Out = nullptr;
}

std::optional<Incoming> unpack(const json::Value &Message, const Send &Out,
                               bool AnswerErrors) {
  auto Answer = [&](json::Value Error) {
    if (AnswerErrors)
      Out(std::move(Error));
    return std::nullopt;
  };
  const json::Object *M = Message.getAsObject();
  if (!M)
    return Answer(errorResponse(nullptr, InvalidRequest,
                                "a message must be a JSON object"));
  Incoming In;
  if (const json::Value *Id = M->get("id"))
    In.Id = *Id;
  std::optional<StringRef> Method = M->getString("method");
  if (!Method) {
    if (M->get("result") || M->get("error"))
      return std::nullopt; // a response: we send no requests
    return Answer(errorResponse(In.Id.value_or(nullptr), InvalidRequest,
                                "a message without 'method' must be a "
                                "response"));
  }
  In.Method = Method->str();
  if (const json::Value *Params = M->get("params")) {
    if (Params->getAsObject())
      In.Params = *Params;
    else if (Params->kind() != json::Value::Null) {
      if (!In.Id)
        return std::nullopt;
      return Answer(
          errorResponse(*In.Id, InvalidParams, "'params' must be an object"));
    }
  }
  return In;
}

void MethodTable::call(StringRef Method, const json::Value &Params,
                       Reply R) const {
  auto It = Requests.find(Method);
  if (It == Requests.end())
    return R(make_error<LSPError>("method not found: " + Method.str(),
                                  MethodNotFound));
  It->second(Params, std::move(R));
}

Error MethodTable::notify(StringRef Method, const json::Value &Params) const {
  auto It = Notifications.find(Method);
  if (It == Notifications.end())
    return Error::success();
  return It->second(Params);
}

void MethodTable::dispatch(const Incoming &In, const Send &Out) const {
  if (In.Id)
    return call(In.Method, In.Params, Reply(*In.Id, Out));
  if (Error E = notify(In.Method, In.Params))
    logLine("peer-tidy: ignoring " + In.Method + ": " + toString(std::move(E)));
}

std::optional<json::Value> readMessage(FrameReader &In, const Send &Out,
                                       std::string &Body) {
  std::string Error;
  for (;;) {
    switch (In.next(Body, Error)) {
    case FrameReader::Eof:
      return std::nullopt;
    case FrameReader::Malformed:
      Out(errorResponse(nullptr, ParseError, "malformed message: " + Error));
      continue;
    case FrameReader::Message:
      break;
    }
    json::Value Reply = nullptr;
    if (std::optional<json::Value> Parsed = parseMessage(Body, Reply))
      return Parsed;
    Out(std::move(Reply));
  }
}

} // namespace peer::lsp
