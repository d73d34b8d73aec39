//===- Baseline.h - fingerprints and accepted findings ----------*- C++ -*-===//
//
// A fingerprint names a finding independently of where its line is now, so
// that a baseline of accepted findings keeps matching after unrelated edits
// move code around. See docs/ci.md for the design.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_BASELINE_H
#define PEER_TIDY_BASELINE_H

#include "Report.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

namespace peer::tool {

/// Fills in ReportedFinding::Fingerprint for every finding.
void assignFingerprints(std::vector<ReportedFinding> &Findings,
                        SourceFiles &Sources);

/// Whitespace runs collapsed to one space, ends trimmed.
std::string normaliseWhitespace(llvm::StringRef Text);

llvm::Expected<llvm::StringSet<>> readBaseline(llvm::StringRef Path);
llvm::Error writeBaseline(llvm::StringRef Path,
                          const std::vector<ReportedFinding> &Findings);

} // namespace peer::tool

#endif
