//===- cache_entry_fuzzer.cpp - libFuzzer target: the cache entry reader --===//
//
// (c) of issue 12's fuzzing: whatever bytes sit in a cache file, reading it
// must not crash, hang or grow without bound. Each input is read as it is
// (the seal almost always fails, which must be harmless) and sealed (so the
// YAML reader and the replay of its findings see it). The same bytes are
// also an answer of a --cache-url server (RemoteCache.cpp's HTTP response
// reader: status line, headers, Content-Length, chunked), complete or cut
// off by the end of the connection.
//
//===----------------------------------------------------------------------===//

#include "Cache.h"
#include "RemoteCache.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Input(reinterpret_cast<const char *>(Data), Size);
  (void)peer::tool::isUsableCacheEntry(Input);
  (void)peer::tool::isUsableCacheEntry(peer::tool::sealedCacheEntry(Input));
  for (bool Closed : {false, true}) {
    auto Response = peer::tool::parseHttpResponse(Input, Closed);
    if (!Response)
      llvm::consumeError(Response.takeError());
  }
  return 0;
}
