//===- lsp_protocol_fuzzer.cpp - (a) LSP framing and JSON -----------------===//
//
// The bytes an editor could send: read as Content-Length frames from a file
// descriptor (as both editor deliveries do), each body parsed with the depth
// bound, and whatever parses driven through the position and URI helpers
// with the text-change logic. Must never crash, hang or exceed memory.
//
//===----------------------------------------------------------------------===//
#include "Protocol.h"

#include <sys/mman.h>
#include <unistd.h>

using namespace llvm;
using namespace peer::lsp;

namespace {

/// A document edited by whatever the message asks (didOpen/didChange-like
/// params anywhere in it), in both encodings.
void exercise(const json::Value &Message, std::string &Doc) {
  const json::Object *M = Message.getAsObject();
  if (!M)
    return;
  const json::Object *Params = M->getObject("params");
  if (!Params)
    return;
  if (const json::Object *TD = Params->getObject("textDocument")) {
    if (std::optional<StringRef> URI = TD->getString("uri"))
      if (std::optional<std::string> Path = uriToPath(*URI))
        (void)pathToURI(*Path);
    if (std::optional<StringRef> Text = TD->getString("text"))
      Doc = Text->str();
  }
  for (Encoding E : {Encoding::UTF16, Encoding::UTF8}) {
    if (const json::Array *Changes = Params->getArray("contentChanges"))
      for (const json::Value &C : *Changes)
        if (const json::Object *Change = C.getAsObject())
          applyChange(Doc, *Change, E);
    if (const json::Object *Pos = Params->getObject("position")) {
      size_t Offset = positionToOffset(Doc, *Pos, E);
      if (Offset > Doc.size())
        __builtin_trap(); // positions are clamped to the text
      json::Object Back = offsetToPosition(Doc, Offset, E);
      (void)positionToOffset(Doc, Back, E);
    }
  }
  if (Doc.size() > (1u << 20))
    Doc.clear(); // keep a run's memory bounded
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  int FD = memfd_create("lsp-input", MFD_CLOEXEC);
  if (FD < 0)
    return 0;
  for (size_t Done = 0; Done < Size;) {
    ssize_t N = write(FD, Data + Done, Size - Done);
    if (N <= 0)
      break;
    Done += size_t(N);
  }
  lseek(FD, 0, SEEK_SET);
  FrameReader Reader(FD);
  std::string Body, Error, Doc;
  for (;;) {
    FrameReader::Status St = Reader.next(Body, Error);
    if (St == FrameReader::Eof)
      break;
    if (St != FrameReader::Message)
      continue;
    json::Value Reply = nullptr;
    if (std::optional<json::Value> Message = parseMessage(Body, Reply))
      exercise(*Message, Doc);
  }
  close(FD);
  // The body alone, unframed, through the same parser.
  json::Value Reply = nullptr;
  (void)parseMessage(StringRef(reinterpret_cast<const char *>(Data), Size),
                     Reply);
  return 0;
}
