//===- MonitorAfterCallCheck.h - peer-monitor-after-call --------*- C++ -*-===//
#ifndef PEER_TIDY_MONITORAFTERCALLCHECK_H
#define PEER_TIDY_MONITORAFTERCALLCHECK_H

#include "PeerCheck.h"

#include <memory>

namespace peer {

class MovePlanner;

/// Warns at a monitor of a peer that, on some path, was already called
/// without a monitor; offers to move the monitor before the first call.
/// See docs/checks/peer-monitor-after-call.md.
class MonitorAfterCallCheck : public PeerCheck {
public:
  MonitorAfterCallCheck(llvm::StringRef Name,
                        clang::tidy::ClangTidyContext *Context)
      : PeerCheck(Name, Context, FindingKind::MonitorAfterCall) {}

protected:
  void diagnose(const Finding &F, clang::ASTContext &Context) override;

private:
  /// Where a monitor can move in the body of the last finding's function.
  std::shared_ptr<MovePlanner> Planner;
};

} // namespace peer

#endif
