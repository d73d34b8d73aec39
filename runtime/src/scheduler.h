// runtime/src/scheduler.h - the scheduler interface (private).
//
// What the runtime's core (Runtime::Impl, core.h) asks of a scheduler, after
// CAF's abstract_coordinator: where a process goes when it becomes ready,
// how a message reaches a mailbox, how a receive's timer is set, what a
// body's end becomes, and how a caller outside the runtime waits for an
// exit. Two implementations: ThreadedScheduler (threaded_scheduler.h, worker
// threads) and DeterministicScheduler (deterministic_scheduler.h, one thread
// driven step by step, after CAF's test_coordinator). The timer queue both
// use is here too.
#ifndef PEER_RUNTIME_SRC_SCHEDULER_H
#define PEER_RUNTIME_SRC_SCHEDULER_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "peer/runtime/runtime.h"

namespace peer {

struct Process;

struct TimerEntry {
  std::int64_t deadline;  // ns: steady clock (threaded) or virtual time (deterministic)
  std::uint64_t order;    // ties broken by creation order, for determinism
  Pid pid;
  std::uint64_t wait_seq;
  bool operator>(const TimerEntry& o) const { return deadline != o.deadline ? deadline > o.deadline : order > o.order; }
};

// A scheduler's receive timers, earliest first.
struct TimerQueue {
  std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>> heap;
  std::uint64_t order = 0;
  void push(std::int64_t deadline, Pid pid, std::uint64_t wait_seq) {
    heap.push(TimerEntry{deadline, order++, pid, wait_seq});
  }
};

// What the runtime's core asks of a scheduler (after CAF's
// abstract_coordinator): where a process goes when it becomes ready, how a
// message reaches a mailbox, how a receive's timer is set, what a body's end
// becomes, and how a caller outside the runtime waits for an exit. The core
// (Runtime::Impl) holds the processes, the registry, monitors and links, and
// runs a step; the scheduler decides which step runs when.
class Scheduler {
 public:
  Scheduler(Runtime::Impl& core, int operation_budget, bool wakes_receiver_for_any_message)
      : operation_budget(operation_budget),
        wakes_receiver_for_any_message(wakes_receiver_for_any_message),
        core_(core) {}
  virtual ~Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Operations a process performs in one step before it suspends (see
  // suspends_before_operation); 0: it suspends before each one.
  const int operation_budget;
  // Whether deliver wakes a waiting receiver for any message (which then
  // checks its predicate when it runs, see Runtime::Impl::run_step), rather
  // than only for one that matches.
  const bool wakes_receiver_for_any_message;

  // p (state ready) may run. to_back: it yields because its budget is spent.
  virtual void make_ready(const std::shared_ptr<Process>& p, bool to_back) = 0;
  // Puts env into the mailbox of `to`, if alive, and wakes it if it waits.
  virtual void deliver(Pid to, Envelope env) = 0;
  // Sets the timer of p's receive number wait_seq.
  virtual void add_timer(Pid pid, std::uint64_t wait_seq, Timeout timeout) = 0;
  // p's body returned or threw, ending with reason.
  virtual void body_done(const std::shared_ptr<Process>& p, ExitReason reason) = 0;
  // Blocks until pid's exit is recorded, or runs the schedule until it is.
  virtual std::optional<ExitReason> wait_exit(Pid pid, std::chrono::milliseconds wall_timeout) = 0;
  // Called on spawn, before the process is first made ready, and on exit.
  virtual void spawned(const Process& /*p*/) {}
  virtual void exited(Pid /*pid*/) {}
  // The name a trace shows for a process, also once it is gone.
  virtual const std::string* recorded_name(Pid /*pid*/) const { return nullptr; }
  // Stops running processes (joins the threads, if any).
  virtual void stop() {}

 protected:
  Runtime::Impl& core_;
};

}  // namespace peer

#endif  // PEER_RUNTIME_SRC_SCHEDULER_H
