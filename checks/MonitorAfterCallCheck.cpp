//===- MonitorAfterCallCheck.cpp - peer-monitor-after-call ----------------===//
//
// The diagnostic, and its fix-it: move the monitor's statement, unchanged, to
// just before the statement of the first unmonitored call, when that is safe
// (same compound statement, the statement is the monitor alone, nothing it
// reads is declared or written in between).
//
//===----------------------------------------------------------------------===//

#include "MonitorAfterCallCheck.h"
#include "analysis/Expressions.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace peer {

/// The fix-it moves a monitor over at most this many statements.
constexpr size_t MaxStatementsJumped = 64;

/// Where the monitor's statement can move: before \c Target, both children
/// of one compound statement. Beside MovePlanner, which the check holds, so
/// both have the same (external, peer::) linkage.
struct Move {
  const Stmt *Monitor;
  const Stmt *Target;
};

class MovePlanner {
public:
  explicit MovePlanner(const Stmt *Body)
      : Body(Body), Parents(const_cast<Stmt *>(Body)) {}

  std::optional<Move> plan(const Finding &F) {
    auto [MonitorStmt, Block] = enclosingStatement(F.At);
    if (!MonitorStmt || !isMonitorAlone(MonitorStmt, F.At))
      return std::nullopt;
    const Stmt *Target = nullptr;
    for (const Expr *Call : F.Earlier) {
      auto [CallStmt, CallBlock] = enclosingStatement(Call);
      if (CallBlock == Block && CallStmt) {
        Target = CallStmt;
        break; // Earlier is sorted: the first one in this block
      }
    }
    if (!Target || Target == MonitorStmt ||
        !nothingReadChangesBetween(Block, Target, MonitorStmt))
      return std::nullopt;
    return Move{MonitorStmt, Target};
  }

  const Stmt *body() const { return Body; }

private:
private:
  /// The child of a CompoundStmt that contains \p S, and that CompoundStmt.
  std::pair<const Stmt *, const CompoundStmt *>
  enclosingStatement(const Stmt *S) {
    const Stmt *Child = S;
    while (const Stmt *Parent = Parents.getParent(Child)) {
      if (const auto *CS = dyn_cast<CompoundStmt>(Parent))
        return {Child, CS};
      Child = Parent;
    }
    return {nullptr, nullptr};
  }

  /// The statement is the monitor expression (plus a discarded result).
  static bool isMonitorAlone(const Stmt *S, const Expr *Monitor) {
    const Stmt *Inner = S;
    if (const auto *E = dyn_cast<Expr>(Inner))
      Inner = ignoreWrappers(E);
    if (const auto *Cast = dyn_cast<CStyleCastExpr>(Inner))
      Inner = ignoreWrappers(Cast->getSubExpr());
    if (const auto *Await = dyn_cast<CoawaitExpr>(Inner))
      Inner = ignoreWrappers(Await->getOperand());
    return Inner == Monitor;
  }

  /// Every local variable the monitor reads is neither declared nor written
  /// (in the analysis's sense: assigned, incremented, a member or element
  /// assigned) by the statements from \p Target up to \p MonitorStmt.
  static bool nothingReadChangesBetween(const CompoundStmt *Block,
                                        const Stmt *Target,
                                        const Stmt *MonitorStmt) {
    llvm::SmallVector<const Stmt *, 8> Between;
    bool In = false;
    for (const Stmt *Child : Block->body()) {
      if (Child == Target)
        In = true;
      if (Child == MonitorStmt)
        break;
      if (In)
        Between.push_back(Child);
    }
    // A far jump is no fix a reviewer can check at a glance (and scanning
    // it for every finding of a long function would cost quadratic time).
    if (!In || Between.size() > MaxStatementsJumped)
      return false;
    llvm::SmallVector<const VarDecl *, 4> Reads;
    forEachDescendant(MonitorStmt, [&](const Stmt *S) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          if (VD->hasLocalStorage())
            Reads.push_back(VD);
    });
    bool Safe = true;
    for (const Stmt *Statement : Between)
      forEachDescendant(Statement, [&](const Stmt *S) {
        if (const auto *DS = dyn_cast<DeclStmt>(S))
          for (const Decl *D : DS->decls())
            if (llvm::is_contained(Reads, D))
              Safe = false;
        if (const VarDecl *VD = writeTarget(S))
          if (llvm::is_contained(Reads, VD))
            Safe = false;
      });
    return Safe;
  }

  template <typename Fn> static void forEachDescendant(const Stmt *S, Fn F) {
    llvm::SmallVector<const Stmt *, 16> Work{S};
    while (!Work.empty()) {
      const Stmt *Next = Work.pop_back_val();
      if (!Next)
        continue;
      F(Next);
      Work.append(Next->child_begin(), Next->child_end());
    }
  }

  const Stmt *Body;
  ParentMap Parents;
};

