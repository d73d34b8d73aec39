//===- UncheckedLookupCheck.h - peer-unchecked-lookup -----------*- C++ -*-===//
#ifndef PEER_TIDY_UNCHECKEDLOOKUPCHECK_H
#define PEER_TIDY_UNCHECKEDLOOKUPCHECK_H

#include "PeerCheck.h"

namespace peer {

/// Warns at a call or monitor through a looked-up handle that was not tested
/// for "not found" on every path from the lookup.
/// See docs/checks/peer-unchecked-lookup.md.
class UncheckedLookupCheck : public PeerCheck {
public:
  UncheckedLookupCheck(llvm::StringRef Name,
                       clang::tidy::ClangTidyContext *Context)
      : PeerCheck(Name, Context, FindingKind::UncheckedLookup) {}

protected:
  void diagnose(const Finding &F, clang::ASTContext &Context) override;
};

} // namespace peer

#endif
