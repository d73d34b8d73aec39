//===- Sarif.cpp - SARIF 2.1.0 for GitHub code scanning -------------------===//
//
// What code scanning needs: one rule per check with short and full
// descriptions and help (taken from docs/checks/<check>.md, built into the
// binary), results with repository-relative artifact locations under the
// %SRCROOT% base, a region, notes as related locations, fix-its as fixes, and
// partialFingerprints that do not depend on line numbers (see Baseline.cpp),
// so that alerts keep their identity across pushes that move code.
//
//===----------------------------------------------------------------------===//
#include "Report.h"

#include "BuildInfo.h"
#include "Version.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

using namespace clang;
using namespace clang::tidy;
using namespace llvm;

namespace peer::tool {
namespace {

struct CheckDoc {
  const char *Name;
  const char *Markdown;
};
const CheckDoc CheckDocs[] = {
#include "CheckDocs.inc"
    {nullptr, nullptr}, // Keeps the array non-empty without any page.
};

/// Paragraphs of a markdown page, headings skipped.
std::vector<std::string> paragraphs(StringRef Markdown) {
  std::vector<std::string> Result;
  std::string Current;
  SmallVector<StringRef> Lines;
  Markdown.split(Lines, '\n');
  for (StringRef Line : Lines) {
    StringRef Trimmed = Line.trim();
    if (Trimmed.empty() || Trimmed.starts_with("#")) {
      if (!Current.empty())
        Result.push_back(std::move(Current));
      Current.clear();
      if (Trimmed.starts_with("## "))
        Result.push_back(""); // Marks the end of the introduction.
      continue;
    }
    if (!Current.empty())
      Current += ' ';
    Current += Trimmed.str();
  }
  if (!Current.empty())
    Result.push_back(std::move(Current));
  return Result;
}

json::Object describeRule(StringRef Check) {
  std::string HelpUri = std::string(peer::DocsBaseUrl) + Check.str() + ".md";
  json::Object Rule{{"id", Check}, {"name", Check}};
  const CheckDoc *Doc = nullptr;
  for (const CheckDoc &D : CheckDocs)
    if (D.Name && Check == D.Name)
      Doc = &D;
  if (!Doc) {
    Rule["shortDescription"] = json::Object{{"text", Check}};
    return Rule;
  }
  std::vector<std::string> Paragraphs = paragraphs(Doc->Markdown);
  std::string Short = Paragraphs.empty() ? Check.str() : Paragraphs.front();
  // The full description: the introduction, up to the first "## " section.
  std::string Full;
  for (const std::string &P : Paragraphs) {
    if (P.empty())
      break;
    Full += (Full.empty() ? "" : "\n\n") + P;
  }
  Rule["shortDescription"] = json::Object{{"text", Short}};
  Rule["fullDescription"] = json::Object{{"text", Full}};
  Rule["help"] = json::Object{{"text", Full}, {"markdown", Doc->Markdown}};
  Rule["helpUri"] = HelpUri;
  Rule["defaultConfiguration"] = json::Object{{"level", "warning"}};
  Rule["properties"] =
      json::Object{{"tags", json::Array{"concurrency", "correctness"}},
                   {"precision", "high"},
                   {"problem.severity", "warning"}};
  return Rule;
}

class SarifWriter {
public:
  SarifWriter(SourceFiles &Sources, const SarifSettings &Settings)
      : Sources(Sources), Settings(Settings) {}

  json::Object artifact(StringRef CanonicalPath) {
    std::string Relative = relativeTo(Settings.RepositoryRoot, CanonicalPath);
    if (!Relative.empty())
      return json::Object{{"uri", Relative}, {"uriBaseId", "%SRCROOT%"}};
    return json::Object{
        {"uri", "file://" + sys::path::convert_to_slash(CanonicalPath)}};
  }

  json::Object region(StringRef Path, unsigned Offset, unsigned Length) {
    std::optional<Position> Start = Sources.position(Path, Offset);
    if (!Start)
      return json::Object{{"charOffset", Offset}, {"charLength", Length}};
    std::optional<Position> End = Sources.position(Path, Offset + Length);
    if (!End || Length == 0)
      End = Position{Start->Path, Start->Line, Start->Column + 1};
    return json::Object{{"startLine", Start->Line},
                        {"startColumn", Start->Column},
                        {"endLine", End->Line},
                        {"endColumn", End->Column}};
  }

  json::Object physical(const tooling::DiagnosticMessage &M,
                        StringRef BuildDirectory) {
    std::string Path = SourceFiles::canonicalPath(M.FilePath, BuildDirectory);
    return json::Object{{"artifactLocation", artifact(Path)},
                        {"region", region(Path, M.FileOffset,
                                          primaryLength(M, BuildDirectory))}};
  }

