//===- RemoteCache.h - a shared result cache over plain HTTP ----*- C++ -*-===//
//
// --cache-url: cache entries are fetched with GET <prefix>/<key> (200 and the
// entry, or 404) and stored with PUT <prefix>/<key>, the protocol of Bazel's
// HTTP remote cache and of ccache's http storage, so any WebDAV server
// (nginx's dav_methods PUT), bazel-remote or a ccache storage server will do.
//
// A small blocking HTTP/1.1 client over POSIX sockets, one connection per
// request: LLVM's own HTTPClient (llvm/Debuginfod) can only GET. Only http://
// (TLS belongs to a proxy in front of the server).
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_REMOTECACHE_H
#define PEER_TIDY_REMOTECACHE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace peer::tool {

struct HttpResponse {
  unsigned Status = 0;
  std::string Body;
};

class RemoteCache {
public:
  /// A remote cache at Url (http://[user:password@]host[:port][/prefix]); an
  /// error saying what is wrong with it (https, another scheme, no host, a bad
  /// port). Nothing is contacted yet.
  static llvm::Expected<std::unique_ptr<RemoteCache>>
  open(llvm::StringRef Url,
       std::chrono::milliseconds Timeout = std::chrono::seconds(5));

  /// The entry stored under Name; nullopt when there is none (404) or the
  /// server cannot be asked. A failure is reported once per run (the first
  /// one, as a warning); after a failure to connect, send or receive, the
  /// remote cache is not asked again in this run.
  std::optional<std::string> get(llvm::StringRef Name);
  /// Stores Body under Name; failures as for get.
  void put(llvm::StringRef Name, llvm::StringRef Body);

  unsigned fetched() const { return Fetched; }
  unsigned stored() const { return Stored; }
  /// Whether the remote cache was given up on for this run.
  bool disabled() const { return Disabled; }
  const std::string &url() const { return Url; }

private:
  RemoteCache() = default;

  /// One request on a new connection; an error for anything but a complete
  /// HTTP response.
  llvm::Expected<HttpResponse>
  request(llvm::StringRef Method, llvm::StringRef Name, llvm::StringRef Body);
  void fail(const llvm::Twine &Why, bool GiveUp);

  std::string Url; ///< As given, without credentials, for messages.
  std::string Host, Port, Prefix, Authorization;
  std::chrono::milliseconds Timeout{5000};
  std::atomic<bool> Warned{false}, Disabled{false};
  std::atomic<unsigned> Fetched{0}, Stored{0};
};

/// The bytes of an HTTP/1.1 response received so far (status line, headers,
/// a body framed by Content-Length, chunked, or the end of the connection):
/// the response once it is complete, nullopt while more bytes are needed,
/// an error when it is malformed, or incomplete although the connection was
/// closed.
llvm::Expected<std::optional<HttpResponse>>
parseHttpResponse(llvm::StringRef Bytes, bool ConnectionClosed);

} // namespace peer::tool

#endif
