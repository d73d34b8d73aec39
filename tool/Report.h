//===- Report.h - one run's findings, located and written -------*- C++ -*-===//
//
// After the units ran: merge their findings (a header finding once, not once
// per unit that includes the header), give each its place in the repository
// and a fingerprint, filter (baseline, diff), and write them out as text,
// JSON or SARIF.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_REPORT_H
#define PEER_TIDY_REPORT_H

#include "Runner.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace peer::tool {

/// A position in a file, 1-based, columns in bytes (as clang counts them).
struct Position {
  std::string Path; ///< Canonical: absolute, symlinks resolved.
  unsigned Line = 0;
  unsigned Column = 0;
};

/// Reads each source file once and answers position questions about it.
class SourceFiles {
public:
  /// The canonical path of a diagnostic's file (relative paths are relative
  /// to the unit's build directory).
  static std::string canonicalPath(llvm::StringRef FilePath,
                                   llvm::StringRef BuildDirectory);
  std::optional<Position> position(llvm::StringRef CanonicalPath,
                                   unsigned Offset);
  /// The text of a 1-based line, without its line break.
  llvm::StringRef lineText(llvm::StringRef CanonicalPath, unsigned Line);

private:
  struct Contents {
    std::unique_ptr<llvm::MemoryBuffer> Buffer;
    std::vector<unsigned> LineStarts;
  };
  const Contents *load(llvm::StringRef Path);
  llvm::StringMap<std::optional<Contents>> Files;
};

/// A finding ready for any output.
struct ReportedFinding {
  const Finding *Source = nullptr;
  Position Where;
  std::string RelativePath; ///< To the repository root; "" when outside.
  std::string Fingerprint;
};

struct ReportSettings {
  std::string RepositoryRoot; ///< Absolute; git top-level or --sarif-root.
};

/// Findings of all units, each once, ordered by file and offset (the
/// engine's order at one offset), located and fingerprinted.
std::vector<ReportedFinding>
collectFindings(const std::vector<TranslationUnitResult> &Units,
                SourceFiles &Sources, const ReportSettings &Settings);

/// The nearest directory above Start that holds .git, or "".
std::string findRepositoryRoot(llvm::StringRef Start);
/// Path relative to Root, with '/' separators; "" when not inside Root.
std::string relativeTo(llvm::StringRef Root, llvm::StringRef Path);

void writeJson(llvm::raw_ostream &OS,
               const std::vector<ReportedFinding> &Findings,
               SourceFiles &Sources);

struct SarifSettings {
  std::string RepositoryRoot;
  std::vector<std::string> EnabledChecks;
};
void writeSarif(llvm::raw_ostream &OS,
                const std::vector<ReportedFinding> &Findings,
                SourceFiles &Sources, const SarifSettings &Settings);

/// Flushes OS and tells whether everything written to it arrived: an error
/// naming Destination if not (a full disk, /dev/full, a closed pipe). The
/// stream's error is cleared either way, so that LLVM does not abort with
/// "IO failure on output stream" when the stream is destroyed.
llvm::Error checkWritten(llvm::raw_fd_ostream &OS,
                         const llvm::Twine &Destination);

} // namespace peer::tool

#endif
