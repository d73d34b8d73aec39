//===- Diagnostics.cpp - the words and fix-its of the peer-* checks -------===//
//
// Each check is its diagnose(): the analysis has found the events; here they
// are worded, and the monitor-after-call fix-it is built.
//
//===----------------------------------------------------------------------===//

#include "MonitorAfterCallCheck.h"
#include "RepeatedLookupCheck.h"
#include "UncheckedLookupCheck.h"

#include "clang/AST/ASTContext.h"
#include "clang/Lex/Lexer.h"
#include <algorithm>

using namespace clang;

namespace peer {

namespace {

/// "edge monitor" for Role::EdgeMonitor, and so on.
std::string operationWord(Role R) {
  std::string Word = roleName(R).str();
  std::replace(Word.begin(), Word.end(), '_', ' ');
  return Word;
}

/// The whole lines a statement occupies, if nothing else shares them:
/// [start of its first line, just past the newline of its last line).
std::optional<CharSourceRange> wholeLines(const Stmt *S, const SourceManager &SM,
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
  auto [File, Offset] = SM.getDecomposedLoc(Loc);
  StringRef Buffer = SM.getBufferData(File);
  size_t LineStart = Buffer.rfind('\n', Offset);
  LineStart = LineStart == StringRef::npos ? 0 : LineStart + 1;
  StringRef Indent = Buffer.slice(LineStart, Offset);
  if (!Indent.trim().empty())
    return std::nullopt;
  return Indent.str();
}

} // namespace

void MonitorAfterCallCheck::diagnose(const Finding &F, ASTContext &Context) {
  bool Edge = F.AtRole == Role::EdgeMonitor;
  {
    auto Diag =
        Edge ? diag(F.At->getBeginLoc(),
                    "'%0' is watched by an edge monitor only after it was "
                    "looked up or called; changes before the watch starts are "
                    "never reported: start watching first")
             : diag(F.At->getBeginLoc(),
                    "'%0' is monitored only after it was called; if it dies "
                    "or is replaced in between, that goes unnoticed: monitor "
                    "it before the first call");
    Diag << F.PeerName << F.At->getSourceRange();

    // The fix: move the monitor's statement, unchanged, to just before the
    // statement of the first unmonitored call. It is one replacement of the
    // whole stretch from that call to the monitor's end, so that clang-tidy's
    // clean-up of adjacent edits cannot disturb the whitespace.
    const SourceManager &SM = Context.getSourceManager();
    if (F.AtStatement && F.InsertBefore) {
      std::optional<CharSourceRange> Lines =
          wholeLines(F.AtStatement, SM, Context.getLangOpts());
      std::optional<std::string> TargetIndent =
          indentationAt(F.InsertBefore->getBeginLoc(), SM);
      std::optional<std::string> OwnIndent =
          indentationAt(F.AtStatement->getBeginLoc(), SM);
      if (Lines && TargetIndent && OwnIndent) {
        const LangOptions &LangOpts = Context.getLangOpts();
        // [the call's statement, the monitor's line): what the monitor jumps.
        CharSourceRange Jumped = CharSourceRange::getCharRange(
            F.InsertBefore->getBeginLoc(), Lines->getBegin());
        // The monitor's statement text, without indentation and newline.
        StringRef Monitor =
            Lexer::getSourceText(*Lines, SM, LangOpts)
                .drop_front(OwnIndent->size())
                .rtrim("\r\n");
        StringRef Middle = Lexer::getSourceText(Jumped, SM, LangOpts);
        if (Middle.ends_with("\n")) {
          CharSourceRange Stretch = CharSourceRange::getCharRange(
              F.InsertBefore->getBeginLoc(),
              Lines->getEnd().getLocWithOffset(-1));
          std::string Moved = Monitor.str() + "\n" + *TargetIndent +
                              Middle.drop_back(1).str();
          Diag << FixItHint::CreateReplacement(Stretch, Moved);
        }
      }
    }
  }
  for (size_t I = 0; I < F.Earlier.size(); ++I)
    diag(F.Earlier[I]->getBeginLoc(),
         F.EarlierRoles[I] == Role::Lookup
             ? "looked up here, before the watch starts"
             : "called here, before it is monitored",
         DiagnosticIDs::Note)
        << F.Earlier[I]->getSourceRange();
}

void RepeatedLookupCheck::diagnose(const Finding &F, ASTContext &) {
  diag(F.At->getBeginLoc(),
       "'%0' is looked up again after an earlier lookup of it already fed an "
       "operation; the two may find different incarnations: look it up once "
       "and reuse the handle")
      << F.PeerName << F.At->getSourceRange();
  for (const Expr *Earlier : F.Earlier)
    diag(Earlier->getBeginLoc(), "earlier lookup of '%0' here",
         DiagnosticIDs::Note)
        << F.PeerName << Earlier->getSourceRange();
}

void UncheckedLookupCheck::diagnose(const Finding &F, ASTContext &) {
  diag(F.At->getBeginLoc(),
       "'%0' comes from a lookup that may find nothing, and is not checked "
       "for that on every path to this %1")
      << F.PeerName << operationWord(F.AtRole) << F.At->getSourceRange();
  for (const Expr *Earlier : F.Earlier)
    diag(Earlier->getBeginLoc(), "looked up here", DiagnosticIDs::Note)
        << Earlier->getSourceRange();
}

} // namespace peer
