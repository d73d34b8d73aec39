//===- Protocol.cpp - JSON-RPC framing and LSP positions ------------------===//
#include "Protocol.h"

#include "JsonLimits.h"

#include "llvm/ADT/StringExtras.h"

#include <cerrno>
#include <poll.h>
#include <unistd.h>

using namespace llvm;

namespace peer::lsp {

// Anything bigger is treated as a broken header rather than allocated.
static constexpr size_t MaxMessageBytes = 256u << 20;

bool FrameReader::waitReadable() {
  for (;;) {
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
        *Deadline - std::chrono::steady_clock::now());
    if (Left.count() <= 0) {
      TimedOut = true;
      return false;
    }
    pollfd P{FD, POLLIN, 0};
    int N = ::poll(&P, 1, int(std::min<int64_t>(Left.count(), 1 << 30)));
    if (N > 0)
      return true; // readable, or hung up: read() says which
    if (N < 0 && errno != EINTR)
      return false;
  }
}

bool FrameReader::fill() {
  if (Pos > 0 && Pos == Buffer.size()) {
    Buffer.clear();
    Pos = 0;
  }
  char Chunk[65536];
  for (;;) {
    if (Deadline && !waitReadable())
      return false;
    ssize_t N = ::read(FD, Chunk, sizeof Chunk);
    if (N > 0) {
      Buffer.append(Chunk, size_t(N));
      return true;
    }
    if (N < 0 && errno == EINTR)
      continue;
    return false;
  }
}

std::optional<std::string> FrameReader::line() {
  for (;;) {
    size_t NL = Buffer.find('\n', Pos);
    if (NL != std::string::npos) {
      std::string Line = Buffer.substr(Pos, NL - Pos);
      Pos = NL + 1;
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      return Line;
    }
    if (Buffer.size() - Pos > 8192) { // no header line is this long
      Pos = Buffer.size();
      return std::string("\x01"); // marks an overlong line
    }
    if (!fill()) {
      if (Pos < Buffer.size()) { // a truncated last line
        std::string Line = Buffer.substr(Pos);
        Pos = Buffer.size();
        return Line;
      }
      return std::nullopt;
    }
  }
}

FrameReader::Status FrameReader::next(std::string &Body, std::string &Error) {
  std::optional<size_t> Length;
  bool SawHeader = false;
  std::string Problem;
  for (;;) {
    std::optional<std::string> Line = line();
    if (!Line)
      return SawHeader
                 ? (Error = "end of input inside a message header", Malformed)
                 : Eof;
    if (Line->empty()) {
      if (!SawHeader)
        continue; // stray blank lines between messages
      break;
    }
    SawHeader = true;
    StringRef L(*Line);
    auto [Name, Value] = L.split(':');
    if (L.find(':') == StringRef::npos) {
      Problem = "header line without ':'";
      continue;
    }
    if (Name.trim().equals_insensitive("Content-Length")) {
      size_t N;
      if (Value.trim().getAsInteger(10, N) || N > MaxMessageBytes)
        Problem = "invalid Content-Length '" + Value.trim().str() + "'";
      else
        Length = N;
    }
  }
  if (!Length) {
    Error =
        Problem.empty() ? "message without a Content-Length header" : Problem;
    return Malformed;
  }
  while (Buffer.size() - Pos < *Length)
    if (!fill()) {
      Error = "end of input inside a message body";
      Pos = Buffer.size();
      return Malformed;
    }
  Body = Buffer.substr(Pos, *Length);
  Pos += *Length;
  if (!Problem.empty()) {
    Error = Problem;
    return Malformed;
  }
  return Message;
}

bool FrameWriter::writeRaw(StringRef Body) {
  std::string Frame = "Content-Length: " + std::to_string(Body.size()) +
                      "\r\n\r\n" + Body.str();
  std::lock_guard<std::mutex> Guard(Lock);
  if (Broken)
    return false;
  const char *P = Frame.data();
  size_t Left = Frame.size();
  while (Left) {
    ssize_t N = ::write(FD, P, Left);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0) {
      Broken = true;
      return false;
    }
    P += N;
    Left -= size_t(N);
  }
  return true;
}

void FrameWriter::close() {
  std::lock_guard<std::mutex> Guard(Lock);
  Broken = true;
}

bool FrameWriter::write(const json::Value &Message) {
  std::string Text;
  raw_string_ostream OS(Text);
  OS << Message;
  OS.flush();
  return writeRaw(Text);
}

json::Value errorResponse(const json::Value &Id, int Code, StringRef Message) {
  return json::Object{
      {"jsonrpc", "2.0"},
      {"id", Id},
      {"error", json::Object{{"code", Code}, {"message", Message.str()}}}};
}

