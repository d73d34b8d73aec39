//===- Roles.cpp - which functions look up, call and monitor a peer -------===//

#include "Roles.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "utils/OptionsUtils.h"

namespace peer {

llvm::ArrayRef<Profile> builtinProfiles() {
  static const Profile All[] = {
#define PEER_PROFILE(Symbol, Name) {Name, profiles::Symbol},
#include "profiles/Profiles.def"
  };
  return All;
}

llvm::StringRef roleName(Role R) {
  switch (R) {
  case Role::Lookup:
    return "lookup";
  case Role::Call:
    return "call";
  case Role::Monitor:
    return "monitor";
  case Role::EdgeMonitor:
    return "edge_monitor";
  case Role::MonitoredCall:
    return "monitored_call";
  }
  llvm_unreachable("unknown role");
}

static std::optional<Role> roleFromName(llvm::StringRef Name) {
  return llvm::StringSwitch<std::optional<Role>>(Name)
      .Case("lookup", Role::Lookup)
      .Case("call", Role::Call)
      .Case("monitor", Role::Monitor)
      .Case("edge_monitor", Role::EdgeMonitor)
      .Case("monitored_call", Role::MonitoredCall)
      .Default(std::nullopt);
}

/// Splits "name@N" into name and index; "name" and "name@" keep the default.
static bool splitIndex(llvm::StringRef Text, llvm::StringRef &Name, int &Index) {
  auto [Head, Tail] = Text.split('@');
  Name = Head.trim();
  Index = DefaultPeerIndex;
  Tail = Tail.trim();
  if (Tail.empty())
    return true;
  unsigned Value;
  if (Tail.getAsInteger(10, Value))
    return false;
  Index = static_cast<int>(Value);
  return true;
}

bool parseRoleList(llvm::StringRef Text, Role Kind, std::vector<RoleEntry> &Out,
                   std::string &Error) {
  // The list syntax of every clang-tidy option: ';'-separated, trimmed.
  for (llvm::StringRef Item :
       clang::tidy::utils::options::parseStringList(Text)) {
    llvm::StringRef Name;
    int Index;
    if (!splitIndex(Item, Name, Index) || Name.empty()) {
      Error = ("malformed entry '" + Item +
               "' (expected a qualified name with an optional @N suffix)")
                  .str();
      return false;
    }
    Out.push_back({Kind, Name.str(), Index});
  }
  return true;
}

std::optional<RoleSpec> parseAnnotation(llvm::StringRef Annotation,
                                        std::optional<int> ExtraIndex) {
  if (!Annotation.consume_front("peer::"))
    return std::nullopt;
  llvm::StringRef Name;
  int Index;
  if (!splitIndex(Annotation, Name, Index))
    return std::nullopt;
  std::optional<Role> Kind = roleFromName(Name);
  if (!Kind)
    return std::nullopt;
  if (ExtraIndex)
    Index = *ExtraIndex;
  return RoleSpec{*Kind, Index};
}

RoleModel::RoleModel(std::vector<RoleEntry> TheEntries)
    : Entries(std::move(TheEntries)) {
  for (const RoleEntry &E : Entries) {
    llvm::StringRef Name(E.Name);
    size_t Sep = Name.rfind("::");
    UnqualifiedNames.insert(Sep == llvm::StringRef::npos ? Name
                                                         : Name.substr(Sep + 2));
    Fingerprint += roleName(E.Kind);
    Fingerprint += ':' + E.Name + '@' + std::to_string(E.PeerIndex) + ';';
  }
}

static std::optional<RoleSpec> annotationOf(const clang::Decl *D) {
  for (const auto *A : D->specific_attrs<clang::AnnotateAttr>()) {
    std::optional<int> Extra;
    if (A->args_size() >= 1) {
      if (const auto *CE = llvm::dyn_cast<clang::ConstantExpr>(*A->args_begin()))
        if (CE->hasAPValueResult() && CE->getAPValueResult().isInt())
          Extra = static_cast<int>(CE->getAPValueResult().getInt().getExtValue());
    }
    if (std::optional<RoleSpec> Spec = parseAnnotation(A->getAnnotation(), Extra))
      return Spec;
  }
  return std::nullopt;
}

/// The qualified name as a user writes it in a list: enclosing namespaces and
/// classes by name, without template arguments (a member of lib::Handle<int>
/// is "lib::Handle::ask"), skipping anonymous and inline namespaces.
static std::string qualifiedName(const clang::FunctionDecl *FD) {
  llvm::SmallVector<std::string, 4> Parts;
  if (const auto *Ctor = llvm::dyn_cast<clang::CXXConstructorDecl>(FD))
    Parts.push_back(Ctor->getParent()->getName().str());
  else
    Parts.push_back(FD->getDeclName().getAsString());
  for (const clang::DeclContext *DC = FD->getDeclContext(); DC;
       DC = DC->getParent()) {
    if (const auto *NS = llvm::dyn_cast<clang::NamespaceDecl>(DC)) {
      if (NS->isAnonymousNamespace() || NS->isInline())
        continue;
      Parts.push_back(NS->getName().str());
    } else if (const auto *RD = llvm::dyn_cast<clang::RecordDecl>(DC)) {
      if (RD->getName().empty())
        continue;
      Parts.push_back(RD->getName().str());
    } else if (llvm::isa<clang::FunctionDecl>(DC)) {
      break; // a local class: its own name suffices
    }
  }
  std::string Name;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
    Name += (Name.empty() ? "" : "::") + *It;
  return Name;
}

static bool nameMatches(llvm::StringRef Pattern, llvm::StringRef Qualified) {
  if (Pattern.consume_front("::"))
    return Qualified == Pattern;
  if (Qualified == Pattern)
    return true;
  return Qualified.size() > Pattern.size() + 2 &&
         Qualified.ends_with(Pattern) &&
         Qualified.drop_back(Pattern.size()).ends_with("::");
}

std::optional<RoleSpec>
RoleModel::lookupByName(const clang::FunctionDecl *FD) const {
  // Constructors are named after their class ("ns::Watcher::Watcher"),
  // operators as written ("ns::View::operator()").
  std::string Short;
  if (const auto *Ctor = llvm::dyn_cast<clang::CXXConstructorDecl>(FD))
    Short = Ctor->getParent()->getName().str();
  else
    Short = FD->getDeclName().getAsString();
  if (Entries.empty() || Short.empty())
    return std::nullopt;
  if (!UnqualifiedNames.contains(Short))
    return std::nullopt;
  std::string Qualified = qualifiedName(FD);
  for (const RoleEntry &E : Entries)
    if (nameMatches(E.Name, Qualified))
      return RoleSpec{E.Kind, E.PeerIndex};
  return std::nullopt;
}

std::optional<RoleSpec>
RoleModel::roleOf(const clang::FunctionDecl *FD) const {
  if (!FD)
    return std::nullopt;
  FD = FD->getCanonicalDecl();
  auto [It, Inserted] = Cache.try_emplace(FD);
  if (!Inserted)
    return It->second;

  std::optional<RoleSpec> Result;
  // Annotations may sit on any redeclaration, or on the template (or member
  // of a class template) this function was instantiated from.
  llvm::SmallVector<const clang::FunctionDecl *, 4> Sources{FD};
  if (const clang::FunctionDecl *Pattern =
          FD->getTemplateInstantiationPattern())
    Sources.push_back(Pattern);
  for (const clang::FunctionDecl *Source : Sources) {
    for (const clang::FunctionDecl *Redecl : Source->redecls())
      if ((Result = annotationOf(Redecl)))
        break;
    if (Result)
      break;
  }
  if (!Result)
    Result = lookupByName(FD);
  Cache[FD] = Result;
  return Result;
}

bool RoleModel::mayNameFunction(llvm::StringRef UnqualifiedName) const {
  return UnqualifiedNames.contains(UnqualifiedName);
}

} // namespace peer
