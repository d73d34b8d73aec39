//===- Operations.h - which call sites are peer operations -----*- C++ -*-===//
//
// A call site is a peer operation when its callee has a role (annotation,
// option or profile) or is an inferred wrapper (Wrappers.h). Classifying
// says which role, and where the peer is: in an argument, or in the key the
// operation looks up itself.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_OPERATIONS_H
#define PEER_TIDY_ANALYSIS_OPERATIONS_H

#include "Conversions.h"
#include "Roles.h"
#include "Wrappers.h"

#include "clang/AST/Expr.h"
#include <optional>

namespace peer {

/// A recognised operation at one call site.
struct Operation {
  Role Kind;
  /// Keyed: the operation looks the peer up itself (a lookup, or a wrapper);
  /// the key is computed from the call site. Otherwise the peer is PeerArg.
  bool Keyed = false;
  const clang::Expr *PeerArg = nullptr;
  /// PeerArg is a D-Bus match rule that names the peer (MatchRules.h).
  bool InMatchRule = false;
  /// A lookup that writes the handle through this argument (&pid).
  const clang::Expr *ResultArg = nullptr;
  /// A keyed lookup: the argument that holds the name looked up (the one its
  /// role names, or its only one), if it is one argument.
  const clang::Expr *LookupName = nullptr;
  /// The peer is this member of PeerArg (a wrapper that acts on c->pid of
  /// its parameter c), not PeerArg itself.
  const clang::FieldDecl *PeerField = nullptr;
  /// A wrapper that, on some path, also calls the peer by its raw identity.
  bool AlsoUnpinned = false;
  /// A wrapper's edge monitor that starts later, in a callback it hands
  /// over (WrapperSummary::Deferred).
  bool Deferred = false;
};

class Operations {
public:
  explicit Operations(const RoleModel &Roles) : Roles(Roles) {}

  /// The operation a call or construction performs, if any.
  std::optional<Operation> classify(const clang::Expr *E);

  /// A lookup or a scan, or a call of a wrapper that returns one's result:
  /// what it returns is a handle to a peer that was found.
  bool isLookup(const clang::Expr *E);

  /// If \p E constructs a proxy object (directly, by new, or by
  /// std::make_unique/make_shared), the argument naming its peer.
  const clang::Expr *proxiedPeer(const clang::Expr *E);

  /// Whether an expression of \p S that clang could not make sense of
  /// (compile errors, kept as RecoveryExprs) may hide an operation: it
  /// mentions a function with a role or an inferred wrapper, or a member or
  /// name clang could not resolve. A re-check or a watch hidden there would
  /// be missing from what the analysis sees. Lambdas' bodies are their own.
  bool errorsMayHideOperations(const clang::Stmt *S) {
    return errorsMayHideOperations(S, /*InError=*/false);
  }

  /// If \p E calls a conversion (named, or inferred from its body), what it
  /// converts and where the result goes.
  std::optional<Conversion> conversionOf(const clang::Expr *E);

  /// \p E without handle access and the conversions that return what one
  /// argument names (pid_of(d) is d).
  const clang::Expr *throughConversions(const clang::Expr *E);

  /// The inferred summary of \p FD, if it is a conversion.
  const ConversionSummary *inferredConversionOf(const clang::FunctionDecl *FD) {
    return Conversions.summaryOf(FD, *this);
  }

  /// The inferred summary of \p FD, if it is a wrapper.
  const WrapperSummary *wrapperOf(const clang::FunctionDecl *FD) {
    return Wrappers.summaryOf(FD, *this);
  }

  const RoleModel &roles() const { return Roles; }

private:
  bool errorsMayHideOperations(const clang::Stmt *S, bool InError);
  bool isOperationFunction(const clang::NamedDecl *D);

  const RoleModel &Roles;
  WrapperInference Wrappers;
  ConversionInference Conversions;
};

} // namespace peer

#endif
