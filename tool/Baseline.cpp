//===- Baseline.cpp - fingerprints and accepted findings ------------------===//
//
// fingerprint = SHA-256 over
//   check name, repository-relative file, qualified name of the enclosing
//   function, the flagged line with whitespace collapsed, occurrence index
// (the index among findings that agree on all four, in file order).
// No line or column numbers: inserting or deleting lines elsewhere, or
// re-indenting, leaves every fingerprint unchanged. Editing the flagged line
// itself, renaming the function or moving it to another file changes it, and
// that is wanted: the code the finding was accepted for is no longer there.
// The occurrence index tells apart identical lines in one function.
//
//===----------------------------------------------------------------------===//
#include "Baseline.h"

#include "JsonLimits.h"
#include "Version.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace peer::tool {

std::string normaliseWhitespace(StringRef Text) {
  std::string Result;
  bool PendingSpace = false;
  for (char C : Text) {
    if (isSpace(C)) {
      PendingSpace = !Result.empty();
      continue;
    }
    if (PendingSpace)
      Result += ' ';
    PendingSpace = false;
    Result += C;
  }
  return Result;
}

void assignFingerprints(std::vector<ReportedFinding> &Findings,
                        SourceFiles &Sources) {
  StringMap<unsigned> Occurrences;
  for (ReportedFinding &R : Findings) {
    const auto &E = R.Source->Error;
    // Outside the repository the absolute path is all there is.
    StringRef File = R.RelativePath.empty() ? StringRef(R.Where.Path)
                                            : StringRef(R.RelativePath);
    std::string Identity;
    raw_string_ostream(Identity)
        << E.DiagnosticName << '\0' << File << '\0'
        << R.Source->EnclosingFunction << '\0'
        << normaliseWhitespace(Sources.lineText(R.Where.Path, R.Where.Line));
    unsigned Occurrence = Occurrences[Identity]++;
    SHA256 Hash;
    Hash.update(Identity);
    Hash.update(StringRef("\0", 1));
    Hash.update(std::to_string(Occurrence));
    R.Fingerprint = toHex(Hash.final(), /*LowerCase=*/true).substr(0, 32);
  }
}

Expected<StringSet<>> readBaseline(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path);
  if (!Buffer)
    return createStringError(Buffer.getError(), "cannot read baseline '%s': %s",
                             Path.str().c_str(),
                             Buffer.getError().message().c_str());
  Expected<json::Value> Parsed = parseBoundedJson((*Buffer)->getBuffer());
  if (!Parsed)
    return createStringError(inconvertibleErrorCode(),
                             "invalid baseline '%s': %s", Path.str().c_str(),
                             toString(Parsed.takeError()).c_str());
  StringSet<> Fingerprints;
  const json::Object *Root = Parsed->getAsObject();
  const json::Array *Items = Root ? Root->getArray("findings") : nullptr;
  if (!Items)
    return createStringError(inconvertibleErrorCode(),
                             "invalid baseline '%s': no \"findings\" array",
                             Path.str().c_str());
  for (const json::Value &Item : *Items)
    if (const json::Object *O = Item.getAsObject())
      if (std::optional<StringRef> F = O->getString("fingerprint"))
        Fingerprints.insert(*F);
  return Fingerprints;
}

Error writeBaseline(StringRef Path,
                    const std::vector<ReportedFinding> &Findings) {
  json::Array Items;
  Items.reserve(Findings.size());
  for (const ReportedFinding &R : Findings)
    Items.push_back(json::Object{
        {"fingerprint", R.Fingerprint},
        {"check", R.Source->Error.DiagnosticName},
        {"file", R.RelativePath.empty() ? R.Where.Path : R.RelativePath},
        {"function", R.Source->EnclosingFunction},
        {"message", R.Source->Error.Message.Message}});
  std::error_code EC;
  raw_fd_ostream OS(Path, EC);
  if (EC)
    return createStringError(EC, "cannot write baseline '%s': %s",
                             Path.str().c_str(), EC.message().c_str());
  // Line numbers are left out on purpose: they would make every unrelated
  // edit show up as a change to the baseline file in review.
  OS << formatv("{0:2}",
                json::Value(json::Object{
                    {"version", 1},
                    {"tool", std::string("peer-tidy ") + peer::Version},
                    {"findings", std::move(Items)}}))
     << "\n";
  OS.close();
  return checkWritten(OS, "baseline '" + Path + "'");
}

} // namespace peer::tool
