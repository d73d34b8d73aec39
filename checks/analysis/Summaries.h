//===- Summaries.h - roles across translation units -------------*- C++ -*-===//
//
// A wrapper defined in another .cpp is invisible to the analysis of a unit
// that only declares it. A unit's summary lists, for the functions it defines
// (externally visible, in its main file), the roles inferred from their
// bodies, written as role-list entries with a full signature
// ("::ns::watch(QString)@0"), and the callees it calls but neither defines nor
// knows a role of (its "unresolved" names). Summaries of all units merge into
// one list (deterministically: sorted, the first of conflicting entries by
// name wins); a unit is analysed again, with the merged entries that name its
// unresolved callees, when there are any. peer-tidy runs this by itself;
// `clang-tidy --load` reads a merged file named by the PeerSummaryFile option.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_SUMMARIES_H
#define PEER_TIDY_ANALYSIS_SUMMARIES_H

#include "Roles.h"

#include "clang/AST/Decl.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace peer {

class PeerAnalysis;

/// One exported role: the role and the entry naming the function.
struct SummaryEntry {
  Role Kind;
  std::string Entry; ///< "::ns::f(QString, int)@1"
  /// The entry's function as an unresolved name is written (no index).
  llvm::StringRef function() const;
  bool operator<(const SummaryEntry &O) const;
  bool operator==(const SummaryEntry &O) const {
    return Kind == O.Kind && Entry == O.Entry;
  }
};

struct UnitSummary {
  std::vector<SummaryEntry> Exported;
  /// Called here, defined elsewhere, no known role: "::ns::f(QString)".
  std::vector<std::string> Unresolved;
};

/// "::ns::f(T1, T2)": how an entry names exactly this function.
std::string signatureEntryOf(const clang::FunctionDecl *FD);

/// The summary of the unit \p TU as analysed by \p Analysis.
UnitSummary summarizeUnit(const clang::TranslationUnitDecl *TU,
                          PeerAnalysis &Analysis);

/// All units' exported entries, sorted, one per function (on conflict, the
/// first in sorted order).
std::vector<SummaryEntry> mergeSummaries(llvm::ArrayRef<UnitSummary> Units);

/// Of \p Merged, the entries for the functions \p Unresolved names.
std::vector<SummaryEntry> entriesFor(llvm::ArrayRef<SummaryEntry> Merged,
                                     llvm::ArrayRef<std::string> Unresolved);

/// The JSON file form: {"version": 1, "roles": [{"role": "edge_monitor",
/// "entry": "::ns::f(QString)@0"}, ...]}.
std::string summaryFileText(llvm::ArrayRef<SummaryEntry> Entries);
llvm::Expected<std::vector<SummaryEntry>> readSummaryFile(llvm::StringRef Path);

/// Between the tool and the checks of the unit this thread analyses: the
/// entries to import, and where to put the unit's own summary.
struct SummaryExchange {
  std::vector<SummaryEntry> Imported;
  UnitSummary *Out = nullptr;
  bool Produced = false;
};
SummaryExchange *currentSummaryExchange();
/// Installs \p Exchange for this thread until the returned guard dies.
class ScopedSummaryExchange {
public:
  explicit ScopedSummaryExchange(SummaryExchange &Exchange);
  ~ScopedSummaryExchange();

private:
  SummaryExchange *Previous;
};

} // namespace peer

#endif
