//===- RemoteCache.cpp - a shared result cache over plain HTTP ------------===//
//
// Every request is one HTTP/1.1 exchange on its own connection
// ("Connection: close"): a PUT with a Content-Length, or a GET whose answer
// is framed by Content-Length, chunked, or the end of the connection (all
// three are what nginx, bazel-remote and Python's http.server send). Each
// wait (connect, send, receive) has the timeout; a whole request has eight
// of them. An answer is bounded by MaxBodySize.
//
// Whatever goes wrong is a miss: the cache's entries are sealed and checked
// like local ones (Cache.cpp), so a truncated or altered entry, or a server
// that answers with something else, never changes a result.
//
//===----------------------------------------------------------------------===//
#include "RemoteCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Base64.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

using namespace llvm;

namespace peer::tool {
namespace {

/// Larger than any cache entry; a bound on what one answer may allocate.
constexpr size_t MaxBodySize = size_t(256) << 20;
/// A bound on the status line and headers.
constexpr size_t MaxHeaderSize = 64 << 10;

using Clock = std::chrono::steady_clock;

Error failure(const Twine &Message) {
  return createStringError(std::errc::io_error, "%s", Message.str().c_str());
}

/// A socket closed on destruction.
struct Socket {
  int FD = -1;
  ~Socket() {
    if (FD >= 0)
      ::close(FD);
  }
};

/// Waits until FD is ready for Events, at most until Deadline (and at most
/// Timeout from now); false on timeout.
bool waitFor(int FD, short Events, Clock::time_point Deadline,
             std::chrono::milliseconds Timeout) {
  for (;;) {
    auto Left = std::min<Clock::duration>(Deadline - Clock::now(), Timeout);
    if (Left <= Clock::duration::zero())
      return false;
    pollfd P{FD, Events, 0};
    int N =
        ::poll(&P, 1,
               int(std::chrono::duration_cast<std::chrono::milliseconds>(Left)
                       .count() +
                   1));
    if (N > 0)
      return true;
    if (N == 0)
      return false;
    if (errno != EINTR)
      return false;
  }
}

/// A case-insensitive header lookup in the header block.
std::optional<StringRef> header(StringRef Headers, StringRef Name) {
  std::optional<StringRef> Found;
  while (!Headers.empty()) {
    auto [Line, Rest] = Headers.split("\r\n");
    Headers = Rest;
    auto [Key, Value] = Line.split(':');
    if (Key.trim().equals_insensitive(Name))
      Found = Value.trim();
  }
  return Found;
}

/// The body of a chunked message in Bytes: nullopt while incomplete.
Expected<std::optional<std::string>> dechunk(StringRef Bytes) {
  std::string Body;
  for (;;) {
    size_t LineEnd = Bytes.find("\r\n");
    if (LineEnd == StringRef::npos)
      return std::nullopt;
    StringRef SizeText = Bytes.take_front(LineEnd).split(';').first.trim();
    unsigned long long Size;
    if (SizeText.empty() || SizeText.size() > 16 ||
        SizeText.getAsInteger(16, Size))
      return failure("malformed chunk size '" + SizeText + "'");
    Bytes = Bytes.drop_front(LineEnd + 2);
    if (Size == 0) {
      // Trailers, each ending in CRLF, then an empty line.
      for (;;) {
        size_t End = Bytes.find("\r\n");
        if (End == StringRef::npos)
          return std::nullopt;
        if (End == 0)
          return std::optional<std::string>(std::move(Body));
        Bytes = Bytes.drop_front(End + 2);
      }
    }
    if (Size > MaxBodySize || Body.size() + Size > MaxBodySize)
      return failure("an answer larger than " + Twine(MaxBodySize) + " bytes");
    if (Bytes.size() < Size + 2)
      return std::nullopt;
    if (Bytes.substr(Size, 2) != "\r\n")
      return failure("a chunk without its CRLF");
    Body.append(Bytes.data(), Size);
    Bytes = Bytes.drop_front(Size + 2);
  }
}

} // namespace

Expected<std::optional<HttpResponse>> parseHttpResponse(StringRef Bytes,
                                                        bool Closed) {
  size_t HeaderEnd = Bytes.find("\r\n\r\n");
  if (HeaderEnd == StringRef::npos) {
    if (Bytes.size() > MaxHeaderSize)
      return failure("headers longer than " + Twine(MaxHeaderSize) + " bytes");
    if (Closed)
      return failure("the connection closed before the end of the headers");
    return std::nullopt;
  }
  auto [StatusLine, Headers] = Bytes.take_front(HeaderEnd).split("\r\n");
  // HTTP/1.x SP 3DIGIT [SP reason]
  StringRef Version = StatusLine.take_front(8);
  unsigned Status = 0;
  if (!(Version == "HTTP/1.1" || Version == "HTTP/1.0") ||
      StatusLine.size() < 12 || StatusLine[8] != ' ' ||
      StatusLine.substr(9, 3).getAsInteger(10, Status) || Status < 100 ||
      (StatusLine.size() > 12 && StatusLine[12] != ' '))
    return failure("not an HTTP/1.x status line: '" +
                   StatusLine.take_front(80) + "'");
  if (Status < 200)
    return failure("an unexpected interim answer " + Twine(Status));
  StringRef Rest = Bytes.drop_front(HeaderEnd + 4);
  HttpResponse Response;
  Response.Status = Status;
  if (Status == 204 || Status == 304)
    return std::optional<HttpResponse>(std::move(Response));
  std::optional<StringRef> Encoding = header(Headers, "Transfer-Encoding");
  if (Encoding && !Encoding->equals_insensitive("identity")) {
    if (!Encoding->equals_insensitive("chunked"))
      return failure("an unsupported Transfer-Encoding '" + *Encoding + "'");
    Expected<std::optional<std::string>> Body = dechunk(Rest);
    if (!Body)
      return Body.takeError();
    if (!*Body) {
      if (Closed)
        return failure("the connection closed in the middle of the answer");
      return std::nullopt;
    }
    Response.Body = std::move(**Body);
    return std::optional<HttpResponse>(std::move(Response));
  }
  if (std::optional<StringRef> Length = header(Headers, "Content-Length")) {
    unsigned long long Size;
    if (Length->getAsInteger(10, Size))
      return failure("a malformed Content-Length '" + *Length + "'");
    if (Size > MaxBodySize)
      return failure("an answer larger than " + Twine(MaxBodySize) + " bytes");
    if (Rest.size() < Size) {
      if (Closed)
        return failure("the connection closed after " + Twine(Rest.size()) +
                       " of " + Twine(Size) + " bytes");
      return std::nullopt;
    }
    Response.Body = Rest.take_front(Size).str();
    return std::optional<HttpResponse>(std::move(Response));
  }
  // Delimited by the end of the connection.
  if (Rest.size() > MaxBodySize)
    return failure("an answer larger than " + Twine(MaxBodySize) + " bytes");
  if (!Closed)
    return std::nullopt;
  Response.Body = Rest.str();
  return std::optional<HttpResponse>(std::move(Response));
}

Expected<std::unique_ptr<RemoteCache>>
RemoteCache::open(StringRef Url, std::chrono::milliseconds Timeout) {
  auto Bad = [&](const Twine &Why) {
    return createStringError(std::errc::invalid_argument,
                             "invalid --cache-url '%s': %s", Url.str().c_str(),
                             Why.str().c_str());
  };
  for (char C : Url)
    if (static_cast<unsigned char>(C) <= ' ' || C == 0x7f)
      return Bad("it contains a space or a control character");
  StringRef Rest = Url;
  if (Rest.starts_with_insensitive("https://"))
    return Bad("https is not supported; use http:// (behind a TLS proxy if "
               "the cache is not on a trusted network)");
  if (!Rest.consume_front_insensitive("http://"))
    return Bad("it must start with http://");
  auto [Authority, Path] = Rest.split('/');
  std::unique_ptr<RemoteCache> Cache(new RemoteCache);
  Cache->Timeout = Timeout;
  if (Authority.contains('@')) {
    auto [Credentials, HostPort] = Authority.rsplit('@');
    Cache->Authorization = "Basic " + encodeBase64(Credentials);
    Authority = HostPort;
  }
  StringRef Host = Authority, Port = "80";
  if (Authority.starts_with("[")) {
    size_t Close = Authority.find(']');
    if (Close == StringRef::npos)
      return Bad("an IPv6 address without its ']'");
    Host = Authority.slice(1, Close);
    StringRef After = Authority.drop_front(Close + 1);
    if (!After.empty() && !After.consume_front(":"))
      return Bad("something after the IPv6 address that is not a port");
    if (!After.empty())
      Port = After;
  } else if (Authority.contains(':')) {
    std::tie(Host, Port) = Authority.split(':');
  }
  unsigned PortNumber;
  if (Host.empty())
    return Bad("no host");
  if (Port.getAsInteger(10, PortNumber) || PortNumber == 0 ||
      PortNumber > 65535)
    return Bad("the port '" + Port + "' is not a number from 1 to 65535");
  if (Path.contains('?') || Path.contains('#'))
    return Bad("a query or fragment; give a path prefix only");
  Cache->Host = Host.str();
  Cache->Port = Port.str();
  Cache->Prefix = ("/" + Path.rtrim('/')).str();
  if (Cache->Prefix != "/")
    Cache->Prefix += "/";
  std::string HostPort =
      Host.contains(':') ? ("[" + Host + "]").str() : Host.str();
  Cache->Url = "http://" + HostPort + ":" + Cache->Port + Cache->Prefix;
  return Cache;
}

void RemoteCache::fail(const Twine &Why, bool GiveUp) {
  if (GiveUp)
    Disabled = true;
  if (Warned.exchange(true))
    return;
  std::string Message;
  raw_string_ostream OS(Message);
  OS << "remote cache " << Url << ": " << Why << "; "
     << (GiveUp ? "going on without it (local cache only)"
                : "going on, unfound entries are analysed")
     << "\n";
  WithColor::warning(errs(), "peer-tidy") << Message;
}

namespace {

/// Connects S to Host:Port, trying each address until one answers.
Error connectTo(Socket &S, const std::string &Host, const std::string &Port,
                Clock::time_point Deadline, std::chrono::milliseconds Timeout) {
  addrinfo Hints{};
  Hints.ai_family = AF_UNSPEC;
  Hints.ai_socktype = SOCK_STREAM;
  addrinfo *Addresses = nullptr;
  if (int Code = ::getaddrinfo(Host.c_str(), Port.c_str(), &Hints, &Addresses))
    return failure("cannot resolve '" + Host + "': " + gai_strerror(Code));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> Owner(Addresses,
                                                             ::freeaddrinfo);
  std::string ConnectError = "no address";
  for (addrinfo *A = Addresses; A; A = A->ai_next) {
    Socket Candidate;
    Candidate.FD =
        ::socket(A->ai_family, A->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                 A->ai_protocol);
    if (Candidate.FD < 0) {
      ConnectError = std::strerror(errno);
      continue;
    }
    if (::connect(Candidate.FD, A->ai_addr, A->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        ConnectError = std::strerror(errno);
        continue;
      }
      if (!waitFor(Candidate.FD, POLLOUT, Deadline, Timeout)) {
        ConnectError = "timed out";
        continue;
      }
      int SocketError = 0;
      socklen_t Size = sizeof SocketError;
      if (::getsockopt(Candidate.FD, SOL_SOCKET, SO_ERROR, &SocketError,
                       &Size) != 0 ||
          SocketError != 0) {
        ConnectError = std::strerror(SocketError ? SocketError : errno);
        continue;
      }
    }
    std::swap(S.FD, Candidate.FD);
    int One = 1;
    ::setsockopt(S.FD, IPPROTO_TCP, TCP_NODELAY, &One, sizeof One);
    return Error::success();
  }
  return failure("cannot connect to " + Host + ":" + Port + ": " +
                 ConnectError);
}

/// Sends each of Parts whole.
Error sendAll(int FD, ArrayRef<StringRef> Parts, StringRef Method,
              Clock::time_point Deadline, std::chrono::milliseconds Timeout) {
  for (StringRef Part : Parts) {
    while (!Part.empty()) {
      ssize_t N = ::send(FD, Part.data(), Part.size(), MSG_NOSIGNAL);
      if (N > 0) {
        Part = Part.drop_front(N);
        continue;
      }
      if (N < 0 && errno == EINTR)
        continue;
      if (N < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!waitFor(FD, POLLOUT, Deadline, Timeout))
          return failure("timed out sending the " + Method + " request");
        continue;
      }
      return failure("cannot send the " + Method +
                     " request: " + std::strerror(errno));
    }
  }
  return Error::success();
}

/// Reads until the answer is complete (or the server closes the connection).
Expected<HttpResponse> receiveResponse(int FD, StringRef Method,
                                       Clock::time_point Deadline,
                                       std::chrono::milliseconds Timeout) {
  std::string Received;
  char Buffer[16384];
  for (;;) {
    ssize_t N = ::recv(FD, Buffer, sizeof Buffer, 0);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!waitFor(FD, POLLIN, Deadline, Timeout))
        return failure("timed out waiting for the answer to " + Method);
      continue;
    }
    if (N < 0)
      return failure("cannot receive the answer to " + Method + ": " +
                     std::strerror(errno));
    Received.append(Buffer, N);
    Expected<std::optional<HttpResponse>> Parsed =
        parseHttpResponse(Received, /*ConnectionClosed=*/N == 0);
    if (!Parsed)
      return failure("a bad answer to " + Method + ": " +
                     toString(Parsed.takeError()));
    if (*Parsed)
      return std::move(**Parsed);
  }
}

} // namespace

