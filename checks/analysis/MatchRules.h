//===- MatchRules.h - the bus name a D-Bus match rule watches ---*- C++ -*-===//
//
// libdbus (dbus_bus_add_match) and sd-bus (sd_bus_add_match) watch a name's
// owner through a match rule, a string such as
//   "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',
//    arg0='org.example.Service'"
// The peer such a watch is about is the rule's arg0, when the rule matches
// NameOwnerChanged. The rule is a literal, or is built by a printf-like call
// (g_strdup_printf, snprintf into a buffer, asprintf) whose format has
// "arg0='%s'": then the peer is that call's argument for the %s.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_MATCHRULES_H
#define PEER_TIDY_ANALYSIS_MATCHRULES_H

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace peer {

/// The name whose owner changes \p Rule matches (its arg0, for a rule on
/// NameOwnerChanged); std::nullopt for any other rule.
std::optional<std::string> nameWatchedByRule(llvm::StringRef Rule);

/// The index, among a format's conversions, of the one that fills a
/// NameOwnerChanged rule's arg0 ("...arg0='%s'"); std::nullopt if none.
std::optional<unsigned> arg0ConversionOf(llvm::StringRef Format);

/// The peer a match rule argument watches: a name spelled in the rule, or
/// the expression a printf-like call put into its arg0.
struct RulePeer {
  std::string Literal;
  const clang::Expr *Arg = nullptr;
};

/// Finds the rule behind \p Rule (a literal, a variable initialised by a
/// printf-like call, or a buffer such a call wrote earlier in \p Body, before
/// \p Use) and the peer it watches.
std::optional<RulePeer> peerOfMatchRule(const clang::Expr *Rule,
                                        const clang::Stmt *Body,
                                        const clang::Expr *Use);

} // namespace peer

#endif
