//===- Summaries.cpp - roles across translation units ---------------------===//

#include "Summaries.h"
#include "Expressions.h"
#include "PeerAnalysis.h"
#include "UnitTraversal.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include <set>

using namespace clang;

namespace peer {

llvm::StringRef SummaryEntry::function() const {
  llvm::StringRef Text = Entry;
  return Text.substr(0, Text.rfind(')') + 1);
}

bool SummaryEntry::operator<(const SummaryEntry &O) const {
  return std::tie(Entry, Kind) < std::tie(O.Entry, O.Kind);
}

std::string signatureEntryOf(const FunctionDecl *FD) {
  std::string Text = "::" + qualifiedNameOf(FD) + "(";
  std::vector<std::string> Types = signatureTypesOf(FD);
  for (size_t I = 0; I < Types.size(); ++I)
    Text += (I ? ", " : "") + Types[I];
  return Text + ")";
}

namespace {

/// A function other units can call by this name: defined in the main file,
/// externally visible, not a template pattern or a lambda.
bool isExported(const FunctionDecl *FD, const SourceManager &SM) {
  if (!FD->doesThisDeclarationHaveABody() || !FD->isExternallyVisible() ||
      FD->isDependentContext() || FD->getDescribedFunctionTemplate() ||
      FD->isTemplateInstantiation())
    return false;
  if (!FD->getDeclName().isIdentifier() && !isa<CXXConstructorDecl>(FD))
    return false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      MD && MD->getParent()->isLambda())
    return false;
  return SM.isInMainFile(SM.getExpansionLoc(FD->getLocation()));
}

/// Whether \p Field is a member of the record parameter \p Index of \p FD
/// is (or points to).
bool isMemberOfParameter(const FunctionDecl *FD, int Index,
                         const FieldDecl *Field) {
  if (static_cast<unsigned>(Index) >= FD->getNumParams() ||
      !Field->getIdentifier())
    return false;
  const RecordDecl *RD = recordOf(FD->getParamDecl(Index)->getType());
  return RD && Field->getParent()->getCanonicalDecl() == RD->getCanonicalDecl();
}

/// What another unit should know of \p FD's role, as an entry.
std::optional<SummaryEntry> exportedRole(const FunctionDecl *FD,
                                         PeerAnalysis &Analysis) {
  if (Analysis.roles().roleOf(FD))
    return std::nullopt; // every unit already knows it by name
  const WrapperSummary *Summary = Analysis.wrapperOf(FD);
  const ConversionSummary *Conversion =
      Summary ? nullptr : Analysis.conversionOf(FD);
  if (!Summary && !Conversion)
    return std::nullopt;
  std::string Entry = signatureEntryOf(FD);
  // A conversion: "f@I" returns what argument I names; "f@K:out" writes it
  // through argument K (its source is then any other argument).
  if (Conversion)
    return SummaryEntry{
        Role::Convert,
        Conversion->OutParam >= 0
            ? Entry + "@" + std::to_string(Conversion->OutParam) + ":out"
            : Entry + "@" + std::to_string(Conversion->SourceParam)};
  if (Summary->PeerField) {
    // "f@N.member" names a member of the parameter's own record (c->pid),
    // not one deeper (row->head[i].result.s_int).
    if (Summary->PeerParam < 0 ||
        !isMemberOfParameter(FD, Summary->PeerParam, Summary->PeerField))
      return std::nullopt;
    return SummaryEntry{Summary->Kind,
                        Entry + "@" + std::to_string(Summary->PeerParam) + "." +
                            Summary->PeerField->getName().str()};
  }
  if (Summary->PeerParam >= 0)
    return SummaryEntry{Summary->Kind,
                        Entry + "@" + std::to_string(Summary->PeerParam)};
  // A keyed wrapper that looks up (or asks for the caller) and returns it is
  // a lookup (a caller) keyed by its own call. One that goes on to call or
  // monitor what it looked up keys on a lookup inside it, which an entry
  // cannot say: it stays local.
  // A lookup of just one parameter's name names it ("@K"), so that the
  // other unit ties the lookup to that name, as a profile's entry does.
  if (Summary->Kind == Role::Lookup && Summary->KeyParam >= 0)
    return SummaryEntry{Summary->Kind,
                        Entry + "@" + std::to_string(Summary->KeyParam)};
  if (namesPeer(Summary->Kind))
    return SummaryEntry{Summary->Kind, Entry};
  return std::nullopt;
}

/// Whether \p D may hold main-file code: it is in the main file, or has no
/// location (implicit declarations, which a walk passes through).
bool inMainFile(const Decl *D, const SourceManager &SM) {
  return D->getLocation().isInvalid() ||
         SM.isInMainFile(SM.getExpansionLoc(D->getLocation()));
}

/// The callees of the main file's functions that this unit neither defines
/// nor knows a role of.
class UnresolvedCallees : public RecursiveASTVisitor<UnresolvedCallees> {
public:
  UnresolvedCallees(const SourceManager &SM, const RoleModel &Roles)
      : SM(SM), Roles(Roles) {}

