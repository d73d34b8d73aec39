//===- UnitTraversal.h - a walk of the whole translation unit ---*- C++ -*-===//
//
// The peer-* checks match the translation unit once and walk it themselves,
// choosing what to skip (files that cannot be reported, bodies, other files
// than the main one). That walk must not depend on the ASTContext's traversal
// scope, which a host narrows for its own matchers: peer-tidy empties it when
// only peer-* checks run, so that clang-tidy's MatchFinder, with no matcher
// but theirs, does not walk every header and instantiation for nothing.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_UNITTRAVERSAL_H
#define PEER_TIDY_ANALYSIS_UNITTRAVERSAL_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"

namespace peer {

/// Traverses each top-level declaration of \p TU with \p Visitor (a
/// RecursiveASTVisitor), whatever the traversal scope, skipping the children
/// RecursiveASTVisitor reaches through their expressions (blocks, captured
/// statements, lambdas' classes). The unit itself is not visited.
template <class Visitor>
void traverseWholeUnit(Visitor &V, const clang::TranslationUnitDecl *TU) {
  for (clang::Decl *D : TU->decls()) {
    if (llvm::isa<clang::BlockDecl, clang::CapturedDecl>(D))
      continue;
    if (const auto *Class = llvm::dyn_cast<clang::CXXRecordDecl>(D);
        Class && Class->isLambda())
      continue;
    V.TraverseDecl(D);
  }
}

} // namespace peer

#endif
