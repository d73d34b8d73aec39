// runtime/src/threaded_scheduler.h - the threaded scheduler (private).
//
// Worker threads run ready processes (M:N). A sender never takes the
// receiver's lock: it pushes onto the receiver's lock-free inbox and wakes
// it with one compare-and-swap if it waits (deliver; the other half of the
// protocol is Runtime::Impl::settle_receive). A process woken by the running
// one runs next on the same worker ("run next"), so that a request/reply
// ping-pong stays on one core; a step ends after kOperationBudget operations,
// as Erlang preempts after a budget of reductions.
#ifndef PEER_RUNTIME_SRC_THREADED_SCHEDULER_H
#define PEER_RUNTIME_SRC_THREADED_SCHEDULER_H

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core.h"
#include "scheduler.h"

namespace peer {

// Operations a process may perform in one threaded step before it yields:
// a process that sends without pause would otherwise keep its worker, and
// the receiver on that worker (its "run next") would drain a mailbox grown
// to the whole burst, out of cache. Erlang's budget is 4000 reductions.
inline constexpr int kOperationBudget = 2000;

// Worker threads run ready processes (M:N). A sender never takes the
// receiver's lock (see deliver); a process woken by the running one runs
// next on the same worker.
class ThreadedScheduler final : public Scheduler {
 public:
  ThreadedScheduler(Runtime::Impl& core, unsigned workers);
  void make_ready(const std::shared_ptr<Process>& p, bool to_back) override;
  void deliver(Pid to, Envelope env) override;
  void add_timer(Pid pid, std::uint64_t wait_seq, Timeout timeout) override;
  void body_done(const std::shared_ptr<Process>& p, ExitReason reason) override {
    core_.finalize(p, std::move(reason));
  }
  std::optional<ExitReason> wait_exit(Pid pid, std::chrono::milliseconds wall_timeout) override;
  void stop() override;

 private:
  void worker_main();
  bool take_work(std::shared_ptr<Process>& p, const std::shared_ptr<Process>& next, std::vector<TimerEntry>& due);

  std::mutex run_mu;  // guards the run queue, the timers, idle_workers, stopping
  std::condition_variable run_cv;
  std::deque<std::shared_ptr<Process>> run_queue;
  std::atomic<std::size_t> queued{0};  // run_queue.size(), readable without run_mu
  TimerQueue timers;
  // After this many "run next" hand-offs in a row a worker lets queued
  // processes go first, if there are any.
  static constexpr unsigned kNextSlotStreak = 64;
  std::size_t idle_workers = 0;
  bool stopping = false;
  std::vector<std::thread> workers;

  static thread_local ThreadedScheduler* tl_sched;        // the worker's scheduler
  static thread_local std::shared_ptr<Process>* tl_next;  // the worker's "run next" slot
  static thread_local unsigned tl_next_streak;
};

}  // namespace peer

#endif  // PEER_RUNTIME_SRC_THREADED_SCHEDULER_H
