//===- RangeShift.h - diagnostics that follow the edits ---------*- C++ -*-===//
//
// Between an edit and its analysis the editor keeps showing the last peer-*
// findings: each TextDocumentContentChangeEvent moves the ranges after it
// and drops the diagnostics whose range it touches, so that warnings neither
// flicker nor point at the wrong text while the user types.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_RANGESHIFT_H
#define PEER_TIDY_LSP_RANGESHIFT_H

#include "Protocol.h"

namespace peer::lsp {

/// Diagnostics published for the text Before, updated for one change that
/// turned Before into After (Change is its TextDocumentContentChangeEvent: a
/// ranged one, or the whole text, then compared with Before). A diagnostic
/// whose range the change overlaps or touches (an insertion at either end)
/// is dropped; one after it moves with the text; one before it stays. Related
/// information in URI follows the same rule (a touched entry is dropped, the
/// diagnostic kept). Returns how many diagnostics were dropped.
unsigned shiftDiagnostics(llvm::json::Array &Diagnostics, llvm::StringRef URI,
                          llvm::StringRef Before, llvm::StringRef After,
                          const llvm::json::Object &Change, Encoding E);

} // namespace peer::lsp

#endif
