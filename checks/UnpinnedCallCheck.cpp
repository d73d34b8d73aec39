//===- UnpinnedCallCheck.cpp - peer-unpinned-call -------------------------===//

#include "UnpinnedCallCheck.h"

using namespace clang;

namespace peer {

void UnpinnedCallCheck::diagnose(const Finding &F, ASTContext &) {
  bool Scanned =
      llvm::all_of(F.EarlierRoles, [](Role R) { return R == Role::Scan; });
  diag(F.At->getBeginLoc(),
       "'%0' is used by its raw identity after it was %select{looked up|found "
       "by a scan}1; the peer may have gone and the identity been reused by "
       "another: pin it first and use the pinned handle (for a pid: "
       "pidfd_open, re-verify, then pidfd_send_signal)")
      << F.PeerName << Scanned << F.At->getSourceRange();
  if (F.KeptIn) {
    // The scan is in another function: say how the value got here.
    for (const clang::Expr *Scan : F.Earlier)
      diag(Scan->getBeginLoc(),
           "a peer found by this scan is kept in '%0', where the call's "
           "peer comes from",
           DiagnosticIDs::Note)
          << F.KeptIn->getQualifiedNameAsString() << Scan->getSourceRange();
    return;
  }
  for (size_t I = 0; I < F.Earlier.size(); ++I)
    diag(F.Earlier[I]->getBeginLoc(),
         "'%0' was %select{looked up|found by a scan}1 here",
         DiagnosticIDs::Note)
        << F.PeerName << (F.EarlierRoles[I] == Role::Scan)
        << F.Earlier[I]->getSourceRange();
}

} // namespace peer