  json::Array fixes(const ClangTidyError &E) {
    json::Array Changes;
    for (const auto &Entry : E.Message.Fix) {
      const tooling::Replacements &Replacements = Entry.getValue();
      std::string Path =
          SourceFiles::canonicalPath(Entry.getKey(), E.BuildDirectory);
      json::Array Edits;
      for (const tooling::Replacement &R : Replacements)
        Edits.push_back(json::Object{
            {"deletedRegion", region(Path, R.getOffset(), R.getLength())},
            {"insertedContent",
             json::Object{{"text", R.getReplacementText().str()}}}});
      Changes.push_back(json::Object{{"artifactLocation", artifact(Path)},
                                     {"replacements", std::move(Edits)}});
    }
    if (Changes.empty())
      return {};
    return json::Array{json::Object{
        {"description", json::Object{{"text", "Apply the suggested fix"}}},
        {"artifactChanges", std::move(Changes)}}};
  }

  json::Object result(const ReportedFinding &R, unsigned RuleIndex) {
    const ClangTidyError &E = R.Source->Error;
    Severity Of = severityOf(E);
    StringRef Level = Of == Severity::Error    ? "error"
                      : Of == Severity::Remark ? "note"
                                               : "warning";
    json::Object Result{
        {"ruleId", E.DiagnosticName},
        {"ruleIndex", RuleIndex},
        {"level", Level},
        {"message", json::Object{{"text", E.Message.Message}}},
        {"locations",
         json::Array{json::Object{
             {"physicalLocation", physical(E.Message, E.BuildDirectory)}}}},
        {"partialFingerprints",
         json::Object{{"peerFingerprint/v1", R.Fingerprint}}}};
    if (!R.Source->EnclosingFunction.empty())
      Result["locations"].getAsArray()->front().getAsObject()->insert(
          {"logicalLocations",
           json::Array{
               json::Object{{"fullyQualifiedName", R.Source->EnclosingFunction},
                            {"kind", "function"}}}});
    json::Array Related;
    Related.reserve(E.Notes.size());
    unsigned Id = 0;
    for (const tooling::DiagnosticMessage &Note : E.Notes) {
      if (Note.FilePath.empty())
        continue;
      Related.push_back(
          json::Object{{"id", Id++},
                       {"message", json::Object{{"text", Note.Message}}},
                       {"physicalLocation", physical(Note, E.BuildDirectory)}});
    }
    if (!Related.empty())
      Result["relatedLocations"] = std::move(Related);
    json::Array Fixes = fixes(E);
    if (!Fixes.empty())
      Result["fixes"] = std::move(Fixes);
    return Result;
  }

private:
  SourceFiles &Sources;
  const SarifSettings &Settings;
};

} // namespace

void writeSarif(raw_ostream &OS, const std::vector<ReportedFinding> &Findings,
                SourceFiles &Sources, const SarifSettings &Settings) {
  // Rules: every enabled check, then whatever else produced a result (a
  // compiler error reported as clang-diagnostic-error).
  std::vector<std::string> RuleIds = Settings.EnabledChecks;
  for (const ReportedFinding &R : Findings)
    if (!is_contained(RuleIds, R.Source->Error.DiagnosticName))
      RuleIds.push_back(R.Source->Error.DiagnosticName);
  json::Array Rules;
  Rules.reserve(RuleIds.size());
  for (const std::string &Id : RuleIds)
    Rules.push_back(describeRule(Id));

  // Streamed: each result is built, written and freed in turn. A whole
  // report as one json::Value held every object at once, and each
  // json::Object (a DenseMap) starts at 64 buckets: 2 000 findings took
  // 240 MB. The attributes go in the order json::Value prints them (sorted
  // keys), so the output is the same.
  SarifWriter Writer(Sources, Settings);
  json::OStream J(OS, /*IndentSize=*/2);
  J.object([&] {
    J.attribute("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    J.attributeArray("runs", [&] {
      J.object([&] {
        J.attribute("columnKind", "utf16CodeUnits");
        if (!Settings.RepositoryRoot.empty())
          J.attribute(
              "originalUriBaseIds",
              json::Object{
                  {"%SRCROOT%",
                   json::Object{{"uri", "file://" +
                                            sys::path::convert_to_slash(
                                                Settings.RepositoryRoot) +
                                            "/"}}}});
        J.attributeArray("results", [&] {
          for (const ReportedFinding &R : Findings) {
            unsigned Index =
                find(RuleIds, R.Source->Error.DiagnosticName) - RuleIds.begin();
            J.value(Writer.result(R, Index));
          }
        });
        J.attribute(
            "tool",
            json::Object{
                {"driver", json::Object{{"name", "peer-tidy"},
                                        {"version", peer::Version},
                                        {"semanticVersion", peer::Version},
                                        {"informationUri", peer::DocsBaseUrl},
                                        {"rules", std::move(Rules)}}}});
      });
    });
    J.attribute("version", "2.1.0");
  });
  OS << "\n";
}

} // namespace peer::tool
