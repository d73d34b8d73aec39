// runtime/src/deterministic_scheduler.h - the deterministic scheduler (private).
//
// One thread; an external driver (the explorer, a test, or the default
// round robin of wait_exit and run_until_quiescent) picks which ready
// process takes the next step, so that a schedule reproduces a run bit for
// bit (after CAF's test_coordinator). Every operation is a scheduling point
// (the step's operation budget is none), a body's end is a step of its own,
// a send checks the waiting receive's predicate itself, and virtual time
// moves only when no process is ready.
#ifndef PEER_RUNTIME_SRC_DETERMINISTIC_SCHEDULER_H
#define PEER_RUNTIME_SRC_DETERMINISTIC_SCHEDULER_H

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core.h"
#include "scheduler.h"

namespace peer {

// One thread; an external driver (the explorer, a test, wait_exit's default
// round robin) picks which ready process takes the next step, and virtual
// time moves only when none is ready (after CAF's test_coordinator). Every
// operation is a scheduling point.
class DeterministicScheduler final : public Scheduler {
 public:
  explicit DeterministicScheduler(Runtime::Impl& core)
      : Scheduler(core, /*operation_budget=*/0, /*wakes_receiver_for_any_message=*/false) {}
  void make_ready(const std::shared_ptr<Process>& p, bool /*to_back*/) override { ready.insert(p->pid.id); }
  void deliver(Pid to, Envelope env) override;
  void add_timer(Pid pid, std::uint64_t wait_seq, Timeout timeout) override {
    timers.push(virtual_now + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count(), pid, wait_seq);
  }
  void body_done(const std::shared_ptr<Process>& p, ExitReason reason) override;
  std::optional<ExitReason> wait_exit(Pid pid, std::chrono::milliseconds wall_timeout) override;
  void spawned(const Process& p) override { names[p.pid.id] = p.name; }
  void exited(Pid pid) override { ready.erase(pid.id); }
  const std::string* recorded_name(Pid pid) const override {
    auto it = names.find(pid.id);
    return it == names.end() ? nullptr : &it->second;
  }

  std::vector<Pid> ready_processes() const;
  void step(Pid pid);
  bool fire_next_timeout();
  bool has_pending_timeout();
  void run_until_quiescent();

 private:
  Pid next_round_robin() const;

  std::set<std::uint64_t> ready;
  TimerQueue timers;
  std::int64_t virtual_now = 0;
  Pid last_run;
  std::uint64_t message_serial = 0;
  std::unordered_map<std::uint64_t, std::string> names;  // every process ever spawned
};

}  // namespace peer

#endif  // PEER_RUNTIME_SRC_DETERMINISTIC_SCHEDULER_H
