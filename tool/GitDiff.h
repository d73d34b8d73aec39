//===- GitDiff.h - lines changed since a revision ---------------*- C++ -*-===//
#ifndef PEER_TIDY_GIT_DIFF_H
#define PEER_TIDY_GIT_DIFF_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <utility>
#include <vector>

namespace peer::tool {

/// Lines added or changed since a revision, by canonical file path.
class ChangedLines {
public:
  void add(llvm::StringRef CanonicalPath, unsigned First, unsigned Count);
  bool contains(llvm::StringRef CanonicalPath, unsigned Line) const;
  bool containsFile(llvm::StringRef CanonicalPath) const {
    return Ranges.count(CanonicalPath);
  }

private:
  llvm::StringMap<std::vector<std::pair<unsigned, unsigned>>> Ranges;
};

/// Runs `git diff -U0 Revision` in Repository (the work tree, staged or not,
/// against Revision) and collects the new-side line ranges.
llvm::Expected<ChangedLines> changedLinesSince(llvm::StringRef Revision,
                                               llvm::StringRef Repository);

/// Parses the output of `git diff -U0`; paths are relative to Repository.
ChangedLines parseUnifiedDiff(llvm::StringRef Diff, llvm::StringRef Repository);

} // namespace peer::tool

#endif
