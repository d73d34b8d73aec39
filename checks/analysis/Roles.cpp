//===- Roles.cpp - which functions look up, call and monitor a peer -------===//

#include "Roles.h"

#include "utils/OptionsUtils.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/PrettyPrinter.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include <utility>

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
  case Role::UnpinnedCall:
    return "unpinned_call";
  case Role::Monitor:
    return "monitor";
  case Role::EdgeMonitor:
    return "edge_monitor";
  case Role::MonitoredCall:
    return "monitored_call";
  case Role::Caller:
    return "caller";
  case Role::Proxy:
    return "proxy";
  case Role::Scan:
    return "scan";
  case Role::Convert:
    return "conversion";
  case Role::Freeze:
    return "freeze";
  case Role::Thaw:
    return "thaw";
  }
  llvm_unreachable("unknown role");
}

std::optional<Role> roleFromName(llvm::StringRef Name) {
  return llvm::StringSwitch<std::optional<Role>>(Name)
      .Case("lookup", Role::Lookup)
      .Case("call", Role::Call)
      .Case("unpinned_call", Role::UnpinnedCall)
      .Case("monitor", Role::Monitor)
      .Case("edge_monitor", Role::EdgeMonitor)
      .Case("monitored_call", Role::MonitoredCall)
      .Case("caller", Role::Caller)
      .Case("proxy", Role::Proxy)
      .Case("scan", Role::Scan)
      .Case("conversion", Role::Convert)
      .Case("freeze", Role::Freeze)
      .Case("thaw", Role::Thaw)
      .Default(std::nullopt);
}

/// Splits "name@N" into name and index; "name" and "name@" keep the default.
/// "name@N:rule" says argument N is a match rule (\p InMatchRule);
/// "name@N:out" that a lookup writes its result through argument N
/// (\p ResultInArg); "name@N.member" that the peer is that member of
/// argument N (\p Member).
static bool splitIndex(llvm::StringRef Text, llvm::StringRef &Name, int &Index,
                       bool *InMatchRule = nullptr, bool *ResultInArg = nullptr,
                       std::string *Member = nullptr) {
  auto [Head, Tail] = Text.split('@');
  Name = Head.trim();
  Index = DefaultPeerIndex;
  Tail = Tail.trim();
  bool *Form = nullptr;
  if (InMatchRule && Tail.consume_back(":rule"))
    Form = InMatchRule;
  else if (ResultInArg && Tail.consume_back(":out"))
    Form = ResultInArg;
  if (Form) {
    *Form = true;
    Tail = Tail.trim();
    if (Tail.empty())
      return false; // both name their argument's index
  }
  if (Tail.empty())
    return true;
  if (auto [Number, Field] = Tail.split('.');
      Member && !Form && Tail.contains('.')) {
    if (Field.empty() || !llvm::all_of(Field, [](char C) {
          return llvm::isAlnum(C) || C == '_';
        }))
      return false;
    *Member = Field.str();
    Tail = Number;
  }
  unsigned Value;
  if (Tail.getAsInteger(10, Value))
    return false;
  Index = static_cast<int>(Value);
  return true;
}

/// A parameter type as compared: no cv-qualifiers, references, spaces or
/// namespace qualifiers ("const std::string &" is "string").
static std::string normalisedTypeName(llvm::StringRef Written) {
  std::string Text;
  llvm::SmallVector<llvm::StringRef, 4> Words;
  Written.split(Words, ' ');
  for (llvm::StringRef Word : Words) {
    Word = Word.trim();
    if (Word.empty() || Word == "const" || Word == "volatile" ||
        Word == "struct" || Word == "class" || Word == "enum")
      continue;
    Text += Word.str();
  }
  llvm::erase(Text, '&');
  size_t Angle = Text.find('<');
  size_t Scope = llvm::StringRef(Text).substr(0, Angle).rfind("::");
  if (Scope != llvm::StringRef::npos)
    Text = Text.substr(Scope + 2);
  return Text;
}

