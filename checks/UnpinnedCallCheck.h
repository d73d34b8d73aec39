//===- UnpinnedCallCheck.h - peer-unpinned-call -----------------*- C++ -*-===//
#ifndef PEER_TIDY_UNPINNEDCALLCHECK_H
#define PEER_TIDY_UNPINNEDCALLCHECK_H

#include "PeerCheck.h"

namespace peer {

/// Warns at a call by a raw identity the system reuses (a pid) when that
/// identity came from a lookup (a scan, a pidfile): by the time of the call
/// it may name another peer. See docs/checks/peer-unpinned-call.md.
class UnpinnedCallCheck : public PeerCheck {
public:
  UnpinnedCallCheck(llvm::StringRef Name,
                    clang::tidy::ClangTidyContext *Context)
      : PeerCheck(Name, Context, FindingKind::UnpinnedCall) {}

protected:
  void diagnose(const Finding &F, clang::ASTContext &Context) override;
};

} // namespace peer

#endif
