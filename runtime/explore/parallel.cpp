// explore/parallel.cpp - the sleep-set search (and the unreduced one) on
// several threads, with the same result as one thread.
//
// With sleep sets alone, what is explored below a node depends only on the
// path to it: the node's sleep set is inherited along the path, and its
// "done" siblings are the lower-numbered choices there (the search takes a
// node's choices in the order of its enabled list), whose footprints are
// known once each has run one step. So the schedule tree is fixed in
// advance, and any split of it explores the same runs.
//
// Each worker owns a depth-first stack, as explore_exhaustive does, and its
// own runtime and scenario per run (the deterministic runtime is
// single-threaded per instance and has no process-wide state). When a worker
// is idle, a busy one gives away the untried choices of its shallowest node
// that has any (the largest piece of work it holds): the thief gets that
// node - its enabled list, sleep set and done siblings, plus the choice the
// giver is exploring there - and the path to it, which it replays.
//
// The results are merged as if found in depth-first order: a run is keyed by
// the indices of its choices in their nodes' enabled lists, and the
// lexicographic order of those keys is the order one thread explores them
// in. Counts add up; the first counterexample, the shortest per invariant
// (ties: the first) and the first schedule reaching each outcome are the
// minima in that order - what one thread finds.
//
// DPOR adds choices to nodes on the stack while it explores below them,
// from races seen there: the tree is not fixed in advance, and a split of it
// would change which runs are explored (and their count). Source-DPOR runs
// on one worker; optimal DPOR is split another way, with this search on the
// top levels only (explore/parallel_optimal.cpp).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <time.h>

#include "explore/engine.h"

namespace peer::explore {

namespace {

using namespace detail;

using Key = std::vector<std::uint32_t>;  // choice indices along a run

// done also holds the siblings the giver explored before handing it over.
struct Node : SleepNode {
  bool given_away = false;  // the untried choices belong to another worker
};

// A piece of the tree: replay prefix (choice indices), then explore node's
// untried choices and everything below them. No node: the whole tree.
struct Task {
  std::vector<std::uint32_t> prefix;
  std::optional<Node> node;
};

// One worker's share of the result, with the keys of its "first" items.
struct Partial {
  ExploreResult result;
  std::optional<Key> first_key;
  std::map<int, Key> shortest_key;
  std::map<std::string, Key> outcome_key;
  std::map<std::string, Key> trace_key;
};

bool before(const Key& a, const Key& b) { return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end()); }

class Shared {
 public:
  Shared(const ScenarioFactory& make, const ExploreOptions& options, unsigned workers)
      : make(make), options(options), workers(workers) {}

  const ScenarioFactory& make;
  const ExploreOptions& options;
  const unsigned workers;

  std::mutex mu;
  std::condition_variable cv;       // a task was given, or the search ended
  std::condition_variable done_cv;  // the search ended (for the progress loop)
  std::deque<Task> tasks;  // guarded by mu
  unsigned idle = 0;       // guarded by mu
  bool finished = false;   // guarded by mu
  std::atomic<unsigned> hungry{0};  // idle workers, readable without mu
  std::atomic<std::uint64_t> schedules{0}, violations{0};  // for progress

  // The next task, or nullopt once every worker is idle and none is left.
  std::optional<Task> next_task() {
    std::unique_lock lock(mu);
    ++idle;
    hungry.store(idle, std::memory_order_relaxed);
    for (;;) {
      if (!tasks.empty()) {
        Task t = std::move(tasks.front());
        tasks.pop_front();
        --idle;
        hungry.store(idle, std::memory_order_relaxed);
        return t;
      }
      if (finished || idle == workers) {
        finished = true;
        cv.notify_all();
        done_cv.notify_all();
        return std::nullopt;
      }
      cv.wait(lock);
    }
  }

  void give(Task t) {
    {
      std::lock_guard lock(mu);
      tasks.push_back(std::move(t));
    }
    cv.notify_one();  // only workers wait on cv
  }

  bool wants_work() {
    if (hungry.load(std::memory_order_relaxed) == 0) return false;
    std::lock_guard lock(mu);
    return tasks.size() < idle;
  }
};

class Worker {
 public:
  explicit Worker(Shared& shared) : s_(shared), bounds_(shared.options.bounds) {}

  void run() {
    while (auto task = s_.next_task()) explore(std::move(*task));
    timespec cpu{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0)
      cpu_seconds = static_cast<double>(cpu.tv_sec) + cpu.tv_nsec / 1e9;
  }

  Partial partial;
  double cpu_seconds = 0;

 private:
  std::optional<std::size_t> first_allowed(const Node& n) const {
    if (n.given_away) return std::nullopt;
    for (std::size_t i = 0; i < n.enabled.size(); ++i) {
      if (n.allows(n.enabled[i], bounds_)) return i;
    }
    return std::nullopt;
  }

