// runtime/src/threaded_scheduler.cpp - the threaded scheduler (see
// threaded_scheduler.h): the workers' loop, the run queue and "run next"
// slot, the lock-free delivery of a message, and the wall-clock timers.

#include "threaded_scheduler.h"

#include <algorithm>
#include <chrono>

namespace peer {

namespace {
using Clock = std::chrono::steady_clock;

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}
}  // namespace

thread_local ThreadedScheduler* ThreadedScheduler::tl_sched = nullptr;
thread_local std::shared_ptr<Process>* ThreadedScheduler::tl_next = nullptr;
thread_local unsigned ThreadedScheduler::tl_next_streak = 0;

ThreadedScheduler::ThreadedScheduler(Runtime::Impl& core, unsigned workers)
    : Scheduler(core, kOperationBudget, /*wakes_receiver_for_any_message=*/true) {
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < workers; ++i) this->workers.emplace_back([this] { worker_main(); });
}

void ThreadedScheduler::stop() {
  {
    std::lock_guard lk(run_mu);
    stopping = true;
  }
  run_cv.notify_all();
  for (auto& t : workers) t.join();
  workers.clear();
  run_queue.clear();
}

// to_back: the process yields (its budget is spent): it queues behind the
// others instead of running next on this worker.
void ThreadedScheduler::make_ready(const std::shared_ptr<Process>& p, bool to_back) {
  // Keep a request/reply ping-pong on one worker: the process woken by the
  // running one runs next here, without waking another thread. A streak
  // limit keeps the shared queue from starving (only if it holds work:
  // handing an uncontended chain to another thread costs a wake-up).
  if (!to_back && tl_sched == this && tl_next && !*tl_next &&
      (tl_next_streak < kNextSlotStreak || queued.load(std::memory_order_relaxed) == 0)) {
    *tl_next = p;
    return;
  }
  bool wake;
  {
    std::lock_guard lk(run_mu);
    // A worker that yields a process takes it back itself once its
    // current chain is done; an idle worker is woken for it only when
    // other work waits too (two busy processes then run in parallel, but a
    // sender is not moved away from its receiver's core at every turn).
    wake = idle_workers > 0 && !(to_back && tl_sched == this && run_queue.empty());
    run_queue.push_back(p);
    queued.store(run_queue.size(), std::memory_order_relaxed);
  }
  if (wake) run_cv.notify_one();
}

// Lock-free on the receiver: a push onto its inbox, and a wake-up if it
// waits (see Runtime::Impl::settle_receive). Late replies are dropped by
// the owner.
void ThreadedScheduler::deliver(Pid to, Envelope env) {
  std::shared_ptr<Process> woken;
  {
    // The table's shared lock keeps the process alive while we queue: no
    // reference count traffic per message, only when it wakes up.
    std::shared_lock table_lock(core_.table_mu);
    auto it = core_.table.find(to.id);
    if (it == core_.table.end()) return;
    Process* p = it->second.get();
    // A process that exits after this check never takes the message: it
    // is freed with the process.
    if (p->state.load(std::memory_order_acquire) == Process::State::exited) return;
    auto* node = Process::InboxNode::make(p->inbox.load(std::memory_order_relaxed), std::move(env));
    while (!p->inbox.compare_exchange_weak(node->next, node, std::memory_order_seq_cst, std::memory_order_relaxed)) {
    }
    auto waiting = Process::State::waiting;
    if (p->state.load(std::memory_order_seq_cst) == waiting &&
        p->state.compare_exchange_strong(waiting, Process::State::ready, std::memory_order_seq_cst)) {
      woken = it->second;
    }
  }
  if (woken) make_ready(woken, false);
}

void ThreadedScheduler::add_timer(Pid pid, std::uint64_t wait_seq, Timeout timeout) {
  std::int64_t deadline = steady_now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
  {
    std::lock_guard lk(run_mu);
    timers.push(deadline, pid, wait_seq);
  }
  run_cv.notify_one();
}

std::optional<ExitReason> ThreadedScheduler::wait_exit(Pid pid, std::chrono::milliseconds wall_timeout) {
  std::unique_lock lk(core_.exits_mu);
  core_.exits_cv.wait_for(lk, wall_timeout, [&] { return core_.exits.count(pid.id) > 0; });
  auto it = core_.exits.find(pid.id);
  if (it == core_.exits.end()) return std::nullopt;
  return it->second;
}

void ThreadedScheduler::worker_main() {
  tl_sched = this;
  std::shared_ptr<Process> next;
  tl_next = &next;
  std::vector<TimerEntry> due;
  for (;;) {
    std::shared_ptr<Process> p;
    if (next) {
      p = std::move(next);
      next.reset();
      ++tl_next_streak;
    } else {
      tl_next_streak = 0;
      if (!take_work(p, next, due)) return;
      if (!p) continue;  // a fired timer filled the next slot
    }
    core_.run_step(p);
  }
}

// Blocks until there is work: a process from the run queue (into p), or
// timers fired, one of which may have filled the next slot. False when
// the runtime stops.
bool ThreadedScheduler::take_work(std::shared_ptr<Process>& p, const std::shared_ptr<Process>& next,
                                  std::vector<TimerEntry>& due) {
  std::unique_lock lk(run_mu);
  for (;;) {
    if (stopping) return false;
    auto now = steady_now_ns();
    while (!timers.heap.empty() && timers.heap.top().deadline <= now) {
      due.push_back(timers.heap.top());
      timers.heap.pop();
    }
    if (!due.empty()) {
      lk.unlock();
      for (const auto& t : due) core_.fire_timer(t);
      due.clear();
      if (next) return true;
      lk.lock();
      continue;
    }
    if (!run_queue.empty()) {
      p = std::move(run_queue.front());
      run_queue.pop_front();
      queued.store(run_queue.size(), std::memory_order_relaxed);
      return true;
    }
    ++idle_workers;
    if (timers.heap.empty()) {
      run_cv.wait(lk);
    } else {
      run_cv.wait_until(lk, Clock::time_point(std::chrono::nanoseconds(timers.heap.top().deadline)));
    }
    --idle_workers;
  }
}

}  // namespace peer
