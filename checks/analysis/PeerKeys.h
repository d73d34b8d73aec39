//===- PeerKeys.h - the identity of a peer ----------------------*- C++ -*-===//
//
// A peer is identified by the key it is looked up under: the lookup function,
// the object it is called on and its arguments, with the parameters of
// expanded wrappers replaced by the call site's arguments. Keys are
// structural (llvm::FoldingSetNodeID over declarations and literals), so two
// sites that look up the same thing get the same key; a key that cannot be
// built exactly (an unknown callee, a wrapper parameter inside an expression
// we only hash) equals no other site's key.
//
// A key remembers the local variables it reads in argument position: a write
// to one of them makes the key name something else.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_PEERKEYS_H
#define PEER_TIDY_ANALYSIS_PEERKEYS_H

#include "Expressions.h"
#include "Operations.h"

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/FoldingSet.h"
#include "llvm/ADT/SmallVector.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace peer {

/// Parameters of the wrappers being expanded, mapped to the call site's
/// arguments (which are read in the caller's own context, Outer).
struct Substitution {
  llvm::DenseMap<const clang::ParmVarDecl *, const clang::Expr *> Args;
  const clang::Expr *Object = nullptr; // what 'this' means inside the wrapper
  const Substitution *Outer = nullptr;
};

/// A variable a key reads: the whole of it, or (a local record read with
/// `.`) only one member, so that writing another member (`r.cookie = n`)
/// leaves the key (`r.dbusid`) alone.
struct KeyVar {
  const clang::VarDecl *Var;
  const clang::FieldDecl *Field = nullptr;
  bool operator==(const KeyVar &O) const {
    return Var == O.Var && Field == O.Field;
  }
};

/// A key as built from one site, before it is interned.
struct KeyText {
  llvm::FoldingSetNodeID ID;
  /// For a lookup by one name ("org.example.Service"): the name alone, so
  /// that a monitor given the name rather than a handle meets the lookup.
  std::optional<llvm::FoldingSetNodeID> NameID;
  std::string Display;
  llvm::SmallVector<KeyVar, 4> Vars;
  bool Exact = true;
};

/// Builds keys and their display text from expressions.
class KeyBuilder {
public:
  KeyBuilder(Operations &Ops, clang::ASTContext &Ctx) : Ops(Ops), Ctx(Ctx) {}

  /// The variables of the body whose keys are built next. A variable it never
  /// changes (and a constant anywhere) is its initial value: "const QString
  /// caller = msg.service()" makes 'caller' and 'msg.service()' the same peer.
  void setBody(const BodyVariables *Vars) { CurrentVars = Vars; }

  /// The key an operation at \p Site looks up (a lookup or a wrapper call).
  void keyOf(const clang::Expr *Site, const Substitution *Subst, KeyText &Out,
             unsigned Depth = 0);

  /// Adds \p E's structure to \p Out. Variables read in argument position
  /// become the key's variables; those only on the object path (the
  /// registry a lookup is made on) do not: calling the registry does not
  /// rename the peer.
  void profile(const clang::Expr *E, const Substitution *Subst, KeyText &Out,
               unsigned Depth = 0, bool InObject = false);

  /// How the user would have written the lookup: its source text, with the
  /// parameters of expanded wrappers replaced by the call site's arguments.
  std::string display(const clang::Expr *E, const Substitution *Subst,
                      unsigned Depth = 0);

  /// The expression as the user wrote it (for one from a macro, its
  /// spelling inside the macro when that is one contiguous piece of text).
  std::string sourceText(const clang::Expr *E) const;

private:
  bool profileLeaf(const clang::Expr *E, const Substitution *Subst,
                   KeyText &Out, unsigned Depth, bool InObject);
  /// \p SkipArg: an argument that is not part of the key (a lookup's
  /// out-argument: lookup(k, &a) and lookup(k, &b) look up the same).
  void profileCall(const clang::Expr *E, const Substitution *Subst,
                   KeyText &Out, unsigned Depth, bool InObject,
                   int SkipArg = -1);
  std::string displayCall(const clang::Expr *Call, const Substitution *Subst,
                          unsigned Depth);
  const clang::Expr *stableValue(const clang::VarDecl *VD);

  Operations &Ops;
  clang::ASTContext &Ctx;
  const BodyVariables *CurrentVars = nullptr;
};

inline constexpr unsigned NoKey = ~0u;

struct KeyInfo {
  std::string Display;
  llvm::SmallVector<KeyVar, 4> Vars;
  /// The key of the bare name this key looks up, if any; NoKey otherwise.
  unsigned NameAlias = NoKey;
};

/// The keys of one function, interned as small integers.
class FunctionKeys {
public:
  explicit FunctionKeys(KeyBuilder &Builder) : Builder(Builder) {}

  /// The key a keyed operation (lookup, wrapper call) at \p Site looks up.
  unsigned keyOfSite(const clang::Expr *Site);
  /// The key of a peer given by name to a monitor; NoKey if inexact.
  unsigned keyOfName(const clang::Expr *Name);
  /// The key of a name spelled in a string ("org.example.S" inside a match
  /// rule): the same as the literal's key.
  unsigned keyOfLiteralName(llvm::StringRef Text);
  /// The key of this object's member \p Field, as keyOfName gives it for
  /// the implicit member access that names it in a member function.
  unsigned keyOfField(const clang::FieldDecl *Field);

  const KeyInfo &info(unsigned Key) const { return Keys[Key]; }
  /// \p E as the user wrote it.
  std::string textOf(const clang::Expr *E) const {
    return Builder.sourceText(E);
  }
  /// Whether a write of \p VD (of its member \p Field only, if given)
  /// changes what \p Key names.
  bool reads(unsigned Key, const clang::VarDecl *VD,
             const clang::FieldDecl *Field = nullptr) const;

private:
  unsigned intern(const llvm::FoldingSetNodeID &ID, const std::string &Display,
                  llvm::ArrayRef<KeyVar> Vars, unsigned NameAlias);

  KeyBuilder &Builder;
  std::vector<KeyInfo> Keys;
  std::map<llvm::FoldingSetNodeID, unsigned> Ids;
  llvm::DenseMap<const clang::Expr *, unsigned> SiteKeys;
};

} // namespace peer

#endif
