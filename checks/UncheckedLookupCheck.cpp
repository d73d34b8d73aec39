//===- UncheckedLookupCheck.cpp - peer-unchecked-lookup -------------------===//

#include "UncheckedLookupCheck.h"

#include <algorithm>

using namespace clang;

namespace peer {

void UncheckedLookupCheck::diagnose(const Finding &F, ASTContext &) {
  // "edge monitor" for Role::EdgeMonitor, and so on.
  std::string Operation = roleName(F.AtRole).str();
  std::replace(Operation.begin(), Operation.end(), '_', ' ');
  diag(F.At->getBeginLoc(),
       "'%0' comes from a lookup that may find nothing, and is not checked "
       "for that on every path to this %1")
      << F.PeerName << Operation << F.At->getSourceRange();
  for (const Expr *Earlier : F.Earlier)
    diag(Earlier->getBeginLoc(), "looked up here", DiagnosticIDs::Note)
        << Earlier->getSourceRange();
}

} // namespace peer