  bool TraverseDecl(Decl *D) {
    if (D && !inMainFile(D, SM))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitCallExpr(CallExpr *Call) {
    note(calleeOf(Call));
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *Construct) {
    note(Construct->getConstructor());
    return true;
  }

  std::set<std::string> Names;

private:
  void note(const FunctionDecl *FD) {
    if (!FD || FD->hasBody() || FD->isDependentContext() || isInSystemCode(FD))
      return;
    // A role from another unit's summary still leaves the name unresolved
    // here: the unit asks for it again in the next round.
    if (std::optional<RoleSpec> Spec = Roles.roleOf(FD);
        Spec && !Spec->FromSummary)
      return;
    if (FD->getDeclName().isIdentifier() || isa<CXXConstructorDecl>(FD))
      Names.insert(signatureEntryOf(FD));
  }

  const SourceManager &SM;
  const RoleModel &Roles;
};

} // namespace

UnitSummary summarizeUnit(const TranslationUnitDecl *TU,
                          PeerAnalysis &Analysis) {
  const SourceManager &SM = TU->getASTContext().getSourceManager();
  UnitSummary Summary;
  // Every function definition of the main file, members and namespaces
  // included (a visitor over declarations only).
  struct Definitions : RecursiveASTVisitor<Definitions> {
    const SourceManager &SM;
    std::vector<const FunctionDecl *> Found;
    explicit Definitions(const SourceManager &SM) : SM(SM) {}
    bool shouldVisitTemplateInstantiations() const { return false; }
    bool TraverseDecl(Decl *D) {
      return !D || !inMainFile(D, SM) || RecursiveASTVisitor::TraverseDecl(D);
    }
    bool VisitFunctionDecl(FunctionDecl *FD) {
      Found.push_back(FD);
      return true;
    }
    bool TraverseStmt(Stmt *) { return true; } // no bodies, no lambdas
  } Defs(SM);
  traverseWholeUnit(Defs, TU);
  for (const FunctionDecl *FD : Defs.Found)
    if (isExported(FD, SM))
      if (std::optional<SummaryEntry> Entry = exportedRole(FD, Analysis))
        Summary.Exported.push_back(std::move(*Entry));
  llvm::sort(Summary.Exported);
  UnresolvedCallees Callees(SM, Analysis.roles());
  traverseWholeUnit(Callees, TU);
  Summary.Unresolved.assign(Callees.Names.begin(), Callees.Names.end());
  return Summary;
}

std::vector<SummaryEntry> mergeSummaries(llvm::ArrayRef<UnitSummary> Units) {
  std::vector<SummaryEntry> All;
  for (const UnitSummary &Unit : Units)
    All.insert(All.end(), Unit.Exported.begin(), Unit.Exported.end());
  llvm::sort(All);
  std::vector<SummaryEntry> Merged;
  for (SummaryEntry &E : All)
    if (Merged.empty() || Merged.back().function() != E.function())
      Merged.push_back(std::move(E));
  return Merged;
}

std::vector<SummaryEntry> entriesFor(llvm::ArrayRef<SummaryEntry> Merged,
                                     llvm::ArrayRef<std::string> Unresolved) {
  std::vector<SummaryEntry> Found;
  for (const SummaryEntry &E : Merged)
    if (std::binary_search(Unresolved.begin(), Unresolved.end(),
                           E.function().str()))
      Found.push_back(E);
  return Found;
}

std::string summaryFileText(llvm::ArrayRef<SummaryEntry> Entries) {
  llvm::json::Array Roles;
  for (const SummaryEntry &E : Entries)
    Roles.push_back(
        llvm::json::Object{{"role", roleName(E.Kind)}, {"entry", E.Entry}});
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << llvm::formatv("{0:2}",
                      llvm::json::Value(llvm::json::Object{
                          {"version", 1}, {"roles", std::move(Roles)}}));
  OS << "\n";
  return Text;
}

/// A summary file nests three deep; anything much deeper is not one, and
/// must not reach the recursive JSON parser.
static bool nestsTooDeep(llvm::StringRef Text) {
  unsigned Depth = 0;
  bool InString = false;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    if (InString) {
      if (C == '\\')
        ++I;
      else if (C == '"')
        InString = false;
    } else if (C == '"') {
      InString = true;
    } else if (C == '[' || C == '{') {
      if (++Depth > 16)
        return true;
    } else if ((C == ']' || C == '}') && Depth > 0) {
      --Depth;
    }
  }
  return false;
}

