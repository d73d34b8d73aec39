//===- Expressions.h - how an expression reaches a peer ---------*- C++ -*-===//
//
// Syntax-level helpers shared by the analysis and the checks: what to look
// through to find the handle an operation receives, how a call's arguments
// line up with its declared parameters, and which variable an expression
// writes.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_EXPRESSIONS_H
#define PEER_TIDY_ANALYSIS_EXPRESSIONS_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace peer {

/// Strips parentheses, implicit casts, temporaries, functional casts and
/// copy/move constructions: what does not change the value.
const clang::Expr *ignoreWrappers(const clang::Expr *E);

/// Strips what turns a handle into the thing an operation receives without
/// changing which peer it is: copies, dereferences, .value(), std::move,
/// handle casts, co_await of a lookup, converting constructors, and the C
/// library's number parsers (strtol(d->d_name, ...) is the pid the name
/// spells).
const clang::Expr *ignoreHandleAccess(const clang::Expr *E);
/// The same, stopping at an expression \p Keep holds for (a lookup that is
/// itself such an access: a directory iterator's *it is the entry it
/// finds, not the iterator).
const clang::Expr *
ignoreHandleAccess(const clang::Expr *E,
                   llvm::function_ref<bool(const clang::Expr *)> Keep);

/// Strips conversions that keep a name's value: constructions of the usual
/// string types (QString, QLatin1String, std::string, ...), their static
/// from*() factories, and QStringLiteral in Qt 5 (a lambda returning the
/// literal) and Qt 6 (qMakeStringPrivate): "x", QString("x"),
/// QStringLiteral("x") and QLatin1String("x") all name the same peer.
const clang::Expr *ignoreNameConversions(const clang::Expr *E);

/// The elements of a list built in place ({a, b}, QStringList{a, b},
/// std::vector<std::string>{a, b}: a construction from an initializer list);
/// empty for anything else. An operation given such a list acts on each.
llvm::SmallVector<const clang::Expr *, 4> listElements(const clang::Expr *E);

/// A type that holds a name: the usual string types, char pointers and
/// arrays.
bool isNameType(clang::QualType T);

/// The text of a string literal as UTF-8, whatever its character width, so
/// that u"org.example.S" and "org.example.S" are equal.
std::string literalText(const clang::StringLiteral *SL);

/// The variable whose member or element \p E is (procs[i].num is in procs),
/// through '.', '->' and '[]'.
const clang::VarDecl *containingVar(const clang::Expr *E);

/// The member \p E reads last (num in procs[i].num, pid in c->pid), if it
/// is a member access.
const clang::FieldDecl *accessedField(const clang::Expr *E);

/// sscanf(text, format, &a, ...): the text it parses, and in \p Outs the
/// variables it writes; null for any other call.
const clang::Expr *
parsedText(const clang::CallExpr *Call,
           llvm::SmallVectorImpl<const clang::VarDecl *> &Outs);

/// The members an initializer list of a record gives a value, with that
/// value ({.pid = v}, a compound literal's list too); empty for any other
/// expression.
llvm::SmallVector<std::pair<const clang::FieldDecl *, const clang::Expr *>, 4>
initializedMembers(const clang::Expr *E);

/// The function a call or construction calls, if it is known.
const clang::FunctionDecl *calleeOf(const clang::Expr *E);

/// The arguments of a call as declared parameters see them (a member
/// operator call carries its object as argument 0).
llvm::SmallVector<const clang::Expr *, 4> declaredArgs(const clang::Expr *E);

/// The lambdas a call or construction is handed as arguments: callbacks,
/// which run after the code that hands them over (docs/configuring.md,
/// "Callbacks").
llvm::SmallVector<const clang::LambdaExpr *, 2>
callbacksOf(const clang::Expr *E);

/// A call that returns nothing and is handed a function (not a null
/// pointer) answers that function later: GDBus's g_dbus_connection_call
/// (..., "GetNameOwner", ..., callback, user_data), a project's helper that
/// passes its own callback on.
bool answersToCallback(const clang::Expr *E);

/// The object a member call is made on, if any.
const clang::Expr *objectOf(const clang::Expr *E);

/// The argument of a lookup \p Site that holds the name it looks up: the
/// one the role's index names, or without an index its only argument.
const clang::Expr *lookedUpName(const clang::Expr *Site, int PeerIndex);

/// The record type \p T is, or points to (its definition), if any.
const clang::RecordDecl *recordOf(clang::QualType T);

/// The argument of a call of \p FD that holds the peer, by a role's index
/// (DefaultPeerIndex: the object of a member call, else argument 0).
const clang::Expr *peerArgument(const clang::Expr *E,
                                const clang::FunctionDecl *FD, int Index);

bool isInSystemCode(const clang::Decl *D);

/// The variable \p E names, if it is just a variable.
const clang::VarDecl *namedVar(const clang::Expr *E);

/// The local variable a write to \p LHS changes: the variable itself, or the
/// one whose member or element it is (k.shape = 2 changes k); not a write
/// through a pointer.
const clang::VarDecl *writtenVar(const clang::Expr *LHS);

/// An assignment, built-in or overloaded: what it writes, and for a plain
/// '=' the value written (null for compound assignments).
struct Assignment {
  const clang::Expr *Target;
  const clang::Expr *Value;
};
std::optional<Assignment> asAssignment(const clang::Stmt *S);

/// The variable \p S writes in place (by assignment, ++ or --), if any.
const clang::VarDecl *writeTarget(const clang::Stmt *S);

/// The variables a call may change: those whose address it is given, those
/// bound to a non-const reference parameter, and the object of a non-const
/// member call. A pointer passed by value is not a write to the variable
/// that holds it (the callee may change the pointee, not the pointer).
llvm::SmallVector<const clang::VarDecl *, 2>
variablesWrittenByCall(const clang::Expr *Call);

/// The local variables of a body (lambdas inside it included), and those it
/// may change: assigned, incremented, written by a call, or whose address
/// escapes. The others keep their initial value throughout.
struct BodyVariables {
  llvm::DenseSet<const clang::VarDecl *> Declared, Written;
  bool keepsInitialValue(const clang::VarDecl *VD) const {
    return Declared.contains(VD) && !Written.contains(VD);
  }
};
BodyVariables bodyVariables(const clang::Stmt *Body);

} // namespace peer

#endif
