//===- RepeatedLookupCheck.h - peer-repeated-lookup -------------*- C++ -*-===//
#ifndef PEER_TIDY_REPEATEDLOOKUPCHECK_H
#define PEER_TIDY_REPEATEDLOOKUPCHECK_H

#include "PeerCheck.h"

namespace peer {

/// Warns at a lookup of a key whose earlier lookup already fed an operation:
/// the two may find different incarnations.
/// See docs/checks/peer-repeated-lookup.md.
class RepeatedLookupCheck : public PeerCheck {
public:
  RepeatedLookupCheck(llvm::StringRef Name,
                      clang::tidy::ClangTidyContext *Context)
      : PeerCheck(Name, Context, FindingKind::RepeatedLookup) {}

protected:
  void diagnose(const Finding &F, clang::ASTContext &Context) override;
};

} // namespace peer

#endif
