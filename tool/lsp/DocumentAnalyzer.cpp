//===- DocumentAnalyzer.cpp - peer-* analysis of open editor buffers ------===//
#include "DocumentAnalyzer.h"

#include "RangeShift.h"
#include "WorkerProcess.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>

using namespace llvm;

namespace peer::lsp {

DocumentAnalyzer::DocumentAnalyzer(AnalysisOptions Opts, Sink S)
    : Options(std::move(Opts)), Publish(std::move(S)) {
  // Workers run this very binary (/proc/self/exe, even if the file has been
  // replaced since); argv[0] names it for ps.
  std::vector<std::string> Argv{"peer-tidy"};
  SmallString<256> Self;
  if (!sys::fs::real_path("/proc/self/exe", Self))
    Argv[0] = std::string(Self);
  for (std::string &A : workerArguments(Options))
    Argv.push_back(std::move(A));
  for (unsigned I = 0; I < std::max(1u, Options.Jobs); ++I)
    Workers.push_back(std::make_unique<WorkerProcess>(Argv));
  for (auto &W : Workers)
    Threads.emplace_back([this, Worker = W.get()] { run(*Worker); });
}

DocumentAnalyzer::~DocumentAnalyzer() { stop(); }

void DocumentAnalyzer::stop() {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Stopping = true;
  }
  Wake.notify_all();
  for (auto &W : Workers)
    W->cancel(); // a hung analysis must not hold the exit
  for (std::thread &T : Threads)
    if (T.joinable() && T.get_id() != std::this_thread::get_id())
      T.join();
}

void DocumentAnalyzer::setEncoding(Encoding E) {
  std::lock_guard<std::mutex> Guard(Lock);
  Enc = E;
}

Encoding DocumentAnalyzer::encoding() {
  std::lock_guard<std::mutex> Guard(Lock);
  return Enc;
}

void DocumentAnalyzer::schedule(Document &Doc, unsigned DelayMs) {
  Doc.Pending = true;
  Doc.Due =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(DelayMs);
  Wake.notify_all();
}

unsigned DocumentAnalyzer::debounce(const Document &Doc) const {
  if (Options.DebounceMs != AnalysisOptions::AdaptiveDebounce)
    return Options.DebounceMs;
  if (Doc.Recent.empty())
    return MaxDebounceMs;
  std::vector<double> Times = Doc.Recent; // the lower median of at most 3
  auto Middle = Times.begin() + (Times.size() - 1) / 2;
  std::nth_element(Times.begin(), Middle, Times.end());
  double Median = *Middle;
  return unsigned(std::clamp<double>(Median, MinDebounceMs, MaxDebounceMs));
}

void DocumentAnalyzer::open(StringRef URI, int64_t Version, std::string Text) {
  std::optional<std::string> Path = uriToPath(URI);
  if (!Path)
    return; // not a file: nothing to compile
  std::lock_guard<std::mutex> Guard(Lock);
  Document &Doc = Docs[URI.str()];
  Doc.Path = *Path;
  Doc.Version = Version;
  Doc.Text = std::move(Text);
  schedule(Doc, 0);
}

void DocumentAnalyzer::change(StringRef URI, int64_t Version,
                              const json::Array &Changes) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Docs.find(URI.str());
  if (It == Docs.end())
    return;
  Document &Doc = It->second;
  bool Showing = !Doc.Shown.empty();
  for (const json::Value &Change : Changes)
    if (const json::Object *C = Change.getAsObject()) {
      if (Doc.Shown.empty()) {
        applyChange(Doc.Text, *C, Enc);
        continue;
      }
      std::string Before = Doc.Text;
      if (applyChange(Doc.Text, *C, Enc))
        shiftDiagnostics(Doc.Shown, URI, Before, Doc.Text, *C, Enc);
    }
  Doc.Version = Version;
  unsigned Wait = debounce(Doc);
  schedule(Doc, Wait);
  if (Options.Verbose)
    logLine(Options.LogPrefix + ": " + Doc.Path + " version " + Twine(Version) +
            " waits " + Twine(Wait) + " ms");
  // The findings stay in view, where the text they are about went, until
  // this version is analysed.
  if (Showing && !Stopping)
    Publish(URI.str(), Version, Doc.Shown, /*Shifted=*/true);
}

