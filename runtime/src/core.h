// runtime/src/core.h - the runtime's core, Runtime::Impl (private).
//
// The core holds what both schedulers share: the process table, the
// registry, the recorded exits, the observer of a deterministic run, and
// what one step of a process does (run_step, after_step, settle_receive);
// what an exit does to monitors and links (finalize, signal_exit); spawn and
// whereis. Its definitions are spread by concern: process.cpp (steps,
// mailboxes, spawn), registry.cpp, monitors_links.cpp, runtime.cpp
// (observation). Which process steps when is the scheduler's (sched).
#ifndef PEER_RUNTIME_SRC_CORE_H
#define PEER_RUNTIME_SRC_CORE_H

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "peer/runtime/runtime.h"
#include "process.h"
#include "scheduler.h"

namespace peer {

class DeterministicScheduler;

// The runtime's core: the process table, the registry, exits, and what a
// step does; the scheduler (threaded or deterministic) decides when.
struct Runtime::Impl {
  Runtime* rt = nullptr;
  std::unique_ptr<Scheduler> sched;
  DeterministicScheduler* driven = nullptr;  // sched, when it is the deterministic one

  mutable std::shared_mutex table_mu;
  std::unordered_map<std::uint64_t, std::shared_ptr<Process>> table;
  mutable std::mutex registry_mu;
  std::unordered_map<Key, Pid, KeyHash> registry;
  std::atomic<std::uint64_t> next_pid{1};
  std::atomic<std::uint64_t> next_ref{1};

  std::mutex exits_mu;
  std::condition_variable exits_cv;
  std::unordered_map<std::uint64_t, ExitReason> exits;

  // Deterministic runs only (see Observer).
  Observer* observer = nullptr;

  // --- observation ---
  void access(std::uint64_t object, bool write) {
    if (observer) observer->on_access(object, write);
  }
  template <class F>
  void event(Pid actor, F&& make_text) {
    if (observer && observer->wants_events()) {
      observer->on_event(actor, actor.is_nil() ? std::string("runtime") : label(actor), make_text());
    }
  }
  static std::string describe(const Message& m);
  std::string label(Pid pid) const;

  std::shared_ptr<Process> lookup(Pid pid) const {
    std::shared_lock lk(table_mu);
    auto it = table.find(pid.id);
    return it == table.end() ? nullptr : it->second;
  }
  std::optional<ExitReason> recorded_exit(Pid pid);

  // --- scheduling ---
  void make_ready(const std::shared_ptr<Process>& p, bool to_back = false) { sched->make_ready(p, to_back); }
  void deliver(Pid to, Envelope env) { sched->deliver(to, std::move(env)); }
  void add_timer(Pid pid, std::uint64_t seq, Timeout timeout) {
    access(object::timers(), true);
    sched->add_timer(pid, seq, timeout);
  }
  void fire_timer(const TimerEntry& t);

  // --- steps ---
  void run_step(const std::shared_ptr<Process>& p);
  void after_step(const std::shared_ptr<Process>& p);
  void let_go_waiting(const std::shared_ptr<Process>& p, std::unique_lock<std::mutex>& lk, bool arm);
  enum class Settled {
    resume,      // a match, or a poll or timer that found none: resume the receive
    parked,      // waiting: a sender or the timer makes it ready
    taken_over,  // a sender made it ready meanwhile: it is queued, not ours now
  };
  Settled settle_receive(Process& p, bool& arm);

  // --- processes, signals, exits ---
  void signal_exit(Pid target, ExitReason reason, Pid from, bool untrappable);
  void finalize(const std::shared_ptr<Process>& p, ExitReason reason);
  Pid spawn(Pid parent, std::string name, ProcessBody body, SpawnOptions options);
  std::optional<Pid> whereis(Pid actor, const Key& key);
};

}  // namespace peer

#endif  // PEER_RUNTIME_SRC_CORE_H