  void explore(Task task) {
    base_ = task.prefix.size();
    prefix_ = std::move(task.prefix);
    stack_.clear();
    if (task.node) {
      auto index = first_allowed(*task.node);
      if (!index) return;
      task.node->chosen = *index;
      stack_.push_back(std::move(*task.node));
    }
    for (;;) {
      child_sleep_.clear();
      key_.clear();
      auto choose = [&](const Decision& d) { return choose_at(d); };
      auto executed = [&](int depth, const Choice& choice, Footprint footprint) {
        record_execution(static_cast<std::size_t>(depth), choice, std::move(footprint));
      };
      RunResult run = execute(s_.make, bounds_, choose, executed, nullptr, false, s_.options.collect_traces);
      key_.assign(prefix_.begin(), prefix_.end());
      for (const Node& n : stack_) key_.push_back(static_cast<std::uint32_t>(n.chosen));
      key_.resize(std::min(key_.size(), run.schedule.size()));
      record_keyed(run);
      if (!backtrack()) return;
      if (s_.wants_work()) give_away();
    }
  }

  std::optional<std::size_t> choose_at(const Decision& d) {
    auto depth = static_cast<std::size_t>(d.depth);
    if (depth < base_) return prefix_[depth];
    if (depth - base_ < stack_.size()) return stack_[depth - base_].chosen;  // replaying the current path
    Node n;
    n.enabled = d.enabled;
    if (s_.options.sleep_sets) n.sleep = child_sleep_;
    n.last_run = d.last_run;
    n.preemptions = d.preemptions;
    auto index = first_allowed(n);
    if (!index) return std::nullopt;
    n.chosen = *index;
    stack_.push_back(std::move(n));
    return index;
  }

  void record_execution(std::size_t depth, const Choice& choice, Footprint footprint) {
    if (depth < base_) return;
    Node& n = stack_[depth - base_];
    child_sleep_.clear();
    if (s_.options.sleep_sets) n.sleep_after(choice, footprint, child_sleep_);
    n.chosen_footprint = std::move(footprint);
  }

  // Backtracks to the deepest node with an untried, non-redundant choice;
  // false when this task's subtree is done.
  bool backtrack() {
    while (!stack_.empty()) {
      Node& n = stack_.back();
      n.finish_chosen();
      if (auto next = first_allowed(n)) {
        n.chosen = *next;
        return true;
      }
      stack_.pop_back();
    }
    return false;
  }

  // Hands the untried choices of the shallowest node that has any (and whose
  // current choice has run, so its footprint is known) to an idle worker.
  void give_away() {
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
      Node& n = stack_[i];
      if (n.given_away) continue;
      Node rest = n;
      rest.done.push_back(SleepEntry{n.enabled[n.chosen], n.chosen_footprint});
      if (!first_allowed(rest)) continue;
      Task t;
      t.prefix = prefix_;
      for (std::size_t k = 0; k < i; ++k) t.prefix.push_back(static_cast<std::uint32_t>(stack_[k].chosen));
      t.node = std::move(rest);
      n.given_away = true;
      s_.give(std::move(t));
      return;
    }
  }

  // detail::record, keeping the depth-first key of each "first" item.
  void record_keyed(const RunResult& run) {
    ExploreResult& out = partial.result;
    if (run.blocked && !run.violation) {
      ++out.sleep_blocked;
      return;
    }
    ++out.schedules;
    s_.schedules.fetch_add(1, std::memory_order_relaxed);
    if (s_.options.collect_traces && !run.trace.empty()) {
      auto it = partial.trace_key.find(run.trace);
      if (it != partial.trace_key.end()) ++out.repeated_traces;
      if (it == partial.trace_key.end() || before(key_, it->second)) {
        partial.trace_key[run.trace] = key_;
        out.traces[run.trace] = run.schedule;
      }
    }
    if (s_.options.collect_outcomes && !run.blocked) {
      auto it = partial.outcome_key.find(run.outcome);
      if (it == partial.outcome_key.end() || before(key_, it->second)) {
        partial.outcome_key[run.outcome] = key_;
        out.outcomes[run.outcome] = run.schedule;
      }
    }
    if (run.step_bound_hit) ++out.step_bound_hits;
    if (!run.violation) return;
    ++out.violations;
    s_.violations.fetch_add(1, std::memory_order_relaxed);
    int invariant = run.violation->invariant;
    ++out.violations_by_invariant[invariant];
    ++out.violations_by_kind[run.violation->kind];
    std::vector<Choice> schedule(run.schedule.begin(),
                                 run.schedule.begin() + static_cast<std::ptrdiff_t>(run.violation_at));
    bool is_first = !partial.first_key || before(key_, *partial.first_key);
    auto known = out.shortest_by_invariant.find(invariant);
    bool is_shortest =
        known == out.shortest_by_invariant.end() || schedule.size() < known->second.schedule.size() ||
        (schedule.size() == known->second.schedule.size() && before(key_, partial.shortest_key[invariant]));
    if (!is_first && !is_shortest) return;
    Counterexample cx;
    cx.violation = *run.violation;
    cx.schedule = std::move(schedule);
    if (auto again = replay(s_.make, cx.schedule, bounds_)) cx.trace = std::move(again->trace);
    if (is_first) {
      out.first = cx;
      partial.first_key = key_;
    }
    if (is_shortest) {
      out.shortest_by_invariant[invariant] = std::move(cx);
      partial.shortest_key[invariant] = key_;
    }
  }

