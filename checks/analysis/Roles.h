//===- Roles.h - which functions look up, call and monitor a peer -*- C++ -*-===//
//
// The role model: for any function, whether it is a lookup, a call, a
// monitor (state-reporting or edge) or a monitored call, and which argument
// holds the peer. Roles come from three sources, strongest first:
//   1. source annotations ([[clang::annotate("peer::call", 1)]], or the
//      PEER_* macros of peer/annotations.h),
//   2. the Peer*Functions options of .clang-tidy,
//   3. built-in profiles of real frameworks (PeerProfiles: 'caf').
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_ANALYSIS_ROLES_H
#define PEER_TIDY_ANALYSIS_ROLES_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace peer {

enum class Role {
  Lookup,        ///< returns a handle to the peer registered under a key
  Call,          ///< talks to the peer
  UnpinnedCall,  ///< talks to the peer by a raw identity that the system
                 ///< reuses once the peer is gone (a pid): after a lookup,
                 ///< it may reach another peer
  Monitor,       ///< watches the peer; fires at once if it is already gone
  EdgeMonitor,   ///< watches the peer; reports only later changes
  MonitoredCall, ///< monitors and talks in one atomic step
  Caller,        ///< returns the identity of the peer whose request is being
                 ///< handled: never empty, but that peer may already be gone
  Proxy,         ///< a class: an object of it (or of a class derived from
                 ///< it) talks to the peer named by a constructor argument;
                 ///< the members of derived classes are calls to that peer
  Scan,          ///< returns a peer found by enumerating what exists now (a
                 ///< /proc entry, a process-table row): no key, a new find
                 ///< at each call, named by an identity the system reuses
  Convert,       ///< no operation: returns (or writes through @N:out) the
                 ///< peer its argument names, in another form (a pid parsed
                 ///< from a /proc entry's name by a project's helper)
  Freeze,        ///< stops every other peer where it is (kill(-1, SIGSTOP)):
                 ///< until a thaw, none can go away and its identity be
                 ///< reused, so what a scan finds meanwhile stays valid
  Thaw,          ///< lets them run again (kill(-1, SIGCONT))
};

llvm::StringRef roleName(Role R);

/// A lookup or a scan: what it returns (or writes through @N:out) is a
/// handle to a peer it found.
inline bool findsPeer(Role R) { return R == Role::Lookup || R == Role::Scan; }

/// A role whose result names a peer (a lookup, a scan, a caller query),
/// rather than one that acts on a peer it is given.
inline bool namesPeer(Role R) { return findsPeer(R) || R == Role::Caller; }
std::optional<Role> roleFromName(llvm::StringRef Name);

/// The option name entries imported from other units' summaries carry.
inline constexpr llvm::StringLiteral SummaryFileOptionName = "PeerSummaryFile";

/// The index meaning "the implicit object for a member function, else
/// parameter 0".
inline constexpr int DefaultPeerIndex = -1;

/// A condition on a call site's argument for a role to hold there:
/// "name?arg4!=null" (argument 4 is not a null pointer constant),
/// "name?arg4==null", or "name?arg3=='NameOwnerChanged'" (argument 3 is that
/// string literal, through the usual string wrappers), or
/// "name?arg1!&'FLAG'" (argument 1 is not a constant with every bit of the
/// enumerator FLAG of its type set), or "name?arg2:pid_t" (argument 2 is, or
/// points to, a value declared as a pid_t).
struct ArgCondition {
  /// IntEquals: "argK==-1"; Spelled: "argK==SIGSTOP", the argument written
  /// as that macro or enumerator; OfType: "argK:pid_t", the argument is, or
  /// points to, a value declared with that typedef's name.
  enum Test { NonNull, Null, Equals, LacksFlag, IntEquals, Spelled, OfType };
  int Arg = -1; ///< -1: no condition
  Test Kind = NonNull;
  std::string Text = {};
  long long Value = 0;
  /// "&&": a further test that must hold too.
  std::shared_ptr<const ArgCondition> And = nullptr;
  /// As written after the '?', for fingerprints and messages.
  std::string str() const;
};

struct RoleSpec {
  Role Kind;
  int PeerIndex = DefaultPeerIndex;
  ArgCondition When = {};
  /// "@N:rule": argument N is a D-Bus match rule; the peer is the name whose
  /// owner changes it matches (MatchRules.h).
  bool InMatchRule = false;
  /// The role comes from another unit's summary (Summaries.h).
  bool FromSummary = false;
  /// "@N:out" on a lookup, scan or conversion: the handle is written
  /// through argument N (a pointer), not returned.
  bool ResultInArg = false;
  /// "@N.member": the peer is that member of argument N (a struct or a
  /// pointer to one), as kill_process(args, sig, &victim) signals
  /// victim.pid; empty for the argument itself.
  std::string PeerMember = {};
  /// With a condition (When): the next entry naming the function, for call
  /// sites where the condition does not hold.
  std::shared_ptr<const RoleSpec> Otherwise = nullptr;
};

