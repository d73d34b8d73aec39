//===- UnpinnedCallCheck.cpp - peer-unpinned-call -------------------------===//

#include "UnpinnedCallCheck.h"

using namespace clang;

namespace peer {

/// How a note names where a peer is kept: "pid_list::pid", "target", and
/// for a member of an anonymous struct given a name by a typedef
/// (typedef struct { pid_t pid; } Data), "Data::pid".
static std::string keptInName(const ValueDecl *Holder) {
  if (const auto *Field = dyn_cast<FieldDecl>(Holder))
    if (const RecordDecl *RD = Field->getParent(); !RD->getIdentifier())
      if (const TypedefNameDecl *Name = RD->getTypedefNameForAnonDecl())
        return (Name->getName() + "::" + Field->getName()).str();
  return Holder->getQualifiedNameAsString();
}

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
    // The scan or lookup is in another function: say how the value got here.
    for (size_t I = 0; I < F.Earlier.size(); ++I)
      diag(F.Earlier[I]->getBeginLoc(),
           "a peer found by this %select{lookup|scan}1 is kept in '%0', where "
           "the call's peer comes from",
           DiagnosticIDs::Note)
          << keptInName(F.KeptIn) << (F.EarlierRoles[I] == Role::Scan)
          << F.Earlier[I]->getSourceRange();
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
