//===- JsonLimits.h - JSON parsing with a bound on nesting ------*- C++ -*-===//
//
// llvm::json::parse recurses once per nesting level, so one hostile message
// (100 000 nested arrays) overflows the stack. Every JSON the tool reads (LSP
// messages, baselines, SARIF/JSON reports to merge) goes through
// parseBoundedJson, which measures the nesting first, in one pass without
// recursion, and refuses anything deeper than a sane limit with an error.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_TOOL_JSONLIMITS_H
#define PEER_TIDY_TOOL_JSONLIMITS_H

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace peer::tool {

/// Deeper than any document the tool writes or an LSP client sends (a SARIF
/// log nests about 12 levels), far below what overflows a thread's stack.
inline constexpr unsigned MaxJsonDepth = 512;

/// The deepest nesting of arrays and objects in \p Text, counting only
/// brackets outside strings. Malformed text is measured as far as it goes;
/// the parser reports what is wrong with it.
inline unsigned jsonNestingDepth(llvm::StringRef Text) {
  unsigned Depth = 0, Deepest = 0;
  bool InString = false, Escaped = false;
  for (char C : Text) {
    if (InString) {
      if (Escaped)
        Escaped = false;
      else if (C == '\\')
        Escaped = true;
      else if (C == '"')
        InString = false;
      continue;
    }
    switch (C) {
    case '"':
      InString = true;
      break;
    case '[':
    case '{':
      if (++Depth > Deepest)
        Deepest = Depth;
      break;
    case ']':
    case '}':
      if (Depth > 0)
        --Depth;
      break;
    default:
      break;
    }
  }
  return Deepest;
}

/// llvm::json::parse, refusing documents nested deeper than \p MaxDepth.
inline llvm::Expected<llvm::json::Value>
parseBoundedJson(llvm::StringRef Text, unsigned MaxDepth = MaxJsonDepth) {
  if (unsigned Depth = jsonNestingDepth(Text); Depth > MaxDepth)
    return llvm::createStringError(
        std::errc::invalid_argument,
        "JSON nested %u levels deep (at most %u are accepted)", Depth,
        MaxDepth);
  return llvm::json::parse(Text);
}

} // namespace peer::tool

#endif
