// runtime/src/deterministic_scheduler.cpp - the deterministic scheduler
// (see deterministic_scheduler.h): the ready set a driver steps through,
// delivery that checks the receiver's predicate, the body's end as a step of
// its own, virtual-time timers, and the default round-robin policy.

#include "deterministic_scheduler.h"

#include <algorithm>

namespace peer {

// A send goes straight into the mailbox, and the sender checks the waiting
// receive's predicate: the receiver is made ready only by a match, so that
// the explorer sees a step for each message taken and none for the others.
void DeterministicScheduler::deliver(Pid to, Envelope env) {
  core_.access(object::life(to), false);
  core_.access(object::mailbox(to), true);
  std::shared_ptr<Process> woken;
  {
    std::shared_lock table_lock(core_.table_mu);
    auto it = core_.table.find(to.id);
    if (it == core_.table.end()) return;
    Process* p = it->second.get();
    std::lock_guard lk(p->mu);
    if (p->state == Process::State::exited) return;
    if (env.msg.is<CallReply>() && !p->has_alias(env.msg.as<CallReply>().ref)) {
      core_.event(Pid{}, [&] { return "drops a late reply to " + core_.label(to) + " (its call is over)"; });
      return;
    }
    if (core_.observer) {
      env.serial = ++message_serial;
      core_.observer->on_message(env.serial, false);
    }
    Process::InboxNode** at = p->mailbox.tail;
    p->mailbox.push(Process::InboxNode::make(nullptr, std::move(env)));
    if (p->state == Process::State::waiting && p->receiving && !p->match) {
      p->scan_from = p->mailbox.tail;
      if (matches(p->pred, (*at)->env)) {
        p->match = at;
        p->state = Process::State::ready;
        woken = it->second;
      }
    }
  }
  if (woken) make_ready(woken, false);
}

// Exiting is an operation too: the schedule decides when it happens.
void DeterministicScheduler::body_done(const std::shared_ptr<Process>& p, ExitReason reason) {
  {
    std::lock_guard lk(p->mu);
    if (!p->pending_exit) p->pending_exit = std::move(reason);  // a signal's reason wins
    p->state = Process::State::ready;
  }
  make_ready(p, false);
}

std::optional<ExitReason> DeterministicScheduler::wait_exit(Pid pid, std::chrono::milliseconds /*wall_timeout*/) {
  for (;;) {
    if (auto r = core_.recorded_exit(pid)) return r;
    if (ready.empty()) {
      if (!fire_next_timeout()) return std::nullopt;
      continue;
    }
    step(next_round_robin());
  }
}

std::vector<Pid> DeterministicScheduler::ready_processes() const {
  std::vector<Pid> out;
  out.reserve(ready.size());
  for (auto id : ready) out.push_back(Pid{id});
  return out;
}

void DeterministicScheduler::step(Pid pid) {
  if (!ready.erase(pid.id)) return;
  auto p = core_.lookup(pid);
  if (!p) return;
  last_run = pid;
  core_.access(object::life(pid), false);  // a step needs its process alive
  core_.run_step(p);
}

bool DeterministicScheduler::fire_next_timeout() {
  // Virtual time only moves when nothing can run: a timeout never races a
  // message that is already on its way.
  if (!has_pending_timeout()) return false;
  TimerEntry t = timers.heap.top();
  timers.heap.pop();
  virtual_now = std::max(virtual_now, t.deadline);
  core_.fire_timer(t);
  return true;
}

bool DeterministicScheduler::has_pending_timeout() {
  while (!timers.heap.empty()) {  // drops the stale entries: a wait that ended, a process gone
    const TimerEntry& t = timers.heap.top();
    auto p = core_.lookup(t.pid);
    if (p) {
      std::lock_guard lk(p->mu);
      if (p->state == Process::State::waiting && p->receiving && p->wait_seq == t.wait_seq) return true;
    }
    timers.heap.pop();
  }
  return false;
}

void DeterministicScheduler::run_until_quiescent() {
  for (;;) {
    if (ready.empty()) {
      if (!fire_next_timeout()) return;
      continue;
    }
    step(next_round_robin());
  }
}

// The default policy: round robin in pid order, so that a process polling
// with yield() cannot starve the others.
Pid DeterministicScheduler::next_round_robin() const {
  auto it = ready.upper_bound(last_run.id);
  return Pid{it != ready.end() ? *it : *ready.begin()};
}

}  // namespace peer
