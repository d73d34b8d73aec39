//===- Conditions.h - what a branch condition proves about handles -*- C++ -*-===//
//
// A branch on a handle ("if (p)", "if (!p)", "p != nullptr", "p.has_value()",
// "!p.empty()", combinations with && and ||) proves on one of its edges that
// the lookup found something. So does a process id compared with 0 or -1
// ("p > 0", "p == -1"), and an assignment tested for its value
// ("while (!(c = find(k)))", "(d = readdir(dir)) != NULL",
// "(p = find()) > 0"). Matching is by the shape of the test and by
// method name (has_value, valid, isValid, empty, isEmpty, is_null, isNull, a
// conversion operator) on any type, on purpose: handle types of every
// framework (std::optional, caf::actor, QDBusReply, QString) are tested so,
// and the names are not used for anything else on a handle.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_CONDITIONS_H
#define PEER_TIDY_ANALYSIS_CONDITIONS_H

#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallVector.h"

namespace peer {

/// The variables known to hold a peer when a condition is true, and those
/// known to when it is false.
struct ConditionFacts {
  llvm::SmallVector<const clang::VarDecl *, 2> WhenTrue, WhenFalse;
};

ConditionFacts testedHandles(const clang::Expr *Cond);

} // namespace peer

#endif
