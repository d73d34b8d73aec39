//===- BodySummaries.h - what a function's body does, memoised --*- C++ -*-===//
//
// Wrappers and conversions are both inferred from a function's definition in
// the project (never from system headers), once per function; a function
// whose summary is being inferred (recursion) has none.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_BODYSUMMARIES_H
#define PEER_TIDY_ANALYSIS_BODYSUMMARIES_H

#include "Expressions.h"

#include "clang/AST/Decl.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <optional>

namespace peer {

template <typename Summary> class BodySummaries {
public:
  /// \p Infer(Definition, Body) gives the summary of a body (a coroutine's
  /// own body, without its frame).
  template <typename InferFn>
  const Summary *get(const clang::FunctionDecl *FD, InferFn &&Infer) {
    const clang::FunctionDecl *Def = nullptr;
    if (!FD->hasBody(Def) || !Def)
      return nullptr;
    auto It = Summaries.find(Def);
    if (It != Summaries.end())
      return It->second ? &*It->second : nullptr;
    if (isInSystemCode(Def) || !InProgress.insert(Def).second)
      return nullptr;
    const clang::Stmt *Body = Def->getBody();
    if (const auto *CB = llvm::dyn_cast_or_null<clang::CoroutineBodyStmt>(Body))
      Body = CB->getBody();
    std::optional<Summary> Inferred =
        Body ? Infer(Def, Body) : std::optional<Summary>();
    InProgress.erase(Def);
    auto &Slot = Summaries[Def];
    Slot = Inferred;
    return Slot ? &*Slot : nullptr;
  }

private:
  llvm::DenseMap<const clang::FunctionDecl *, std::optional<Summary>> Summaries;
  llvm::DenseSet<const clang::FunctionDecl *> InProgress;
};

} // namespace peer

#endif
