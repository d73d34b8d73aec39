//===- Analysis.h - one peer-* analysis of an editor buffer ----*- C++ -*-===//
//
// The analysis itself: one document's text (with every other open buffer as
// an in-memory overlay) through clang-tidy's engine with the peer-* checks,
// turned into LSP diagnostics and quick fixes. It runs in a worker process
// (WorkerProcess.h, `peer-tidy lsp --analysis-worker`) so that a hung include
// or a crash costs that analysis and nothing else; requests and results
// cross the pipe as JSON.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_ANALYSIS_H
#define PEER_TIDY_LSP_ANALYSIS_H

#include "Protocol.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
}

namespace peer::lsp {

class PreambleCache;

struct AnalysisOptions {
  std::string CompileCommandsDir; // empty: search up from each file
  std::string Checks;             // added on top of the configuration
  std::string DocBaseURL;         // where docs/checks/<check>.md live
  /// --debounce-ms: a fixed wait after an edit; by default the wait adapts
  /// (DocumentAnalyzer::debounce).
  static constexpr unsigned AdaptiveDebounce = ~0u;
  unsigned DebounceMs = AdaptiveDebounce;
  unsigned TimeoutSec = 60; // per analysis; 0: none
  unsigned MemoryMB = 4096; // a worker's heap (RLIMIT_DATA); 0: none
  bool Preamble = true;     // reuse a precompiled preamble (Preamble.h)
  unsigned Jobs = 2;        // analyses at once (worker processes)
  bool Verbose = false;
  std::string LogPrefix = "peer-tidy";
};

/// What one analysis needs: the document and every open buffer by path.
struct AnalysisRequest {
  std::string URI, Path, Text;
  std::map<std::string, std::string> Unsaved;
  Encoding Enc = Encoding::UTF16;
};

struct AnalysisResult {
  struct Action {
    size_t Begin, End;      // the diagnostic's byte range
    llvm::json::Object Lsp; // the CodeAction
  };
  llvm::json::Array Diagnostics;
  std::vector<Action> Actions;
  std::string Preamble; // "reused", "built" or "none", for --log=verbose
};

llvm::json::Value toJSON(const AnalysisRequest &R);
bool fromJSON(const llvm::json::Value &V, AnalysisRequest &R);
llvm::json::Value toJSON(const AnalysisResult &R);
bool fromJSON(const llvm::json::Value &V, AnalysisResult &R);

/// Runs analyses in this process; keeps the compilation databases it loads.
class Analysis {
public:
  explicit Analysis(AnalysisOptions Options);
  ~Analysis();
  AnalysisResult run(const AnalysisRequest &Request);

private:
  std::shared_ptr<clang::tooling::CompilationDatabase>
  compilationsFor(llvm::StringRef Path);
  std::shared_ptr<clang::tooling::CompilationDatabase>
  load(llvm::StringRef Dir);

  AnalysisOptions Options;
  std::unique_ptr<PreambleCache> Preambles;
  // Compilation databases by directory, with the signature (size and time)
  // of the files they were loaded from.
  std::map<std::string,
           std::pair<std::string,
                     std::shared_ptr<clang::tooling::CompilationDatabase>>>
      DBCache;
};

/// The options a worker process is started with (`peer-tidy lsp
/// --analysis-worker ...`), and the worker's loop over framed requests on
/// In, results on Out, until end of input.
std::vector<std::string> workerArguments(const AnalysisOptions &Options);
int runAnalysisWorker(AnalysisOptions Options, int In, int Out);

} // namespace peer::lsp

#endif
