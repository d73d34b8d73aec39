//===- PeerCheck.cpp - what every peer-* check shares ----------------------===//

#include "PeerCheck.h"
#include "analysis/Summaries.h"
#include "analysis/UnitTraversal.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/YAMLParser.h"
#include <algorithm>
#include <map>
#include <mutex>
#include <set>

using namespace clang;
using namespace clang::ast_matchers;

namespace peer {

namespace {

/// The analysis of the current translation unit, shared by the three checks
/// when they share a configuration (the usual case), so each function is
/// analysed once however many peer-* checks are on. One per thread: a
/// parallel driver runs one translation unit per thread.
struct SharedAnalyses {
  const ASTContext *Context = nullptr;
  std::map<std::string, std::unique_ptr<PeerAnalysis>> ByRoles;
  /// Functions already reported as skipped (by whichever check came first).
  std::set<const FunctionDecl *> SkipsReported;

  PeerAnalysis &get(const RoleModel &Roles, unsigned MaxBlockVisits,
                    ASTContext &Ctx) {
    if (Context != &Ctx) {
      ByRoles.clear();
      SkipsReported.clear();
      Context = &Ctx;
    }
    std::unique_ptr<PeerAnalysis> &Slot =
        ByRoles[Roles.fingerprint() + "\n" + std::to_string(MaxBlockVisits)];
    if (!Slot)
      Slot = std::make_unique<PeerAnalysis>(Roles, Ctx, MaxBlockVisits);
    return *Slot;
  }
};
thread_local SharedAnalyses Shared;

/// Which files' findings can be reported: the main file, and headers that
/// pass the header filter; never system headers unless asked. Declarations
/// elsewhere are not even traversed (the analysis of a wrapper defined there
/// is still computed on demand from its call sites).
class ReportableFiles {
public:
  ReportableFiles(const SourceManager &SM,
                  const clang::tidy::ClangTidyOptions &Options)
      : SM(SM), SystemHeaders(Options.SystemHeaders.value_or(false)) {
    if (Options.HeaderFilterRegex && !Options.HeaderFilterRegex->empty())
      HeaderFilter.emplace(*Options.HeaderFilterRegex);
    if (Options.ExcludeHeaderFilterRegex &&
        !Options.ExcludeHeaderFilterRegex->empty())
      ExcludeFilter.emplace(*Options.ExcludeHeaderFilterRegex);
  }

  bool contains(SourceLocation Loc) {
    if (Loc.isInvalid())
      return false;
    Loc = SM.getExpansionLoc(Loc);
    FileID File = SM.getFileID(Loc);
    auto [It, Inserted] = Cache.try_emplace(File, false);
    if (Inserted)
      It->second = decide(File, Loc);
    return It->second;
  }

private:
  bool decide(FileID File, SourceLocation Loc) {
    if (File == SM.getMainFileID())
      return true;
    if (SM.isInSystemHeader(Loc) && !SystemHeaders)
      return false;
    OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
    if (!Entry)
      return false;
    StringRef Name = Entry->getName();
    if (!HeaderFilter || !HeaderFilter->match(Name))
      return false;
    return !(ExcludeFilter && ExcludeFilter->match(Name));
  }

  const SourceManager &SM;
  bool SystemHeaders;
  std::optional<llvm::Regex> HeaderFilter, ExcludeFilter;
  llvm::DenseMap<FileID, bool> Cache;
};

/// Collects the functions (and lambdas) to analyse, pruning whole
/// declarations that live in files whose findings cannot be reported.
class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
public:
  FunctionCollector(ReportableFiles &Files, const RoleModel &Roles)
      : Files(Files), Roles(Roles) {}

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (!D->isImplicit() && !Files.contains(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody())
      return true;
    Functions.push_back(FD);
    // Roles that depend on the instantiation: analyse the instantiations of
    // a template whose pattern calls something unresolved by a role's name.
    if (FunctionTemplateDecl *FTD = FD->getDescribedFunctionTemplate())
      if (callsDependentRoleName(FD->getBody()))
        for (FunctionDecl *Spec : FTD->specializations())
          if (Spec->doesThisDeclarationHaveABody() || Spec->getBody())
            Functions.push_back(Spec);
    return true;
  }

