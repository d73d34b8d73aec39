//===- Transfer.h - what each statement does to the state ------*- C++ -*-===//
//
// The transfer function of the flow analysis: declarations and assignments
// move handles between variables and end keys built over the written
// variable; peer operations record calls, monitors and fed lookups, and
// report findings against the state they meet.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_TRANSFER_H
#define PEER_TIDY_ANALYSIS_TRANSFER_H

#include "Lattice.h"
#include "Operations.h"
#include "PeerAnalysis.h"
#include "PeerKeys.h"

#include <map>

namespace peer {

/// Findings are collected only in the final pass, after the fixpoint; one
/// finding per (kind, site), with every earlier event that leads to it.
class FindingSink {
public:
  bool Active = false;
  void report(FindingKind Kind, const clang::Expr *At, Role AtRole,
              const clang::Expr *Earlier, Role EarlierRole,
              const std::string &PeerName);
  std::map<std::pair<FindingKind, const clang::Expr *>, Finding> Findings;
};

class Transfer {
public:
  Transfer(Operations &Ops, FunctionKeys &Keys, FindingSink &Sink)
      : Ops(Ops), Keys(Keys), Sink(Sink) {}

  /// Applies the CFG element statement \p St to \p S.
  void apply(State &S, const clang::Stmt *St);

private:
  void applyOperand(State &S, const clang::Stmt *St);
  bool applyWrite(State &S, const clang::Stmt *St);
  void applyCall(State &S, const clang::Expr *E);
  void applyHandleOperation(State &S, const clang::Expr *E,
                            const Operation &Op);
  void forgetKeysOver(State &S, const clang::VarDecl *VD);
  void assignHandle(State &S, const clang::VarDecl *VD,
                    const clang::Expr *Init);
  void operateOn(State &S, Role Kind, unsigned Key, const clang::Expr *Site,
                 const std::string &PeerName);
  void operateOnKey(State &S, Role Kind, unsigned Key, const clang::Expr *Site,
                    const std::string &PeerName);
  void checkRepeatedLookup(State &S, unsigned Key, const clang::Expr *Site,
                           Role SiteRole);
  void noteWritesThroughCall(State &S, const clang::Expr *E);

  Operations &Ops;
  FunctionKeys &Keys;
  FindingSink &Sink;
};

} // namespace peer

#endif