namespace {

/// The whole lines a statement occupies, if nothing else shares them:
/// [start of its first line, just past the newline of its last line).
std::optional<CharSourceRange> wholeLines(const Stmt *S,
                                          const SourceManager &SM,
                                          const LangOptions &LangOpts) {
  SourceLocation Begin = S->getBeginLoc();
  SourceLocation End = S->getEndLoc();
  if (Begin.isMacroID() || End.isMacroID())
    return std::nullopt;
  // Include the statement's semicolon, if it has one of its own.
  std::optional<Token> Next = Lexer::findNextToken(End, SM, LangOpts);
  if (Next && Next->is(tok::semi))
    End = Next->getLocation();
  auto [BeginFile, BeginOffset] = SM.getDecomposedLoc(Begin);
  auto [EndFile, EndOffset] = SM.getDecomposedLoc(End);
  if (BeginFile != EndFile)
    return std::nullopt;
  StringRef Buffer = SM.getBufferData(BeginFile);
  size_t LineStart = Buffer.rfind('\n', BeginOffset);
  LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
  if (!Buffer.slice(LineStart, BeginOffset).trim().empty())
    return std::nullopt;
  size_t LineEnd = Buffer.find('\n', EndOffset);
  if (LineEnd == StringRef::npos)
    return std::nullopt;
  // Only whitespace or a trailing comment may follow the statement.
  StringRef Rest = Buffer.slice(EndOffset + 1, LineEnd).trim();
  if (!Rest.empty() && !Rest.starts_with("//"))
    return std::nullopt;
  SourceLocation FileStart = SM.getLocForStartOfFile(BeginFile);
  return CharSourceRange::getCharRange(FileStart.getLocWithOffset(LineStart),
                                       FileStart.getLocWithOffset(LineEnd + 1));
}

/// The indentation of the line \p Loc is on, if only whitespace precedes it.
std::optional<std::string> indentationAt(SourceLocation Loc,
                                         const SourceManager &SM) {
  if (Loc.isMacroID())
    return std::nullopt;
  StringRef Indent = Lexer::getIndentationForLine(Loc, SM);
  if (SM.getSpellingColumnNumber(Loc) != Indent.size() + 1)
    return std::nullopt;
  return Indent.str();
}

/// One replacement of the whole stretch from the call's statement to the
/// monitor's end, so that clang-tidy's clean-up of adjacent edits cannot
/// disturb the whitespace.
std::optional<FixItHint> moveFix(const Move &M, const ASTContext &Context) {
  const SourceManager &SM = Context.getSourceManager();
  const LangOptions &LangOpts = Context.getLangOpts();
  std::optional<CharSourceRange> Lines = wholeLines(M.Monitor, SM, LangOpts);
  std::optional<std::string> TargetIndent =
      indentationAt(M.Target->getBeginLoc(), SM);
  std::optional<std::string> OwnIndent =
      indentationAt(M.Monitor->getBeginLoc(), SM);
  if (!Lines || !TargetIndent || !OwnIndent)
    return std::nullopt;
  // [the call's statement, the monitor's line): what the monitor jumps.
  CharSourceRange Jumped =
      CharSourceRange::getCharRange(M.Target->getBeginLoc(), Lines->getBegin());
  // The monitor's statement text, without indentation and newline.
  StringRef Monitor = Lexer::getSourceText(*Lines, SM, LangOpts)
                          .drop_front(OwnIndent->size())
                          .rtrim("\r\n");
  StringRef Middle = Lexer::getSourceText(Jumped, SM, LangOpts);
  if (!Middle.ends_with("\n"))
    return std::nullopt;
  CharSourceRange Stretch = CharSourceRange::getCharRange(
      M.Target->getBeginLoc(), Lines->getEnd().getLocWithOffset(-1));
  std::string Moved =
      Monitor.str() + "\n" + *TargetIndent + Middle.drop_back(1).str();
  return FixItHint::CreateReplacement(Stretch, Moved);
}

/// What the note at each earlier event says.
const char *earlierEventNote(Role R) {
  switch (R) {
  case Role::Lookup:
    return "looked up here, before the watch starts";
  case Role::Scan:
    return "found by a scan here, before the watch starts";
  case Role::Caller:
    return "its request arrived here, before the watch starts";
  default:
    return "called here, before it is monitored";
  }
}

} // namespace

void MonitorAfterCallCheck::diagnose(const Finding &F, ASTContext &Context) {
  bool Edge = F.AtRole == Role::EdgeMonitor;
  {
    auto Diag =
        Edge ? diag(F.At->getBeginLoc(),
                    "'%0' is watched by an edge monitor only after it was "
                    "looked up or called; changes before the watch starts are "
                    "never reported: start watching first, or re-check its "
                    "state after the watch starts")
             : diag(F.At->getBeginLoc(),
                    "'%0' is monitored only after it was called; if it dies "
                    "or is replaced in between, that goes unnoticed: monitor "
                    "it before the first call");
    Diag << F.PeerName << F.At->getSourceRange();
    // One parent map per body, however many findings it has.
    if (F.Body && (!Planner || Planner->body() != F.Body))
      Planner = std::make_shared<MovePlanner>(F.Body);
    if (F.Body)
      if (std::optional<Move> M = Planner->plan(F))
        if (std::optional<FixItHint> Fix = moveFix(*M, Context))
          Diag << *Fix;
  }
  for (size_t I = 0; I < F.Earlier.size(); ++I) {
    // A handler's parameter that holds its caller: the request arrived with
    // the handler's own call.
    if (const auto *Handler =
            dyn_cast_or_null<ParmVarDecl>(namedVar(F.Earlier[I]));
        Handler && F.EarlierRoles[I] == Role::Caller) {
      diag(Handler->getLocation(),
           "its request arrived with this handler's call, the caller in "
           "this parameter, before the watch starts",
           DiagnosticIDs::Note)
          << Handler->getSourceRange();
      continue;
    }
    diag(F.Earlier[I]->getBeginLoc(), earlierEventNote(F.EarlierRoles[I]),
         DiagnosticIDs::Note)
        << F.Earlier[I]->getSourceRange();
  }
}

} // namespace peer