std::optional<json::Value> parseMessage(StringRef Body, json::Value &Error) {
  if (unsigned Depth = tool::jsonNestingDepth(Body);
      Depth > tool::MaxJsonDepth) {
    Error = errorResponse(
        nullptr, InvalidRequest,
        "message nested " + std::to_string(Depth) + " levels deep (at most " +
            std::to_string(tool::MaxJsonDepth) + " are accepted)");
    return std::nullopt;
  }
  Expected<json::Value> Parsed = tool::parseBoundedJson(Body);
  if (!Parsed) {
    Error = errorResponse(nullptr, ParseError,
                          "invalid JSON: " + toString(Parsed.takeError()));
    return std::nullopt;
  }
  return std::move(*Parsed);
}

json::Value response(const json::Value &Id, json::Value Result) {
  return json::Object{
      {"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}};
}

json::Value notification(StringRef Method, json::Value Params) {
  return json::Object{
      {"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}};
}

std::optional<std::string> uriToPath(StringRef URI) {
  if (!URI.consume_front("file://"))
    return std::nullopt;
  // file://host/path: only the empty host and localhost are local.
  if (!URI.starts_with("/")) {
    if (!URI.consume_front("localhost"))
      return std::nullopt;
  }
  std::string Path;
  for (size_t I = 0; I < URI.size(); ++I) {
    if (URI[I] == '%' && I + 2 < URI.size() + 0 && isHexDigit(URI[I + 1]) &&
        isHexDigit(URI[I + 2])) {
      Path.push_back(char(hexFromNibbles(URI[I + 1], URI[I + 2])));
      I += 2;
    } else {
      Path.push_back(URI[I]);
    }
  }
  return Path;
}

void logLine(const Twine &Line) {
  std::string Text = Line.str();
  Text += '\n';
  errs() << Text; // unbuffered: one write of the whole line
}

std::string pathToURI(StringRef Path) {
  std::string URI = "file://";
  for (unsigned char C : Path) {
    if (isAlnum(C) || StringRef("/-_.~+@:,").contains(C))
      URI.push_back(char(C));
    else {
      URI.push_back('%');
      URI.push_back(hexdigit(C >> 4, false));
      URI.push_back(hexdigit(C & 15, false));
    }
  }
  return URI;
}

StringRef encodingName(Encoding E) {
  return E == Encoding::UTF8 ? "utf-8" : "utf-16";
}

// Length in bytes of the UTF-8 sequence led by C; stray bytes count as one.
static unsigned sequenceLength(unsigned char C) {
  if (C >= 0xF0 && C < 0xF8)
    return 4;
  if (C >= 0xE0 && C < 0xF0)
    return 3;
  if (C >= 0xC0 && C < 0xE0)
    return 2;
  return 1;
}

json::Object offsetToPosition(StringRef Text, size_t Offset, Encoding E) {
  Offset = std::min(Offset, Text.size());
  StringRef Before = Text.take_front(Offset);
  size_t Line = Before.count('\n');
  size_t LineStart = Before.rfind('\n');
  LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
  size_t Column = Offset - LineStart;
  if (E == Encoding::UTF16) {
    Column = 0;
    for (size_t I = LineStart; I < Offset;) {
      unsigned Len = sequenceLength(Text[I]);
      Column += Len == 4 ? 2 : 1;
      I += Len;
    }
  }
  return json::Object{{"line", int64_t(Line)}, {"character", int64_t(Column)}};
}

size_t positionToOffset(StringRef Text, const json::Object &Pos, Encoding E) {
  int64_t Line = Pos.getInteger("line").value_or(0);
  int64_t Character = Pos.getInteger("character").value_or(0);
  size_t Start = 0;
  for (int64_t L = 0; L < Line; ++L) {
    size_t NL = Text.find('\n', Start);
    if (NL == StringRef::npos)
      return Text.size();
    Start = NL + 1;
  }
  size_t End = Text.find('\n', Start);
  if (End == StringRef::npos)
    End = Text.size();
  if (Character <= 0)
    return Start;
  if (E == Encoding::UTF8) {
    // Back over continuation bytes: never inside a character's sequence.
    size_t Offset = std::min(Start + size_t(Character), End);
    while (Offset > Start && Offset < End &&
           (static_cast<unsigned char>(Text[Offset]) & 0xC0) == 0x80)
      --Offset;
    return Offset;
  }
  int64_t Units = 0;
  size_t I = Start;
  while (I < End) {
    unsigned Len = sequenceLength(Text[I]);
    unsigned Width = Len == 4 ? 2 : 1;
    if (Units + Width > Character)
      break;
    Units += Width;
    I = std::min(I + Len, End);
  }
  return I;
}

bool applyChange(std::string &Text, const json::Object &Change, Encoding E) {
  std::optional<StringRef> NewText = Change.getString("text");
  if (!NewText)
    return false;
  const json::Object *Range = Change.getObject("range");
  if (!Range) {
    Text = NewText->str();
    return true;
  }
  const json::Object *Start = Range->getObject("start");
  const json::Object *End = Range->getObject("end");
  if (!Start || !End)
    return false;
  size_t From = positionToOffset(Text, *Start, E);
  size_t To = positionToOffset(Text, *End, E);
  if (To < From)
    return false;
  Text.replace(From, To - From, NewText->str());
  return true;
}

} // namespace peer::lsp