Expected<HttpResponse> RemoteCache::request(StringRef Method, StringRef Name,
                                            StringRef Body) {
  Clock::time_point Deadline = Clock::now() + 8 * Timeout;
  Socket S;
  if (Error E = connectTo(S, Host, Port, Deadline, Timeout))
    return E;

  std::string Request;
  {
    raw_string_ostream OS(Request);
    OS << Method << " " << Prefix << Name << " HTTP/1.1\r\n"
       << "Host: "
       << (Host.find(':') != std::string::npos ? "[" + Host + "]" : Host) << ":"
       << Port << "\r\n"
       << "User-Agent: peer-tidy\r\n"
       << "Connection: close\r\n";
    if (!Authorization.empty())
      OS << "Authorization: " << Authorization << "\r\n";
    if (Method == "PUT")
      OS << "Content-Type: application/octet-stream\r\n"
         << "Content-Length: " << Body.size() << "\r\n";
    OS << "\r\n";
  }
  if (Error E =
          sendAll(S.FD, {StringRef(Request), Body}, Method, Deadline, Timeout))
    return E;
  return receiveResponse(S.FD, Method, Deadline, Timeout);
}

std::optional<std::string> RemoteCache::get(StringRef Name) {
  if (Disabled)
    return std::nullopt;
  Expected<HttpResponse> Response = request("GET", Name, "");
  if (!Response) {
    fail(toString(Response.takeError()), /*GiveUp=*/true);
    return std::nullopt;
  }
  if (Response->Status == 200) {
    ++Fetched;
    return std::move(Response->Body);
  }
  if (Response->Status != 404)
    fail("GET answered " + Twine(Response->Status), /*GiveUp=*/false);
  return std::nullopt;
}

void RemoteCache::put(StringRef Name, StringRef Body) {
  if (Disabled)
    return;
  Expected<HttpResponse> Response = request("PUT", Name, Body);
  if (!Response) {
    fail(toString(Response.takeError()), /*GiveUp=*/true);
    return;
  }
  if (Response->Status >= 200 && Response->Status < 300)
    ++Stored;
  else
    fail("PUT answered " + Twine(Response->Status), /*GiveUp=*/false);
}

} // namespace peer::tool
