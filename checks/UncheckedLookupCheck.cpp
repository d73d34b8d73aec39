//===- UncheckedLookupCheck.cpp - peer-unchecked-lookup -------------------===//

#include "UncheckedLookupCheck.h"

#include <algorithm>

using namespace clang;

namespace peer {

void UncheckedLookupCheck::diagnose(const Finding &F, ASTContext &) {
  // "edge monitor" for Role::EdgeMonitor, and so on.
  std::string Operation = roleName(F.AtRole).str();
  std::replace(Operation.begin(), Operation.end(), '_', ' ');
  bool Scanned =
      llvm::all_of(F.EarlierRoles, [](Role R) { return R == Role::Scan; });
  diag(F.At->getBeginLoc(),
       "'%0' comes from a %select{lookup|scan}2 that may find nothing, and is "
       "not checked for that on every path to this %1")
      << F.PeerName << Operation << Scanned << F.At->getSourceRange();
  for (size_t I = 0; I < F.Earlier.size(); ++I)
    diag(F.Earlier[I]->getBeginLoc(),
         "%select{looked up|found by a scan}0 here", DiagnosticIDs::Note)
        << (F.EarlierRoles[I] == Role::Scan) << F.Earlier[I]->getSourceRange();
}

} // namespace peer
