//===- UnpinnedCallCheck.cpp - peer-unpinned-call -------------------------===//

#include "UnpinnedCallCheck.h"

using namespace clang;

namespace peer {

void UnpinnedCallCheck::diagnose(const Finding &F, ASTContext &) {
  diag(F.At->getBeginLoc(),
       "'%0' is used by its raw identity after it was looked up; the peer "
       "may have gone and the identity been reused by another: pin it first "
       "and use the pinned handle (for a pid: pidfd_open, re-verify, then "
       "pidfd_send_signal)")
      << F.PeerName << F.At->getSourceRange();
  for (const Expr *Earlier : F.Earlier)
    diag(Earlier->getBeginLoc(), "'%0' was looked up here",
         DiagnosticIDs::Note)
        << F.PeerName << Earlier->getSourceRange();
}

} // namespace peer