llvm::Expected<std::vector<SummaryEntry>>
readSummaryFile(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(), "cannot read '%s': %s",
                                   Path.str().c_str(),
                                   Buffer.getError().message().c_str());
  if (nestsTooDeep((*Buffer)->getBuffer()))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'%s' nests too deep to be a summary file",
                                   Path.str().c_str());
  llvm::Expected<llvm::json::Value> Parsed =
      llvm::json::parse((*Buffer)->getBuffer());
  if (!Parsed)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'%s' is not JSON: %s", Path.str().c_str(),
                                   llvm::toString(Parsed.takeError()).c_str());
  const llvm::json::Object *Root = Parsed->getAsObject();
  const llvm::json::Array *Roles = Root ? Root->getArray("roles") : nullptr;
  if (!Root || Root->getInteger("version") != 1 || !Roles)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "'%s' is not a peer-tidy summary file (version 1)", Path.str().c_str());
  std::vector<SummaryEntry> Entries;
  for (const llvm::json::Value &Item : *Roles) {
    const llvm::json::Object *Object = Item.getAsObject();
    std::optional<llvm::StringRef> RoleText =
        Object ? Object->getString("role") : std::nullopt;
    std::optional<llvm::StringRef> EntryText =
        Object ? Object->getString("entry") : std::nullopt;
    std::optional<Role> Kind =
        RoleText ? roleFromName(*RoleText) : std::nullopt;
    if (!Kind || !EntryText)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "'%s': a role needs a known \"role\" and "
                                     "an \"entry\"",
                                     Path.str().c_str());
    Entries.push_back({*Kind, EntryText->str()});
  }
  return Entries;
}

static thread_local SummaryExchange *CurrentExchange = nullptr;

SummaryExchange *currentSummaryExchange() { return CurrentExchange; }

ScopedSummaryExchange::ScopedSummaryExchange(SummaryExchange &Exchange)
    : Previous(CurrentExchange) {
  CurrentExchange = &Exchange;
}

ScopedSummaryExchange::~ScopedSummaryExchange() { CurrentExchange = Previous; }

} // namespace peer
