//===- RepeatedLookupCheck.cpp - peer-repeated-lookup ---------------------===//

#include "RepeatedLookupCheck.h"

using namespace clang;

namespace peer {

void RepeatedLookupCheck::diagnose(const Finding &F, ASTContext &) {
  diag(F.At->getBeginLoc(),
       "'%0' is looked up again after an earlier lookup of it already fed an "
       "operation; the two may find different incarnations: look it up once "
       "and reuse the handle")
      << F.PeerName << F.At->getSourceRange();
  for (const Expr *Earlier : F.Earlier)
    diag(Earlier->getBeginLoc(), "earlier lookup of '%0' here",
         DiagnosticIDs::Note)
        << F.PeerName << Earlier->getSourceRange();
}

} // namespace peer
