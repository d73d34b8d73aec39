//===- Conversions.h - functions that pass a peer on in another form -*- C++ -*-===//
//
// A conversion performs no peer operation: it gives back the peer one of its
// arguments names, in another form. A project's helper that parses a pid
// from a /proc entry (`pid_t pid_of(struct dirent *d) { return
// atoi(d->d_name); }`, util-linux's `procfs_dirent_get_pid(d, &pid)`) is
// one: the pid it gives is the process the entry was, as if the caller had
// parsed it itself. Its result is returned, or written through a pointer
// argument. Roles name one as `conversion` (`f@I`: returns what argument I
// names; `f@K:out`: writes through argument K what another argument names);
// functions of the project are recognised from their bodies, and their
// summaries cross translation units like those of wrappers.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_CONVERSIONS_H
#define PEER_TIDY_ANALYSIS_CONVERSIONS_H

#include "BodySummaries.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace peer {

class Operations;

/// What a function's body passes on: the parameter whose peer it gives back,
/// and where.
struct ConversionSummary {
  int SourceParam = -1;
  /// The pointer parameter written through, or -1 when it is returned.
  int OutParam = -1;
};

/// One call site of a conversion.
struct Conversion {
  /// The arguments whose peer is given back (one, or for a named
  /// `f@K:out`, every other argument).
  llvm::SmallVector<const clang::Expr *, 2> Sources;
  /// The argument written through (`&pid`), or null when it is returned.
  const clang::Expr *Out = nullptr;
};

class ConversionInference {
public:
  /// The summary of \p FD (its definition, in the project), or null when it
  /// is no conversion. Recursion yields "not a conversion".
  const ConversionSummary *summaryOf(const clang::FunctionDecl *FD,
                                     Operations &Ops);

private:
  BodySummaries<ConversionSummary> Summaries;
};

} // namespace peer

#endif
