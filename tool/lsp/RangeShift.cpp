//===- RangeShift.cpp - diagnostics that follow the edits -----------------===//
#include "RangeShift.h"

#include <algorithm>

using namespace llvm;

namespace peer::lsp {
namespace {

/// The change as byte offsets: [From, To) of Before became NewLength bytes.
struct Edit {
  size_t From, To, NewLength;
};

std::optional<Edit> editOf(StringRef Before, StringRef After,
                           const json::Object &Change, Encoding E) {
  if (const json::Object *Range = Change.getObject("range")) {
    const json::Object *Start = Range->getObject("start");
    const json::Object *End = Range->getObject("end");
    std::optional<StringRef> Text = Change.getString("text");
    if (!Start || !End || !Text)
      return std::nullopt;
    // As applyChange() reads them (clamped the same way).
    size_t From = positionToOffset(Before, *Start, E);
    size_t To = positionToOffset(Before, *End, E);
    if (To < From)
      return std::nullopt;
    return Edit{From, To, Text->size()};
  }
  // The whole text: what changed is what lies between the common prefix and
  // the common suffix.
  size_t Prefix = 0, Max = std::min(Before.size(), After.size());
  while (Prefix < Max && Before[Prefix] == After[Prefix])
    ++Prefix;
  size_t Suffix = 0;
  while (Suffix < Max - Prefix &&
         Before[Before.size() - 1 - Suffix] == After[After.size() - 1 - Suffix])
    ++Suffix;
  return Edit{Prefix, Before.size() - Suffix, After.size() - Suffix - Prefix};
}

/// Moves Range (positions in Before) to After; false if the edit touches it.
bool shiftRange(json::Object &Range, const Edit &Ed, StringRef Before,
                StringRef After, Encoding E) {
  const json::Object *Start = Range.getObject("start");
  const json::Object *End = Range.getObject("end");
  if (!Start || !End)
    return false;
  size_t B = positionToOffset(Before, *Start, E);
  size_t En = positionToOffset(Before, *End, E);
  if (Ed.From <= En && B <= Ed.To)
    return false; // overlaps, or an insertion at either end
  if (Ed.From > En)
    return true; // before the edit: where it was
  size_t Grow = Ed.NewLength, Shrink = Ed.To - Ed.From;
  Range["start"] = offsetToPosition(After, B + Grow - Shrink, E);
  Range["end"] = offsetToPosition(After, En + Grow - Shrink, E);
  return true;
}

} // namespace

unsigned shiftDiagnostics(json::Array &Diagnostics, StringRef URI,
                          StringRef Before, StringRef After,
                          const json::Object &Change, Encoding E) {
  std::optional<Edit> Ed = editOf(Before, After, Change, E);
  if (!Ed) { // a change we cannot place: nothing shown can be trusted
    unsigned N = Diagnostics.size();
    Diagnostics.clear();
    return N;
  }
  if (Ed->From == Ed->To && Ed->NewLength == 0)
    return 0; // no change at all
  json::Array Kept;
  Kept.reserve(Diagnostics.size());
  for (json::Value &V : Diagnostics) {
    json::Object *D = V.getAsObject();
    json::Object *Range = D ? D->getObject("range") : nullptr;
    if (!Range || !shiftRange(*Range, *Ed, Before, After, E))
      continue;
    if (json::Array *Related = D->getArray("relatedInformation")) {
      json::Array KeptRelated;
      KeptRelated.reserve(Related->size());
      for (json::Value &R : *Related) {
        json::Object *Loc =
            R.getAsObject() ? R.getAsObject()->getObject("location") : nullptr;
        if (!Loc)
          continue;
        json::Object *LocRange = Loc->getObject("range");
        if (Loc->getString("uri") != URI ||
            (LocRange && shiftRange(*LocRange, *Ed, Before, After, E)))
          KeptRelated.push_back(std::move(R));
      }
      if (KeptRelated.empty())
        D->erase("relatedInformation");
      else
        *Related = std::move(KeptRelated);
    }
    Kept.push_back(std::move(V));
  }
  unsigned Dropped = Diagnostics.size() - Kept.size();
  Diagnostics = std::move(Kept);
  return Dropped;
}

} // namespace peer::lsp