std::string ArgCondition::str() const {
  std::string Own = "arg" + std::to_string(this->Arg);
  switch (Kind) {
  case NonNull:
    Own += "!=null";
    break;
  case Null:
    Own += "==null";
    break;
  case Equals:
    Own += "=='" + Text + "'";
    break;
  case LacksFlag:
    Own += "!&'" + Text + "'";
    break;
  case IntEquals:
  case Spelled:
    Own += "==" + Text;
    break;
  case OfType:
    Own += ":" + Text;
    break;
  }
  return And ? Own + "&&" + And->str() : Own;
}

/// Whether \p Text is an identifier (an enumerator's or a macro's name).
static bool isIdentifier(llvm::StringRef Text) {
  return !Text.empty() && !llvm::isDigit(Text.front()) &&
         llvm::all_of(Text,
                      [](char C) { return llvm::isAlnum(C) || C == '_'; });
}

/// Parses one test ("argK!=null", "argK==null", "argK=='text'", "argK==-1",
/// "argK==NAME", "argK!&'FLAG'", "argK:TYPE") off the front of \p Test.
static bool parseTest(llvm::StringRef &Test, ArgCondition &When) {
  Test = Test.ltrim();
  if (!Test.consume_front("arg"))
    return false;
  size_t Digits = Test.find_first_not_of("0123456789");
  unsigned Arg;
  if (Digits == 0 || Test.substr(0, Digits).getAsInteger(10, Arg))
    return false;
  When.Arg = static_cast<int>(Arg);
  Test = Test.substr(Digits).ltrim();
  if (Test.consume_front(":")) {
    size_t End = Test.find_first_of(" &");
    llvm::StringRef Type = Test.substr(0, End);
    Test = Test.substr(Type.size());
    When.Kind = ArgCondition::OfType;
    When.Text = Type.str();
    return isIdentifier(Type);
  }
  bool Equals = Test.consume_front("==");
  bool Flag = !Equals && Test.consume_front("!&");
  if (!Equals && !Flag && !Test.consume_front("!="))
    return false;
  Test = Test.ltrim();
  if (!Flag && Test.consume_front("null")) {
    When.Kind = Equals ? ArgCondition::Null : ArgCondition::NonNull;
    return true;
  }
  if (Test.consume_front("'")) {
    size_t Close = Test.find('\'');
    if (Close == llvm::StringRef::npos || (!Equals && !Flag))
      return false;
    When.Kind = Equals ? ArgCondition::Equals : ArgCondition::LacksFlag;
    When.Text = Test.substr(0, Close).str();
    Test = Test.substr(Close + 1);
    // A flag is an enumerator's name.
    return When.Kind == ArgCondition::Equals || isIdentifier(When.Text);
  }
  if (!Equals)
    return false;
  // An integer (-1) or the name of an enumerator or macro (SIGSTOP).
  size_t End = Test.find_first_of(" &");
  llvm::StringRef Operand = Test.substr(0, End);
  Test = Test.substr(Operand.size());
  long long Value;
  if (!Operand.getAsInteger(10, Value)) {
    When.Kind = ArgCondition::IntEquals;
    When.Value = Value;
    When.Text = Operand.str();
    return true;
  }
  When.Kind = ArgCondition::Spelled;
  When.Text = Operand.str();
  return isIdentifier(Operand);
}

/// Parses tests joined by "&&" (the whole of \p Test) into \p When.
static bool parseConjunction(llvm::StringRef Test, ArgCondition &When) {
  if (!parseTest(Test, When))
    return false;
  Test = Test.trim();
  if (Test.empty())
    return true;
  if (!Test.consume_front("&&"))
    return false;
  auto Rest = std::make_shared<ArgCondition>();
  if (!parseConjunction(Test, *Rest))
    return false;
  When.And = std::move(Rest);
  return true;
}

