//===- Operations.cpp - which call sites are peer operations --------------===//

#include "Operations.h"
#include "Expressions.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace peer {

std::optional<Operation> Operations::classify(const Expr *E) {
  const FunctionDecl *FD = calleeOf(E);
  if (!FD)
    return std::nullopt;
  if (std::optional<RoleSpec> Spec = Roles.roleOf(FD)) {
    if (Spec->Kind == Role::Lookup)
      return Operation{Role::Lookup, /*Keyed=*/true, nullptr};
    const Expr *Peer = peerArgument(E, FD, Spec->PeerIndex);
    if (!Peer)
      return std::nullopt;
    return Operation{Spec->Kind, /*Keyed=*/false, Peer};
  }
  if (const WrapperSummary *Summary = wrapperOf(FD))
    return Operation{Summary->Kind, /*Keyed=*/true, nullptr};
  return std::nullopt;
}

bool Operations::isLookup(const Expr *E) {
  if (!isa<CallExpr, CXXConstructExpr>(E))
    return false;
  std::optional<Operation> Op = classify(E);
  return Op && Op->Kind == Role::Lookup;
}

} // namespace peer