  bool VisitLambdaExpr(LambdaExpr *LE) {
    if (CXXMethodDecl *Op = LE->getCallOperator())
      Functions.push_back(Op);
    return true;
  }

  std::vector<const FunctionDecl *> Functions;

private:
  bool callsDependentRoleName(const Stmt *S) {
    if (!S)
      return false;
    if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(S))
      if (ULE->getName().isIdentifier() &&
          Roles.mayNameFunction(
              ULE->getName().getAsIdentifierInfo()->getName()))
        return true;
    if (const auto *DSM = dyn_cast<CXXDependentScopeMemberExpr>(S))
      if (DSM->getMember().isIdentifier() &&
          Roles.mayNameFunction(
              DSM->getMember().getAsIdentifierInfo()->getName()))
        return true;
    if (const auto *UME = dyn_cast<UnresolvedMemberExpr>(S))
      if (UME->getMemberName().isIdentifier() &&
          Roles.mayNameFunction(
              UME->getMemberName().getAsIdentifierInfo()->getName()))
        return true;
    for (const Stmt *Child : S->children())
      if (callsDependentRoleName(Child))
        return true;
    return false;
  }

  ReportableFiles &Files;
  const RoleModel &Roles;
};

const char *const LookupOption = "PeerLookupFunctions";
const char *const CallerOption = "PeerCallerFunctions";
const char *const ScanOption = "PeerScanFunctions";
const char *const ConversionOption = "PeerConversionFunctions";
const char *const CallOption = "PeerCallFunctions";
const char *const UnpinnedCallOption = "PeerUnpinnedCallFunctions";
const char *const MonitorOption = "PeerMonitorFunctions";
const char *const EdgeMonitorOption = "PeerEdgeMonitorFunctions";
const char *const MonitoredCallOption = "PeerMonitoredCallFunctions";
const char *const ProxyOption = "PeerProxyClasses";
const char *const ProfilesOption = "PeerProfiles";
const char *const SummaryFileOption = SummaryFileOptionName.data();
const char *const MaxBlockVisitsOption = "PeerMaxBlockVisits";
const char *const ReportSkippedOption = "PeerReportSkippedFunctions";

/// Summary files read so far, by path, size and modification time: every
/// unit of a run (and each of the four checks) reads the same file, and a
/// long-lived process (an editor's) sees it when it is written anew.
llvm::Expected<std::vector<SummaryEntry>> cachedSummaryFile(StringRef Path) {
  static std::mutex Mutex;
  static std::map<std::string, std::vector<SummaryEntry>> Read;
  llvm::sys::fs::file_status Status;
  std::string Key = Path.str();
  if (!llvm::sys::fs::status(Path, Status))
    Key = (Path + "\n" + llvm::Twine(Status.getSize()) + "\n" +
           llvm::Twine(static_cast<uint64_t>(
               Status.getLastModificationTime().time_since_epoch().count())))
              .str();
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Read.find(Key);
  if (It != Read.end())
    return It->second;
  llvm::Expected<std::vector<SummaryEntry>> Entries = readSummaryFile(Path);
  if (Entries)
    Read[Key] = *Entries;
  return Entries;
}

} // namespace