/// Splits a trailing condition ("?argK!=null", "?argK==null",
/// "?argK=='text'", tests joined by "&&") off \p Text.
static bool splitCondition(llvm::StringRef &Text, ArgCondition &When) {
  size_t Mark = Text.find('?');
  if (Mark == llvm::StringRef::npos)
    return true;
  llvm::StringRef Test = Text.substr(Mark + 1);
  Text = Text.substr(0, Mark).trim();
  return parseConjunction(Test, When);
}

/// Splits "name(T1, T2<A, B>)" into the name and the parameter types.
static bool splitSignature(llvm::StringRef Text, RoleEntry &Entry) {
  size_t Open = Text.find('(');
  if (Open == llvm::StringRef::npos || Text.starts_with("operator") ||
      Text.contains("::operator"))
    return !Text.contains(')') || Text.contains("operator");
  if (!Text.ends_with(")"))
    return false;
  Entry.Name = Text.substr(0, Open).trim().str();
  Entry.HasSignature = true;
  llvm::StringRef List = Text.slice(Open + 1, Text.size() - 1).trim();
  unsigned Depth = 0;
  size_t Start = 0;
  for (size_t I = 0; I <= List.size(); ++I) {
    char C = I < List.size() ? List[I] : ',';
    if (C == '<' || C == '(')
      ++Depth;
    else if ((C == '>' || C == ')') && Depth > 0)
      --Depth;
    else if (C == ',' && Depth == 0) {
      llvm::StringRef Param = List.slice(Start, I).trim();
      if (Param.empty() && !List.empty())
        return false;
      if (!Param.empty())
        Entry.ParamTypes.push_back(normalisedTypeName(Param));
      Start = I + 1;
    }
  }
  return true;
}

std::vector<RoleEntry> entriesOf(const Profile &P) {
  std::vector<RoleEntry> Entries;
  for (const RoleEntry &E : P.Entries) {
    RoleEntry Parsed{E.Kind, "", E.PeerIndex};
    Parsed.HandlerParameter = E.HandlerParameter;
    llvm::StringRef Name = E.Name;
    [[maybe_unused]] bool Parses = splitCondition(Name, Parsed.When);
    if (Name.contains('@')) {
      llvm::StringRef Bare;
      Parses &= splitIndex(Name, Bare, Parsed.PeerIndex, &Parsed.InMatchRule,
                           &Parsed.ResultInArg);
      Name = Bare;
    }
    Parses &= splitSignature(Name, Parsed);
    assert(Parses && "a built-in profile entry must parse");
    if (!Parsed.HasSignature)
      Parsed.Name = Name.str();
    Entries.push_back(std::move(Parsed));
  }
  return Entries;
}