  Shared& s_;
  const Bounds& bounds_;
  std::size_t base_ = 0;
  std::vector<std::uint32_t> prefix_;
  std::vector<Node> stack_;
  std::vector<SleepEntry> child_sleep_;
  Key key_;
};

void merge(Partial& into, Partial&& from) {
  ExploreResult& a = into.result;
  ExploreResult& b = from.result;
  a.schedules += b.schedules;
  a.violations += b.violations;
  a.sleep_blocked += b.sleep_blocked;
  a.step_bound_hits += b.step_bound_hits;
  for (const auto& [k, v] : b.violations_by_invariant) a.violations_by_invariant[k] += v;
  for (const auto& [k, v] : b.violations_by_kind) a.violations_by_kind[k] += v;
  if (from.first_key && (!into.first_key || before(*from.first_key, *into.first_key))) {
    a.first = std::move(b.first);
    into.first_key = std::move(from.first_key);
  }
  for (auto& [invariant, cx] : b.shortest_by_invariant) {
    auto it = a.shortest_by_invariant.find(invariant);
    const Key& key = from.shortest_key[invariant];
    if (it == a.shortest_by_invariant.end() || cx.schedule.size() < it->second.schedule.size() ||
        (cx.schedule.size() == it->second.schedule.size() && before(key, into.shortest_key[invariant]))) {
      a.shortest_by_invariant[invariant] = std::move(cx);
      into.shortest_key[invariant] = key;
    }
  }
  a.repeated_traces += b.repeated_traces;
  for (auto& [trace, schedule] : b.traces) {
    auto it = into.trace_key.find(trace);
    const Key& key = from.trace_key[trace];
    if (it != into.trace_key.end()) ++a.repeated_traces;
    if (it == into.trace_key.end() || before(key, it->second)) {
      a.traces[trace] = std::move(schedule);
      into.trace_key[trace] = key;
    }
  }
  for (auto& [outcome, schedule] : b.outcomes) {
    auto it = into.outcome_key.find(outcome);
    const Key& key = from.outcome_key[outcome];
    if (it == into.outcome_key.end() || before(key, it->second)) {
      a.outcomes[outcome] = std::move(schedule);
      into.outcome_key[outcome] = key;
    }
  }
}

}  // namespace

bool splits_across_workers(const ExploreOptions& options) {
  bool dpor = options.dpor && options.bounds.max_preemptions < 0;
  return (!dpor && !options.stop_at_first) || splits_optimal(options);
}

ExploreResult explore_parallel(const ScenarioFactory& make, const ExploreOptions& options, unsigned workers) {
  auto start = std::chrono::steady_clock::now();
  Shared shared(make, options, workers);
  shared.tasks.push_back(Task{});
  std::vector<std::unique_ptr<Worker>> pool;
  for (unsigned i = 0; i < workers; ++i) pool.push_back(std::make_unique<Worker>(shared));
  std::vector<std::thread> threads;
  for (auto& w : pool) threads.emplace_back([&w] { w->run(); });
  if (options.progress) {
    std::unique_lock lock(shared.mu);
    while (!shared.finished) {
      shared.done_cv.wait_for(lock, std::chrono::seconds(1));
      if (shared.finished) break;
      ExploreResult snapshot;
      snapshot.schedules = shared.schedules.load(std::memory_order_relaxed);
      snapshot.violations = shared.violations.load(std::memory_order_relaxed);
      lock.unlock();
      options.progress(snapshot);
      lock.lock();
    }
  }
  for (auto& t : threads) t.join();
  Partial total;
  for (auto& w : pool) merge(total, std::move(w->partial));
  ExploreResult out = std::move(total.result);
  for (auto& w : pool) out.worker_cpu_seconds.push_back(w->cpu_seconds);
  out.exhaustive = true;
  out.workers = workers;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace peer::explore
