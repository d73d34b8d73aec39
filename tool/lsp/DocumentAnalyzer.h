//===- DocumentAnalyzer.h - peer-* analysis of open editor buffers -*- C++ -*-//
//
// Keeps the text of the documents the editor has open and analyses them
// (unsaved text through an in-memory overlay, changes debounced, the newest
// edit winning; the wait adapts to the document's analysis times) on --jobs
// threads, each driving one worker process
// (WorkerProcess.h) with a deadline per analysis (--analysis-timeout): a
// document whose include blocks holds one of them until its deadline, never
// the others, and never the server's exit. LSP-ready diagnostics go to a
// sink; code actions are answered from the last results. Between an edit
// and its analysis the last findings follow the edits (RangeShift.h) and go
// to the sink as well, marked as shifted.
//
//===----------------------------------------------------------------------===//
#ifndef PEER_TIDY_LSP_DOCUMENTANALYZER_H
#define PEER_TIDY_LSP_DOCUMENTANALYZER_H

#include "Analysis.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace peer::lsp {

class WorkerProcess;

class DocumentAnalyzer {
public:
  /// Called on an analysis thread with every fresh result (Shifted false),
  /// and on the editor's thread, from change(), with the last result moved
  /// by the edits (Shifted true; not sent when nothing was shown). Called
  /// with the analyzer's lock held: results reach it in order.
  using Sink = std::function<void(const std::string &URI, int64_t Version,
                                  llvm::json::Array Diagnostics, bool Shifted)>;
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
  /// Cancels the analyses in progress and stops the threads promptly; later
  /// edits are ignored.
  void stop();

private:
  struct Document {
    std::string Path;
    int64_t Version = 0;
    std::string Text;
    bool Pending = false;
    bool Running = false;
    std::chrono::steady_clock::time_point Due;
    int64_t AnalyzedVersion = -1;
    std::vector<AnalysisResult::Action> Actions;
    llvm::json::Array Shown; // the last diagnostics sent, moved by the edits
    WorkerProcess *LastWorker = nullptr; // which holds its preamble
    std::vector<double> Recent;          // its last analyses' times, in ms
  };
  /// How long to wait after an edit of Doc before analysing it: a fixed
  /// --debounce-ms, or by default, as clangd's DebouncePolicy, about what
  /// its recent analyses took (their median), at least MinDebounceMs and at
  /// most MaxDebounceMs: waiting for the next keystroke costs no more than
  /// an analysis that it would make stale; MaxDebounceMs before any.
  unsigned debounce(const Document &Doc) const;
  static constexpr unsigned MinDebounceMs = 50, MaxDebounceMs = 200;
  void schedule(Document &Doc, unsigned DelayMs);
  void run(WorkerProcess &Worker);
  /// The next due document for Worker (lock held); nullptr after waiting
  /// instead.
  Document *next(std::unique_lock<std::mutex> &Guard, std::string &URI,
                 WorkerProcess &Worker);
  std::optional<AnalysisResult> analyze(WorkerProcess &Worker,
                                        const AnalysisRequest &Request);
  void finish(const AnalysisRequest &Request, int64_t Version,
              std::optional<AnalysisResult> R, double Ms);

  AnalysisOptions Options;
  Sink Publish;
  std::mutex Lock;
  std::condition_variable Wake;
  bool Stopping = false;
  Encoding Enc = Encoding::UTF16;
  std::map<std::string, Document> Docs; // by URI
  std::vector<std::unique_ptr<WorkerProcess>> Workers;
  std::set<WorkerProcess *> Busy; // analysing now
  std::vector<std::thread> Threads;
};

} // namespace peer::lsp

#endif
