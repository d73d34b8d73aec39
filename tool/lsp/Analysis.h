//===- Analysis.h - peer-* analysis of open editor buffers -----*- C++ -*-===//
//
// Keeps the text of the documents the editor has open, analyses them with
// clang-tidy's engine on one worker thread (unsaved text through an in-memory
// overlay, changes debounced, the newest edit winning) and hands LSP-ready
// diagnostics to a sink. Code actions are answered from the last results.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_ANALYSIS_H
#define PEER_TIDY_LSP_ANALYSIS_H

#include "Protocol.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
}

namespace peer::lsp {

struct AnalysisOptions {
  std::string CompileCommandsDir; // empty: search up from each file
  std::string Checks;             // added on top of the configuration
  std::string DocBaseURL;         // where docs/checks/<check>.md live
  unsigned DebounceMs = 200;
  bool Verbose = false;
  std::string LogPrefix = "peer-tidy";
};

class DocumentAnalyzer {
public:
  /// Called on the worker thread with every fresh result.
  using Sink = std::function<void(const std::string &URI, int64_t Version,
                                  llvm::json::Array Diagnostics)>;
  DocumentAnalyzer(AnalysisOptions Options, Sink Publish);
  ~DocumentAnalyzer();

  void setEncoding(Encoding E);
  Encoding encoding();

  void open(llvm::StringRef URI, int64_t Version, std::string Text);
  void change(llvm::StringRef URI, int64_t Version,
              const llvm::json::Array &Changes);
  void save(llvm::StringRef URI, std::optional<std::string> Text);
  void close(llvm::StringRef URI);
  /// Quick fixes for a textDocument/codeAction request's params.
  llvm::json::Array codeActions(const llvm::json::Object &Params);
  /// Stops the worker; later edits are ignored.
  void stop();

private:
  struct Action {
    size_t Begin, End;      // the diagnostic's byte range
    llvm::json::Object Lsp; // the CodeAction
  };
  struct Document {
    std::string Path;
    int64_t Version = 0;
    std::string Text;
    bool Pending = false;
    std::chrono::steady_clock::time_point Due;
    int64_t AnalyzedVersion = -1;
    std::vector<Action> Actions;
  };
  struct Result {
    llvm::json::Array Diagnostics;
    std::vector<Action> Actions;
  };
  void schedule(Document &Doc, unsigned DelayMs);
  void run();
  std::optional<Result>
  analyze(const std::string &URI, const std::string &Path,
          const std::string &Text,
          const std::map<std::string, std::string> &Unsaved);
  std::shared_ptr<clang::tooling::CompilationDatabase>
  compilationsFor(llvm::StringRef Path);

  AnalysisOptions Options;
  Sink Publish;
  std::mutex Lock;
  std::condition_variable Wake;
  bool Stopping = false;
  Encoding Enc = Encoding::UTF16;
  std::map<std::string, Document> Docs; // by URI
  // Compilation databases by directory, with the signature (size and time)
  // of the files they were loaded from (worker thread only).
  std::map<std::string,
           std::pair<std::string,
                     std::shared_ptr<clang::tooling::CompilationDatabase>>>
      DBCache;
  std::thread Worker;
};

} // namespace peer::lsp

#endif
