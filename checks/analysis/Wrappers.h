//===- Wrappers.h - functions that perform a peer operation ----*- C++ -*-===//
//
// A wrapper is a function defined in user code whose body looks up a key
// built from its parameters and then calls, monitors or returns the result.
// At its call sites it counts as that operation, keyed by the call site's
// arguments. Summaries are inferred on demand and memoised.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_WRAPPERS_H
#define PEER_TIDY_ANALYSIS_WRAPPERS_H

#include "Roles.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <optional>

namespace peer {

class Operations;

/// What a wrapper function does with the key it looks up from its parameters.
struct WrapperSummary {
  Role Kind;
  /// The call in the wrapper's body that looks the key up: a lookup, or a
  /// call of another wrapper.
  const clang::Expr *KeySource;
  const clang::FunctionDecl *Wrapper;
};

class WrapperInference {
public:
  /// The summary of \p FD (its definition), or null when it is no wrapper.
  /// Recursion yields "not a wrapper".
  const WrapperSummary *summaryOf(const clang::FunctionDecl *FD,
                                  Operations &Ops);

private:
  std::optional<WrapperSummary> infer(const clang::FunctionDecl *FD,
                                      Operations &Ops);

  llvm::DenseMap<const clang::FunctionDecl *, std::optional<WrapperSummary>>
      Summaries;
  llvm::DenseSet<const clang::FunctionDecl *> InProgress;
};

} // namespace peer

#endif