/// One configured or profiled entry: a qualified name as clang-tidy's
/// matchesAnyListedName reads it ("::ns::f" anchored at the global scope,
/// "ns::C::f" matching any enclosing scope, "f" any function so named).
struct RoleEntry {
  Role Kind;
  std::string Name;
  int PeerIndex = DefaultPeerIndex;
  /// With a signature ("ns::f(QString,int)@0"): the parameter types an
  /// overload must have, as written (compared without const, & and
  /// namespaces). Empty: every overload.
  std::vector<std::string> ParamTypes = {};
  bool HasSignature = false;
  /// The option the entry was read from (empty for a built-in profile).
  std::string Option = {};
  ArgCondition When = {};
  bool InMatchRule = false;
  bool ResultInArg = false;
  /// "@N.member" (RoleSpec::PeerMember).
  std::string PeerMember = {};
  /// Name is a function-pointer type (a typedef) of handlers the framework
  /// calls: every function of exactly that type is given, in parameter
  /// PeerIndex, a peer in this role (only Role::Caller: GDBus's
  /// GDBusInterfaceMethodCallFunc gets the caller's name as `sender`).
  bool HandlerParameter = false;
};

/// An entry that names a function but a parameter it does not have: a
/// configuration error, known only once the function is seen.
struct RoleProblem {
  std::string Option;
  std::string Message;
};

/// A built-in profile of a framework's API.
struct Profile {
  llvm::StringRef Name;
  llvm::ArrayRef<RoleEntry> Entries;
};
/// Every profile listed in profiles/Profiles.def, in that order.
llvm::ArrayRef<Profile> builtinProfiles();

/// A profile's entries as the role model reads them (a signature in an
/// entry's name, "ns::f(QString, int)", split off as in an option list).
std::vector<RoleEntry> entriesOf(const Profile &P);

namespace profiles {
// Each profile's entries are defined in profiles/<Symbol>.cpp.
#define PEER_PROFILE(Symbol, Name)                                             \
  extern const llvm::ArrayRef<RoleEntry> Symbol;
#include "profiles/Profiles.def"
} // namespace profiles

/// The qualified name entries match \p FD by (docs/configuring.md, "How
/// names match").
std::string qualifiedNameOf(const clang::FunctionDecl *FD);

/// \p FD's parameter types as an entry's signature compares them.
std::vector<std::string> signatureTypesOf(const clang::FunctionDecl *FD);

/// Parses "name@N;other" for one role. Returns false (and says why in
/// \p Error) on a malformed entry.
bool parseRoleList(llvm::StringRef Text, Role Kind, llvm::StringRef OptionName,
                   std::vector<RoleEntry> &Out, std::string &Error);

/// Parses an annotation string ("peer::call", "peer::call@1", "peer::call@")
/// plus its optional integer argument.
std::optional<RoleSpec> parseAnnotation(llvm::StringRef Annotation,
                                        std::optional<int> ExtraIndex);

class RoleModel {
public:
  RoleModel() = default;
  explicit RoleModel(std::vector<RoleEntry> Entries);

  /// The role of \p FD, if any. Annotations on any redeclaration (or on the
  /// template it was instantiated from) win over configured names.
  std::optional<RoleSpec> roleOf(const clang::FunctionDecl *FD) const;

  /// If \p RD or one of its bases is a proxy class, the constructor argument
  /// that names the peer its objects talk to.
  std::optional<int> proxyIndexOf(const clang::CXXRecordDecl *RD) const;

  /// The parameter of \p FD that holds the caller of the request it handles,
  /// if \p FD has the type of a handler entry (RoleEntry::HandlerParameter).
  std::optional<unsigned>
  callerParameterOf(const clang::FunctionDecl *FD) const;

  /// True when some entry could name a function called \p UnqualifiedName;
  /// used to decide whether a template's dependent calls might have roles.
  bool mayNameFunction(llvm::StringRef UnqualifiedName) const;

  /// A stable digest of the configuration, for caching analysis results.
  const std::string &fingerprint() const { return Fingerprint; }

  /// The problems met since the last call, each entry's at most once per
  /// model; such an entry gives no role.
  std::vector<RoleProblem> takeProblems() const;

private:
  std::optional<RoleSpec> lookupByName(const clang::FunctionDecl *FD) const;
  /// Does entry \p Index name a parameter \p FD has? Records a problem if not.
  bool indexFits(size_t Index, const clang::FunctionDecl *FD,
                 llvm::StringRef Qualified) const;

  std::vector<RoleEntry> Entries;
  llvm::StringSet<> UnqualifiedNames;
  std::string Fingerprint;
  mutable llvm::DenseMap<const clang::FunctionDecl *, std::optional<RoleSpec>>
      Cache;
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, std::optional<int>>
      ProxyCache;
  /// Is \p RD itself a proxy class (by annotation or entry)?
  std::optional<int> ownProxyIndex(const clang::CXXRecordDecl *RD) const;
  bool HasProxyEntries = false;
  /// The handler entries, and the function types their names resolve to in
  /// the unit (null where the unit declares no such type).
  std::vector<size_t> HandlerEntries; ///< indices into Entries
  mutable const clang::ASTContext *HandlerTypesOf = nullptr;
  mutable std::vector<clang::QualType> HandlerTypes;
  mutable std::vector<RoleProblem> Problems;
  mutable std::vector<bool> ProblemSeen;
};

} // namespace peer

#endif
