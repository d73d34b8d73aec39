//===- Protocol.h - JSON-RPC framing and LSP positions ----------*- C++ -*-===//
//
// The small pieces both editor deliveries share: Content-Length framing over
// file descriptors (robust to malformed input), JSON-RPC message helpers,
// file:// URIs, and the conversion between clang's byte columns and the
// client's negotiated position encoding (UTF-16 by default, UTF-8 if offered).
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_PROTOCOL_H
#define PEER_TIDY_LSP_PROTOCOL_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/JSON.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace peer::lsp {

// JSON-RPC error codes (JSON-RPC 2.0 and LSP 3.17).
enum ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestFailed = -32803,
};

/// Reads Content-Length framed messages from a file descriptor. A frame whose
/// header is unusable is reported as Malformed and skipped; the stream goes on.
class FrameReader {
public:
  explicit FrameReader(int FD) : FD(FD) {}
  enum Status { Message, Malformed, Eof };
  /// On Message, Body holds the payload; on Malformed, Error says why.
  Status next(std::string &Body, std::string &Error);
  /// Reads wait no later than Deadline (none: forever); past it, next()
  /// returns Eof or Malformed and timedOut() says why.
  void setDeadline(std::optional<std::chrono::steady_clock::time_point> D) {
    Deadline = D;
    TimedOut = false;
  }
  bool timedOut() const { return TimedOut; }

private:
  bool fill();                       // false on EOF, read error or deadline
  std::optional<std::string> line(); // one header line without CR LF
  bool waitReadable();               // false past the deadline
  int FD;
  std::string Buffer;
  size_t Pos = 0;
  std::optional<std::chrono::steady_clock::time_point> Deadline;
  bool TimedOut = false;
};

/// Writes framed messages to a file descriptor; safe to call from any thread.
class FrameWriter {
public:
  explicit FrameWriter(int FD) : FD(FD) {}
  /// Returns false once the peer has gone away.
  bool writeRaw(llvm::StringRef Body);
  bool write(const llvm::json::Value &Message);
  /// Waits for a write in progress; later writes are dropped.
  void close();

private:
  int FD;
  std::mutex Lock;
  bool Broken = false;
};

/// Parses one message body, refusing over-deep nesting before any recursive
/// parse (tool/JsonLimits.h). On failure returns nullopt and sets Error to
/// the response to send: -32600 for nesting beyond the limit, -32700 for
/// text that is not JSON.
std::optional<llvm::json::Value> parseMessage(llvm::StringRef Body,
                                              llvm::json::Value &Error);

llvm::json::Value errorResponse(const llvm::json::Value &Id, int Code,
                                llvm::StringRef Message);
llvm::json::Value response(const llvm::json::Value &Id,
                           llvm::json::Value Result);
llvm::json::Value notification(llvm::StringRef Method,
                               llvm::json::Value Params);

/// Writes one line of the server's log to stderr, in one write: under the
/// proxy, clangd logs to the same stderr, and a line written in pieces is
/// split by its lines.
void logLine(const llvm::Twine &Line);

/// file:///a%20b/c.cpp <-> /a b/c.cpp. Returns nullopt for other schemes.
std::optional<std::string> uriToPath(llvm::StringRef URI);
std::string pathToURI(llvm::StringRef Path);

enum class Encoding { UTF8, UTF16 };
llvm::StringRef encodingName(Encoding E);

/// Byte offset into Text -> LSP position {line, character}.
llvm::json::Object offsetToPosition(llvm::StringRef Text, size_t Offset,
                                    Encoding E);
/// LSP position -> byte offset into Text, clamped to the line's end (and to
/// the text's end for lines past it). Columns that split a UTF-16 surrogate
/// pair or a UTF-8 sequence round down to the character's start.
size_t positionToOffset(llvm::StringRef Text, const llvm::json::Object &Pos,
                        Encoding E);
/// Applies one TextDocumentContentChangeEvent (full or ranged) to Text.
bool applyChange(std::string &Text, const llvm::json::Object &Change,
                 Encoding E);

} // namespace peer::lsp

#endif