void DocumentAnalyzer::save(StringRef URI, std::optional<std::string> Text) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Docs.find(URI.str());
  if (It == Docs.end())
    return;
  if (Text && *Text != It->second.Text) {
    // As a change of the whole text: what was shown follows it.
    json::Object Whole{{"text", *Text}};
    shiftDiagnostics(It->second.Shown, URI, It->second.Text, *Text, Whole, Enc);
    It->second.Text = std::move(*Text);
  }
  // Headers it includes may have changed on disk too: analyse again now.
  schedule(It->second, 0);
}

void DocumentAnalyzer::close(StringRef URI) {
  std::lock_guard<std::mutex> Guard(Lock);
  Docs.erase(URI.str());
}

json::Array DocumentAnalyzer::codeActions(const json::Object &Params) {
  json::Array Result;
  const json::Object *TD = Params.getObject("textDocument");
  const json::Object *Range = Params.getObject("range");
  if (!TD || !Range || !TD->getString("uri"))
    return Result;
  const json::Object *Start = Range->getObject("start");
  const json::Object *End = Range->getObject("end");
  if (!Start || !End)
    return Result;
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Docs.find(TD->getString("uri")->str());
  // Fixes are byte offsets into the analysed text: only offer them while the
  // buffer still is that text.
  if (It == Docs.end() || It->second.AnalyzedVersion != It->second.Version)
    return Result;
  const Document &Doc = It->second;
  size_t From = positionToOffset(Doc.Text, *Start, Enc);
  size_t To = positionToOffset(Doc.Text, *End, Enc);
  // The client names the diagnostics it asks about (the ones on the cursor's
  // line, say) or just a range: either one selects a fix.
  const json::Array *Asked = nullptr;
  if (const json::Object *Context = Params.getObject("context"))
    Asked = Context->getArray("diagnostics");
  auto Named = [&](const AnalysisResult::Action &A) {
    const json::Array *Ours = A.Lsp.getArray("diagnostics");
    if (!Asked || !Ours || Ours->empty())
      return false;
    const json::Object *Diag = (*Ours)[0].getAsObject();
    for (const json::Value &V : *Asked)
      if (const json::Object *D = V.getAsObject())
        if (D->getString("source") == Diag->getString("source") &&
            D->getString("code") == Diag->getString("code") &&
            D->get("range") && *D->get("range") == *Diag->get("range"))
          return true;
    return false;
  };
  for (const AnalysisResult::Action &A : Doc.Actions)
    if ((A.Begin <= To && From <= A.End) || Named(A))
      Result.push_back(json::Object(A.Lsp));
  return Result;
}

DocumentAnalyzer::Document *
DocumentAnalyzer::next(std::unique_lock<std::mutex> &Guard, std::string &URI,
                       WorkerProcess &Worker) {
  Document *Next = nullptr;
  // A document goes back to the worker that analysed it last (it keeps the
  // document's preamble) unless that one is busy.
  auto Mine = [&](const Document &Doc) {
    return !Doc.LastWorker || Doc.LastWorker == &Worker ||
           Busy.count(Doc.LastWorker);
  };
  for (auto &[U, Doc] : Docs)
    if (Doc.Pending && !Doc.Running && Mine(Doc) &&
        (!Next || Doc.Due < Next->Due)) {
      Next = &Doc;
      URI = U;
    }
  if (!Next)
    Wake.wait(Guard);
  else if (Next->Due > std::chrono::steady_clock::now())
    Wake.wait_until(Guard, Next->Due); // an edit may move it meanwhile
  else
    return Next;
  return nullptr;
}