PeerCheck::PeerCheck(StringRef Name, clang::tidy::ClangTidyContext *Context,
                     FindingKind Kind)
    : ClangTidyCheck(Name, Context), TidyContext(Context), Kind(Kind),
      Lookups(Options.getLocalOrGlobal(LookupOption, "")),
      Callers(Options.getLocalOrGlobal(CallerOption, "")),
      Scans(Options.getLocalOrGlobal(ScanOption, "")),
      Conversions(Options.getLocalOrGlobal(ConversionOption, "")),
      Calls(Options.getLocalOrGlobal(CallOption, "")),
      UnpinnedCalls(Options.getLocalOrGlobal(UnpinnedCallOption, "")),
      Monitors(Options.getLocalOrGlobal(MonitorOption, "")),
      EdgeMonitors(Options.getLocalOrGlobal(EdgeMonitorOption, "")),
      MonitoredCalls(Options.getLocalOrGlobal(MonitoredCallOption, "")),
      Proxies(Options.getLocalOrGlobal(ProxyOption, "")),
      Profiles(Options.getLocalOrGlobal(ProfilesOption, "")),
      SummaryFile(Options.getLocalOrGlobal(SummaryFileOption, "")),
      MaxBlockVisits(Options.getLocalOrGlobal(MaxBlockVisitsOption, 0u)),
      ReportSkipped(false) {
  std::vector<RoleEntry> Entries;
  auto Parse = [&](const std::string &Text, Role R, const char *Option) {
    std::string Error;
    if (!parseRoleList(Text, R, Option, Entries, Error))
      configurationDiag("invalid value for %0: %1", DiagnosticIDs::Error)
          << Option << Error;
  };
  Parse(Lookups, Role::Lookup, LookupOption);
  Parse(Callers, Role::Caller, CallerOption);
  Parse(Scans, Role::Scan, ScanOption);
  Parse(Conversions, Role::Convert, ConversionOption);
  Parse(Calls, Role::Call, CallOption);
  Parse(UnpinnedCalls, Role::UnpinnedCall, UnpinnedCallOption);
  Parse(Monitors, Role::Monitor, MonitorOption);
  Parse(EdgeMonitors, Role::EdgeMonitor, EdgeMonitorOption);
  Parse(MonitoredCalls, Role::MonitoredCall, MonitoredCallOption);
  Parse(Proxies, Role::Proxy, ProxyOption);

  // Parsed as clang-tidy parses booleans (llvm::yaml::parseBool), but here:
  // OptionsView's bool overload is not exported by every host of the
  // --load module.
  std::string Report =
      Options.getLocalOrGlobal(ReportSkippedOption, "false").str();
  if (std::optional<bool> Parsed = llvm::yaml::parseBool(Report))
    ReportSkipped = *Parsed;
  else
    configurationDiag("invalid value for %0: '%1' is not a boolean",
                      DiagnosticIDs::Error)
        << ReportSkippedOption << Report;

  llvm::SmallVector<StringRef> Wanted;
  std::string ProfileList = Profiles;
  std::replace(ProfileList.begin(), ProfileList.end(), ';', ',');
  StringRef(ProfileList).split(Wanted, ',');
  for (StringRef Name : Wanted) {
    Name = Name.trim();
    if (Name.empty())
      continue;
    const Profile *Found = nullptr;
    for (const Profile &P : builtinProfiles())
      if (P.Name == Name)
        Found = &P;
    if (!Found) {
      std::string Known;
      for (const Profile &P : builtinProfiles())
        Known += (Known.empty() ? "'" : ", '") + P.Name.str() + "'";
      configurationDiag("unknown profile '%0' in %1 (known: %2)",
                        DiagnosticIDs::Error)
          << Name << ProfilesOption << Known;
      continue;
    }
    std::vector<RoleEntry> FromProfile = entriesOf(*Found);
    Entries.insert(Entries.end(), FromProfile.begin(), FromProfile.end());
  }
  importSummaries(Entries);
  Roles = RoleModel(std::move(Entries));
}

void PeerCheck::importSummaries(std::vector<RoleEntry> &Entries) {
  // A file named by the option (written by --export-summaries), then what
  // peer-tidy's own rounds give this unit.
  std::vector<SummaryEntry> Imported;
  if (!SummaryFile.empty()) {
    llvm::Expected<std::vector<SummaryEntry>> Read =
        cachedSummaryFile(SummaryFile);
    if (!Read) {
      configurationDiag("invalid value for %0: %1", DiagnosticIDs::Error)
          << SummaryFileOption << llvm::toString(Read.takeError());
      return;
    }
    Imported = std::move(*Read);
  }
  if (SummaryExchange *Exchange = currentSummaryExchange())
    Imported.insert(Imported.end(), Exchange->Imported.begin(),
                    Exchange->Imported.end());
  // Last: an annotation, an option or a profile naming the function wins.
  for (const SummaryEntry &E : Imported) {
    std::string Error;
    if (!parseRoleList(E.Entry, E.Kind, SummaryFileOption, Entries, Error))
      configurationDiag("invalid value for %0: %1", DiagnosticIDs::Error)
          << SummaryFileOption << Error;
  }
}

void PeerCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, LookupOption, Lookups);
  Options.store(Opts, CallerOption, Callers);
  Options.store(Opts, ScanOption, Scans);
  Options.store(Opts, ConversionOption, Conversions);
  Options.store(Opts, CallOption, Calls);
  Options.store(Opts, UnpinnedCallOption, UnpinnedCalls);
  Options.store(Opts, MonitorOption, Monitors);
  Options.store(Opts, EdgeMonitorOption, EdgeMonitors);
  Options.store(Opts, MonitoredCallOption, MonitoredCalls);
  Options.store(Opts, ProxyOption, Proxies);
  Options.store(Opts, ProfilesOption, Profiles);
  Options.store(Opts, SummaryFileOption, SummaryFile);
  Options.store(Opts, MaxBlockVisitsOption, MaxBlockVisits);
  Options.store(Opts, ReportSkippedOption, ReportSkipped ? "true" : "false");
}

void PeerCheck::registerMatchers(MatchFinder *Finder) {
  // One match per translation unit: the traversal below is ours, so that
  // it can skip what cannot be reported.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void PeerCheck::onStartOfTranslationUnit() { Shared = SharedAnalyses(); }

void PeerCheck::check(const MatchFinder::MatchResult &Result) {
  const auto *TU = Result.Nodes.getNodeAs<TranslationUnitDecl>("tu");
  if (!TU)
    return;
  ASTContext &Ctx = *Result.Context;
  ReportableFiles Files(Ctx.getSourceManager(), TidyContext->getOptions());
  FunctionCollector Collector(Files, Roles);
  traverseWholeUnit(Collector, TU);

  PeerAnalysis &Analysis = Shared.get(Roles, MaxBlockVisits, Ctx);
  const SourceManager &SM = Ctx.getSourceManager();
  // A callback's body is analysed in its function's context and on its own
  // (the enclosing function comes first): one diagnostic per place.
  std::set<const Expr *> Reported;
  Analysis.analyzeUnit(Collector.Functions);
  for (const FunctionDecl *FD : Collector.Functions)
    for (const Finding &F : Analysis.analyze(FD)) {
      if (F.Kind != Kind || !Reported.insert(F.At).second)
        continue;
      // Never from a macro the user did not write.
      if (SM.isInSystemMacro(F.At->getBeginLoc()))
        continue;
      diagnose(F, Ctx);
    }
  if (ReportSkipped)
    for (const FunctionDecl *FD : Collector.Functions)
      if (const SkippedFunction *Skip = Analysis.skipped(FD);
          Skip && Shared.SkipsReported.insert(FD).second) {
        if (Skip->Why == SkippedFunction::Reason::ContainsErrors)
          diag(FD->getLocation(),
               "%0 was not analysed: a compile error in it may hide a peer "
               "operation; no peer-* finding is reported in it",
               DiagnosticIDs::Remark)
              << FD;
        else
          diag(FD->getLocation(),
               "%0 was not analysed: it needs more than %1 block visits "
               "(%2 CFG blocks); no peer-* finding is reported in it; raise "
               "%3 to analyse it",
               DiagnosticIDs::Remark)
              << FD << Skip->Budget << Skip->Blocks << MaxBlockVisitsOption;
      }
  // The unit's own summary, for the other units (once, by the first check).
  if (SummaryExchange *Exchange = currentSummaryExchange();
      Exchange && Exchange->Out && !Exchange->Produced) {
    *Exchange->Out = summarizeUnit(TU, Analysis);
    Exchange->Produced = true;
  }
  for (const RoleProblem &Problem : Analysis.roles().takeProblems())
    configurationDiag("invalid value for %0: %1", DiagnosticIDs::Error)
        << Problem.Option << Problem.Message;
}

} // namespace peer