bool parseRoleList(llvm::StringRef Text, Role Kind, llvm::StringRef OptionName,
                   std::vector<RoleEntry> &Out, std::string &Error) {
  // The list syntax of every clang-tidy option: ';'-separated, trimmed.
  for (llvm::StringRef Item :
       clang::tidy::utils::options::parseStringList(Text)) {
    llvm::StringRef Name;
    int Index;
    RoleEntry Entry{Kind, "", DefaultPeerIndex};
    llvm::StringRef Unconditional = Item;
    if (!splitCondition(Unconditional, Entry.When) ||
        !splitIndex(Unconditional, Name, Index, &Entry.InMatchRule,
                    &Entry.ResultInArg, &Entry.PeerMember) ||
        Name.empty() || !splitSignature(Name, Entry)) {
      Error = ("malformed entry '" + Item +
               "' (expected a qualified name with an optional (parameter "
               "types), an optional @N, @N.member, @N:rule or @N:out suffix "
               "and an optional ?argK!=null, ?argK==null or ?argK=='text' "
               "condition)")
                  .str();
      return false;
    }
    if (!Entry.PeerMember.empty() &&
        (namesPeer(Kind) || Kind == Role::Convert || Kind == Role::Proxy)) {
      Error = ("entry '" + Item +
               "': only a role that acts on a peer it is given (a call, a "
               "monitor, ...) names a member of its argument (@N.member)")
                  .str();
      return false;
    }
    if (Entry.ResultInArg && !findsPeer(Kind) && Kind != Role::Convert) {
      Error = ("entry '" + Item +
               "': only a lookup, a scan or a conversion writes its result "
               "through an argument (@N:out)")
                  .str();
      return false;
    }
    if (!Entry.HasSignature)
      Entry.Name = Name.str();
    Entry.PeerIndex = Index;
    Entry.Option = OptionName.str();
    if (Entry.HasSignature && Index >= 0 &&
        static_cast<size_t>(Index) >= Entry.ParamTypes.size()) {
      Error = ("entry '" + Item + "' names parameter " + llvm::Twine(Index) +
               " of a signature with " + llvm::Twine(Entry.ParamTypes.size()) +
               " parameters")
                  .str();
      return false;
    }
    Out.push_back(std::move(Entry));
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
    : Entries(std::move(TheEntries)), ProblemSeen(Entries.size()) {
  for (const RoleEntry &E : Entries) {
    HasProxyEntries |= E.Kind == Role::Proxy;
    llvm::StringRef Name(E.Name);
    size_t Sep = Name.rfind("::");
    UnqualifiedNames.insert(
        Sep == llvm::StringRef::npos ? Name : Name.substr(Sep + 2));
    Fingerprint += roleName(E.Kind);
    Fingerprint += ':' + E.Name;
    if (E.HasSignature)
      for (const std::string &T : E.ParamTypes)
        Fingerprint += '(' + T + ')';
    Fingerprint += '@' + std::to_string(E.PeerIndex);
    if (E.InMatchRule)
      Fingerprint += ":rule";
    if (E.ResultInArg)
      Fingerprint += ":out";
    if (!E.PeerMember.empty())
      Fingerprint += '.' + E.PeerMember;
    if (E.When.Arg >= 0)
      Fingerprint += '?' + E.When.str();
    if (E.HandlerParameter)
      Fingerprint += ":handler";
    Fingerprint += ';';
  }
  for (size_t I = 0; I < Entries.size(); ++I)
    if (Entries[I].HandlerParameter)
      HandlerEntries.push_back(I);
}

std::optional<unsigned>
RoleModel::callerParameterOf(const clang::FunctionDecl *FD) const {
  if (HandlerEntries.empty() || !FD)
    return std::nullopt;
  const clang::ASTContext &Ctx = FD->getASTContext();
  if (HandlerTypesOf != &Ctx) {
    // Each handler type, looked up once per unit among the unit's
    // top-level declarations (where C headers declare them).
    HandlerTypesOf = &Ctx;
    HandlerTypes.assign(HandlerEntries.size(), clang::QualType());
    for (size_t I = 0; I < HandlerEntries.size(); ++I) {
      llvm::StringRef Written(Entries[HandlerEntries[I]].Name);
      Written.consume_front("::");
      const clang::IdentifierInfo *Name = &Ctx.Idents.get(Written);
      for (const clang::NamedDecl *D :
           Ctx.getTranslationUnitDecl()->lookup(Name))
        if (const auto *TD = llvm::dyn_cast<clang::TypedefNameDecl>(D))
          if (const auto *Ptr =
                  TD->getUnderlyingType()->getAs<clang::PointerType>())
            if (Ptr->getPointeeType()->isFunctionType())
              HandlerTypes[I] = Ctx.getCanonicalType(Ptr->getPointeeType());
    }
  }
  for (size_t I = 0; I < HandlerEntries.size(); ++I) {
    unsigned Index =
        static_cast<unsigned>(Entries[HandlerEntries[I]].PeerIndex);
    if (!HandlerTypes[I].isNull() && Index < FD->getNumParams() &&
        Ctx.hasSameType(FD->getType(), HandlerTypes[I]))
      return Index;
  }
  return std::nullopt;
}

static std::optional<RoleSpec> annotationOf(const clang::Decl *D) {
  for (const auto *A : D->specific_attrs<clang::AnnotateAttr>()) {
    std::optional<int> Extra;
    if (A->args_size() >= 1) {
      if (const auto *CE =
              llvm::dyn_cast<clang::ConstantExpr>(*A->args_begin()))
        if (CE->hasAPValueResult() && CE->getAPValueResult().isInt())
          Extra =
              static_cast<int>(CE->getAPValueResult().getInt().getExtValue());
    }
    if (std::optional<RoleSpec> Spec =
            parseAnnotation(A->getAnnotation(), Extra))
      return Spec;
  }
  return std::nullopt;
}

/// \p Leaf qualified by the namespaces and classes that enclose \p DC.
static std::string qualifiedIn(std::string Leaf, const clang::DeclContext *DC);

/// The qualified name as a user writes it in a list: enclosing namespaces and
/// classes by name, without template arguments (a member of lib::Handle<int>
/// is "lib::Handle::ask"), skipping anonymous and inline namespaces.
static std::string qualifiedName(const clang::FunctionDecl *FD) {
  if (const auto *Ctor = llvm::dyn_cast<clang::CXXConstructorDecl>(FD))
    return qualifiedIn(Ctor->getParent()->getName().str(),
                       FD->getDeclContext());
  return qualifiedIn(FD->getDeclName().getAsString(), FD->getDeclContext());
}

static std::string qualifiedName(const clang::CXXRecordDecl *RD) {
  return qualifiedIn(RD->getName().str(), RD->getDeclContext());
}

static std::string qualifiedIn(std::string Leaf, const clang::DeclContext *DC) {
  llvm::SmallVector<std::string, 4> Parts{std::move(Leaf)};
  for (; DC; DC = DC->getParent()) {
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

std::vector<std::string> signatureTypesOf(const clang::FunctionDecl *FD) {
  clang::PrintingPolicy Policy(FD->getASTContext().getLangOpts());
  Policy.SuppressScope = true;
  Policy.SuppressTagKeyword = true;
  std::vector<std::string> Types;
  for (const clang::ParmVarDecl *Param : FD->parameters()) {
    clang::QualType T = Param->getType().getNonReferenceType();
    Types.push_back(
        normalisedTypeName(T.getUnqualifiedType().getAsString(Policy)));
  }
  return Types;
}

std::string qualifiedNameOf(const clang::FunctionDecl *FD) {
  return qualifiedName(FD);
}

/// Does \p FD have the parameter types \p E lists (if it lists any)?
static bool signatureMatches(const RoleEntry &E,
                             const clang::FunctionDecl *FD) {
  if (!E.HasSignature)
    return true;
  if (FD->getNumParams() != E.ParamTypes.size())
    return false;
  return signatureTypesOf(FD) == E.ParamTypes;
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
  // The first matching entry; a conditional one chains to the next.
  std::optional<RoleSpec> First;
  RoleSpec *Last = nullptr;
  for (size_t I = 0; I < Entries.size(); ++I) {
    const RoleEntry &E = Entries[I];
    if (E.Kind == Role::Proxy || E.HandlerParameter ||
        !nameMatches(E.Name, Qualified) || !signatureMatches(E, FD) ||
        !indexFits(I, FD, Qualified))
      continue;
    RoleSpec Spec{E.Kind, E.PeerIndex, E.When, E.InMatchRule,
                  E.Option == SummaryFileOptionName};
    Spec.ResultInArg = E.ResultInArg;
    Spec.PeerMember = E.PeerMember;
    if (!First) {
      First = std::move(Spec);
      Last = &*First;
    } else {
      auto Next = std::make_shared<RoleSpec>(std::move(Spec));
      Last->Otherwise = Next;
      Last = Next.get();
    }
    if (E.When.Arg < 0)
      break;
  }
  return First;
}

bool RoleModel::indexFits(size_t Index, const clang::FunctionDecl *FD,
                          llvm::StringRef Qualified) const {
  const RoleEntry &E = Entries[Index];
  // Past the named parameters of a variadic function is one of its
  // variadic arguments.
  if (E.PeerIndex < 0 ||
      static_cast<unsigned>(E.PeerIndex) < FD->getNumParams() ||
      FD->isVariadic())
    return true;
  if (!ProblemSeen[Index]) {
    ProblemSeen[Index] = true;
    Problems.push_back(
        {E.Option.empty() ? std::string("PeerProfiles") : E.Option,
         ("entry '" + E.Name + "@" + llvm::Twine(E.PeerIndex) +
          "' names parameter " + llvm::Twine(E.PeerIndex) + ", but '" +
          Qualified + "' has " + llvm::Twine(FD->getNumParams()) +
          (FD->getNumParams() == 1 ? " parameter" : " parameters") +
          " (parameters count from 0)")
             .str()});
  }
  return false;
}

std::vector<RoleProblem> RoleModel::takeProblems() const {
  return std::exchange(Problems, {});
}

std::optional<int>
RoleModel::ownProxyIndex(const clang::CXXRecordDecl *RD) const {
  if (std::optional<RoleSpec> Spec = annotationOf(RD);
      Spec && Spec->Kind == Role::Proxy)
    return std::max(Spec->PeerIndex, 0);
  if (!HasProxyEntries || RD->getName().empty())
    return std::nullopt;
  std::string Qualified = qualifiedName(RD);
  for (const RoleEntry &E : Entries)
    if (E.Kind == Role::Proxy && nameMatches(E.Name, Qualified))
      return std::max(E.PeerIndex, 0);
  return std::nullopt;
}

std::optional<int>
RoleModel::proxyIndexOf(const clang::CXXRecordDecl *RD) const {
  if (!RD || !RD->hasDefinition())
    return std::nullopt;
  RD = RD->getDefinition();
  auto [It, Inserted] = ProxyCache.try_emplace(RD);
  if (!Inserted)
    return It->second;
  std::optional<int> Index = ownProxyIndex(RD);
  if (!Index)
    for (const clang::CXXBaseSpecifier &Base : RD->bases())
      if ((Index = proxyIndexOf(Base.getType()->getAsCXXRecordDecl())))
        break;
  ProxyCache[RD] = Index;
  return Index;
}

/// A member of a class derived from a proxy class (a generated proxy's
/// method, or a property read) talks to the proxy's peer: a call on its
/// object. Constructors, destructors, operators and static members do not.
static bool isProxyMember(const RoleModel &Model,
                          const clang::FunctionDecl *FD) {
  const auto *MD = llvm::dyn_cast<clang::CXXMethodDecl>(FD);
  if (!MD || MD->isStatic() || llvm::isa<clang::CXXConstructorDecl>(MD) ||
      llvm::isa<clang::CXXDestructorDecl>(MD) ||
      llvm::isa<clang::CXXConversionDecl>(MD) || MD->isOverloadedOperator() ||
      !MD->getDeclName().isIdentifier())
    return false;
  const clang::CXXRecordDecl *RD = MD->getParent();
  if (!RD->hasDefinition())
    return false;
  // Strictly derived: the proxy class's own members are configured one by one.
  for (const clang::CXXBaseSpecifier &Base : RD->getDefinition()->bases())
    if (Model.proxyIndexOf(Base.getType()->getAsCXXRecordDecl()))
      return true;
  return false;
}

std::optional<RoleSpec> RoleModel::roleOf(const clang::FunctionDecl *FD) const {
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
  if (!Result && isProxyMember(*this, FD))
    Result = RoleSpec{Role::Call, DefaultPeerIndex};
  Cache[FD] = Result;
  return Result;
}

bool RoleModel::mayNameFunction(llvm::StringRef UnqualifiedName) const {
  return UnqualifiedNames.contains(UnqualifiedName);
}

} // namespace peer