void DocumentAnalyzer::run(WorkerProcess &Worker) {
  std::unique_lock<std::mutex> Guard(Lock);
  while (!Stopping) {
    AnalysisRequest Request;
    Document *Doc = next(Guard, Request.URI, Worker);
    if (!Doc)
      continue;
    Doc->Pending = false;
    Doc->Running = true;
    Doc->LastWorker = &Worker;
    Busy.insert(&Worker);
    Wake.notify_all(); // the documents it last analysed are free for others
    Request.Path = Doc->Path;
    Request.Text = Doc->Text;
    Request.Enc = Enc;
    int64_t Version = Doc->Version;
    for (auto &[URI, Other] : Docs)
      if (&Other != Doc)
        Request.Unsaved[Other.Path] = Other.Text;
    Guard.unlock();

    auto Started = std::chrono::steady_clock::now();
    std::optional<AnalysisResult> R = analyze(Worker, Request);
    double Ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - Started)
                    .count();

    Guard.lock();
    Busy.erase(&Worker);
    finish(Request, Version, std::move(R), Ms);
  }
}

std::optional<AnalysisResult>
DocumentAnalyzer::analyze(WorkerProcess &Worker, const AnalysisRequest &Req) {
  json::Value Reply = nullptr;
  WorkerProcess::Outcome O =
      Worker.call(toJSON(Req), std::chrono::seconds(Options.TimeoutSec), Reply);
  AnalysisResult R;
  if (O == WorkerProcess::Done && fromJSON(Reply, R))
    return R;
  if (O == WorkerProcess::Cancelled)
    return std::nullopt;
  // One line: what happened, and that the next analysis has a fresh worker.
  std::string Line;
  raw_string_ostream OS(Line);
  OS << Options.LogPrefix << ": analysis of " << Req.Path;
  if (O == WorkerProcess::TimedOut)
    OS << " timed out after " << Options.TimeoutSec << " s (cancelled)";
  else if (O == WorkerProcess::NotStarted)
    OS << " could not start a worker process";
  else if (O == WorkerProcess::OutOfMemory && Options.MemoryMB)
    OS << " exceeded its memory cap of " << Options.MemoryMB << " MB (stopped)";
  else if (O == WorkerProcess::OutOfMemory)
    OS << " ran out of memory (stopped)";
  else if (int Signal = Worker.crashSignal())
    OS << " crashed (signal " << Signal << ", " << strsignal(Signal) << ")";
  else
    OS << " crashed";
  OS << "; no peer-* diagnostics for it";
  if (O != WorkerProcess::NotStarted)
    OS << " (a new worker takes the next analysis)";
  logLine(Line);
  return std::nullopt;
}

void DocumentAnalyzer::finish(const AnalysisRequest &Req, int64_t Version,
                              std::optional<AnalysisResult> R, double Ms) {
  auto It = Docs.find(Req.URI);
  if (It != Docs.end())
    It->second.Running = false;
  Wake.notify_all(); // an edit during the analysis may be due now
  // The newest edit wins: results for an older text are dropped.
  bool Stale = It == Docs.end() || It->second.Version != Version;
  if (Options.Verbose)
    logLine(Options.LogPrefix + ": analysed " + Req.Path + " version " +
            Twine(Version) + " in " + formatv("{0:F0}", Ms) + " ms" +
            (R && !R->Preamble.empty() ? " (preamble " + R->Preamble + ")"
                                       : std::string()) +
            (Stale ? " (stale, dropped)" : ""));
  if (Stale || !R || Stopping)
    return;
  // The times of fresh results over a reused preamble (what an edit below
  // the includes costs; a built one costs a whole parse, and more).
  std::vector<double> &Recent = It->second.Recent;
  if (StringRef(R->Preamble).starts_with("reused"))
    Recent.push_back(Ms);
  if (Recent.size() > 3)
    Recent.erase(Recent.begin());
  It->second.AnalyzedVersion = Version;
  It->second.Actions = std::move(R->Actions);
  It->second.Shown = R->Diagnostics;
  // Published under the lock so that no older result can overtake it.
  Publish(Req.URI, Version, std::move(R->Diagnostics), /*Shifted=*/false);
}

} // namespace peer::lsp
