//===- JsonLimits.h - JSON parsing with a bound on nesting ------*- C++ -*-===//
//
// llvm::json::parse recurses once per nesting level, so one hostile message
// (100 000 nested arrays) overflows the stack. Every JSON the tool reads (LSP
// messages, baselines, SARIF/JSON reports to merge) goes through
// parseBoundedJson, which measures the nesting first, in one pass without
// recursion, and refuses anything deeper than a sane limit with an error.
// The YAML readers (llvm::yaml::Input for .clang-tidy, --config, the
// --line-filter and cache entries) recurse the same way; checkNestingDepth
// measures a YAML (or JSON) document with llvm's lazy YAML parser, walking
// it with a stack of its own, before any of them reads it.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_TOOL_JSONLIMITS_H
#define PEER_TIDY_TOOL_JSONLIMITS_H

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

#include <vector>

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

namespace detail {

/// One YAML collection being walked. The parser is lazy: the next child
/// exists only after the previous one was walked whole, so children are
/// produced one at a time, each when the walk asks for it.
class YamlCollectionWalk {
public:
  explicit YamlCollectionWalk(llvm::yaml::Node *Collection)
      : Sequence(llvm::dyn_cast<llvm::yaml::SequenceNode>(Collection)),
        Mapping(llvm::dyn_cast<llvm::yaml::MappingNode>(Collection)) {}

  static bool isCollection(const llvm::yaml::Node *N) {
    return llvm::isa_and_nonnull<llvm::yaml::SequenceNode,
                                 llvm::yaml::MappingNode>(N);
  }

  /// The next child (a mapping's keys and values alike), nullptr at the end.
  llvm::yaml::Node *next() {
    if (Sequence) {
      if (Started)
        ++SequenceAt;
      else
        SequenceAt = Sequence->begin();
      Started = true;
      return SequenceAt == Sequence->end() ? nullptr : &*SequenceAt;
    }
    if (ValueNext) {
      ValueNext = false;
      return MappingAt->getValue();
    }
    if (Started)
      ++MappingAt;
    else
      MappingAt = Mapping->begin();
    Started = true;
    if (MappingAt == Mapping->end())
      return nullptr;
    ValueNext = true;
    return MappingAt->getKey();
  }

private:
  llvm::yaml::SequenceNode *Sequence;
  llvm::yaml::MappingNode *Mapping;
  llvm::yaml::SequenceNode::iterator SequenceAt;
  llvm::yaml::MappingNode::iterator MappingAt;
  bool Started = false;
  bool ValueNext = false;
};

/// The deepest nesting of one YAML node, walked without recursion; stops as
/// soon as it is deeper than Limit.
inline unsigned yamlNodeDepth(llvm::yaml::Node *Root, unsigned Limit) {
  if (!YamlCollectionWalk::isCollection(Root))
    return 0;
  std::vector<YamlCollectionWalk> Walks;
  Walks.emplace_back(Root);
  unsigned Deepest = 1;
  while (!Walks.empty() && Deepest <= Limit) {
    llvm::yaml::Node *Child = Walks.back().next();
    if (!Child) {
      Walks.pop_back();
      continue;
    }
    if (!YamlCollectionWalk::isCollection(Child))
      continue;
    Walks.emplace_back(Child);
    Deepest = std::max<unsigned>(Deepest, Walks.size());
  }
  return Deepest;
}

} // namespace detail

/// The deepest nesting of sequences and mappings in a YAML (or JSON)
/// document, flow and block style alike, measured by llvm's own YAML parser
/// so that quoting and comments count exactly as its readers count them.
/// Measures at most Limit + 1 levels. Syntax errors end the measure; the
/// reader that parses the text afterwards reports them.
inline unsigned yamlNestingDepth(llvm::StringRef Text, unsigned Limit) {
  llvm::SourceMgr Sources;
  Sources.setDiagHandler([](const llvm::SMDiagnostic &, void *) {});
  llvm::yaml::Stream Stream(Text, Sources);
  unsigned Deepest = 0;
  for (llvm::yaml::Document &Document : Stream) {
    Deepest =
        std::max(Deepest, detail::yamlNodeDepth(Document.getRoot(), Limit));
    if (Deepest > Limit || Stream.failed())
      break;
  }
  return Deepest;
}

/// An error naming What when YAML (or JSON) Text nests deeper than MaxDepth,
/// to be checked before llvm::yaml::Input or another recursive reader sees
/// the text.
inline llvm::Error checkNestingDepth(llvm::StringRef Text, llvm::StringRef What,
                                     unsigned MaxDepth = MaxJsonDepth) {
  if (yamlNestingDepth(Text, MaxDepth) <= MaxDepth)
    return llvm::Error::success();
  return llvm::createStringError(std::errc::invalid_argument,
                                 "%s is nested more than %u levels deep",
                                 What.str().c_str(), MaxDepth);
}

} // namespace peer::tool

#endif
