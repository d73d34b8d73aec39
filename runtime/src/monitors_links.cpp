// runtime/src/monitors_links.cpp - exits, exit signals, monitors and links.
//
// What a process's exit does (finalize: the name released, a Down to each
// monitor, an exit signal along each link), an exit signal's arrival
// (signal_exit: trapped as a message, ignored when normal, or the process's
// exit now or at its next suspension), and the operations monitor,
// demonitor, link, unlink, exit and trap_exit.

#include "core.h"

#include <algorithm>

namespace peer {

// An exit signal from `from` (or the runtime); killed cannot be trapped.
void Runtime::Impl::signal_exit(Pid target, ExitReason reason, Pid from, bool untrappable) {
  auto p = lookup(target);
  access(object::life(target), false);
  if (!p) return;
  std::unique_lock lk(p->mu);
  if (p->state == Process::State::exited) return;
  access(object::links(target), false);  // the trap_exit flag
  if (!untrappable && p->trap_exit) {
    lk.unlock();
    deliver(target, Envelope{from, Message::of(ExitSignal{from, std::move(reason)})});
    return;
  }
  if (!untrappable && reason.kind == ExitKind::normal) return;
  ExitReason effective = untrappable ? ExitReason::killed() : std::move(reason);
  // Claim the frame: nobody else resumes it now. Under p->mu only a
  // sender changes the state (waiting -> ready), hence the compare-and-swap.
  auto state = p->state.load();
  if (state == Process::State::waiting && !p->state.compare_exchange_strong(state, Process::State::running)) {
    state = p->state.load();  // ready now
  }
  if (state == Process::State::waiting || state == Process::State::ready) {
    p->state = Process::State::running;
    lk.unlock();
    finalize(p, std::move(effective));
    return;
  }
  access(object::life(target), true);
  p->pending_exit = std::move(effective);  // running: exits when it next suspends
  p->exit_requested.store(true, std::memory_order_release);
}

void Runtime::Impl::finalize(const std::shared_ptr<Process>& p, ExitReason reason) {
  std::vector<Pid> links;
  std::vector<Process::Watcher> watchers;
  std::optional<Key> key;
  {
    // The name goes in the same critical section as the state change, so
    // whereis never returns a dead process and never misses a live one.
    std::scoped_lock lk(registry_mu, p->mu);
    if (p->state == Process::State::exited) return;
    if (p->registered) {
      registry.erase(*p->registered);
      key = std::move(p->registered);
      p->registered.reset();
    }
    p->state = Process::State::exited;
    links = std::move(p->links);
    watchers = std::move(p->watchers);
    p->mailbox.clear();
    p->discard_inbox();  // what comes later is dropped by ~Process
    p->receiving = false;
    p->pred = nullptr;
  }
  sched->exited(p->pid);
  access(object::life(p->pid), true);
  access(object::mailbox(p->pid), true);
  access(object::monitors_on(p->pid), true);
  access(object::links(p->pid), true);
  if (key) access(object::key(*key), true);
  event(p->pid, [&] { return "exits: " + reason.to_string(); });
  if (observer) observer->on_exit(p->pid, p->name, reason);
  p->task.reset();  // destroys the whole coroutine chain
  // Monitors the dead process held on others go with it (the frame is
  // gone, so nobody else touches `monitoring` now).
  for (const auto& [ref, target] : p->monitoring) {
    access(object::monitors_on(target), true);
    if (auto t = lookup(target)) {
      std::lock_guard lk(t->mu);
      std::erase_if(t->watchers, [ref = ref](const Process::Watcher& w) { return w.ref.id == ref; });
    }
  }
  p->monitoring.clear();
  for (const auto& w : watchers) {
    deliver(w.watcher, Envelope{p->pid, Message::of(Down{w.ref, p->pid, reason, w.tag})});
  }
  for (Pid l : links) {
    access(object::links(l), true);
    if (auto other = lookup(l)) {
      std::lock_guard lk(other->mu);
      std::erase(other->links, p->pid);
    }
    signal_exit(l, reason, p->pid, false);
  }
  {
    std::unique_lock lk(table_mu);
    table.erase(p->pid.id);
  }
  if (p->watched_exit) {
    std::lock_guard lk(exits_mu);
    exits[p->pid.id] = reason;
    exits_cv.notify_all();
  }
}

std::vector<std::pair<Pid, std::string>> Runtime::watchers_of(Pid target) const {
  std::vector<std::pair<Pid, std::string>> out;
  if (auto p = impl_->lookup(target)) {
    std::lock_guard lk(p->mu);
    for (const auto& w : p->watchers) out.emplace_back(w.watcher, w.tag);
  }
  return out;
}

// What signal_exit and finalize would touch, followed without changing
// anything: an exit signal reads the target's life and trap_exit flag; an
// exit writes the dead process's parts and name, the monitors it held, the
// mailboxes of its watchers, and along each link the other end's links and
// an exit signal (trapped: a message; else that process's exit, in turn).
std::vector<std::pair<std::uint64_t, bool>> Runtime::exit_footprint(Pid target) const {
  std::vector<std::pair<std::uint64_t, bool>> out;
  std::vector<Pid> dying;
  auto deliver = [&](Pid to) {
    out.emplace_back(object::life(to), false);
    out.emplace_back(object::mailbox(to), true);
  };
  auto signal = [&](auto& self, Pid to, bool untrappable) -> void {
    out.emplace_back(object::life(to), false);
    auto p = impl_->lookup(to);
    if (!p || std::find(dying.begin(), dying.end(), to) != dying.end()) return;
    std::vector<Pid> links;
    {
      std::lock_guard lk(p->mu);
      if (p->state == Process::State::exited) return;
      out.emplace_back(object::links(to), false);
      if (!untrappable && p->trap_exit) {
        deliver(to);
        return;
      }
      dying.push_back(to);
      out.emplace_back(object::life(to), true);
      out.emplace_back(object::mailbox(to), true);
      out.emplace_back(object::monitors_on(to), true);
      out.emplace_back(object::links(to), true);
      if (p->registered) out.emplace_back(object::key(*p->registered), true);
      for (const auto& [ref, on] : p->monitoring) out.emplace_back(object::monitors_on(on), true);
      for (const auto& w : p->watchers) deliver(w.watcher);
      links = p->links;
    }
    for (Pid l : links) {
      out.emplace_back(object::links(l), true);
      self(self, l, false);
    }
  };
  signal(signal, target, true);
  return out;
}

Ref MonitorOp::await_resume() {
  auto& impl = *rt_->impl_;
  // Refs are opaque and unique in any order: the counter is no footprint.
  Ref ref{impl.next_ref.fetch_add(1)};
  impl.access(object::life(target_), false);
  impl.event(proc_->pid, [&] { return "monitors " + impl.label(target_) + (tag_.empty() ? "" : " (" + tag_ + ")"); });
  if (auto p = impl.lookup(target_)) {
    std::lock_guard lk(p->mu);
    if (p->state != Process::State::exited) {
      impl.access(object::monitors_on(target_), true);
      p->watchers.push_back({ref, proc_->pid, tag_});
      proc_->monitoring.emplace(ref.id, target_);
      return ref;
    }
  }
  impl.deliver(proc_->pid, Envelope{target_, Message::of(Down{ref, target_, ExitReason::noproc(), std::move(tag_)})});
  return ref;
}

void DemonitorOp::await_resume() {
  auto& impl = *rt_->impl_;
  auto it = proc_->monitoring.find(ref_.id);
  if (it != proc_->monitoring.end()) {
    Pid target = it->second;
    impl.event(proc_->pid, [&] { return "demonitors " + impl.label(target); });
    proc_->monitoring.erase(it);
    impl.access(object::monitors_on(target), true);
    if (auto p = impl.lookup(target)) {
      std::lock_guard lk(p->mu);
      std::erase_if(p->watchers, [&](const Process::Watcher& w) { return w.ref == ref_; });
    }
  }
  if (flush_) {
    impl.access(object::mailbox(proc_->pid), true);
    proc_->drain_inbox();  // a Down already sent is flushed too
    proc_->mailbox.erase_if([&](const Envelope& e) { return e.is<Down>() && e.as<Down>().ref == ref_; });
  }
}

void LinkOp::await_resume() {
  auto& impl = *rt_->impl_;
  impl.access(object::life(other_), false);
  impl.access(object::links(other_), true);
  impl.access(object::links(proc_->pid), true);
  if (!link_) {
    if (auto p = impl.lookup(other_)) {
      std::lock_guard lk(p->mu);
      std::erase(p->links, proc_->pid);
    }
    std::lock_guard own(proc_->mu);
    std::erase(proc_->links, other_);
    return;
  }
  if (auto p = impl.lookup(other_)) {
    std::unique_lock lk(p->mu);
    if (p->state != Process::State::exited) {
      if (std::find(p->links.begin(), p->links.end(), proc_->pid) == p->links.end()) {
        p->links.push_back(proc_->pid);
        lk.unlock();
        std::lock_guard own(proc_->mu);
        proc_->links.push_back(other_);
      }
      return;
    }
  }
  impl.signal_exit(proc_->pid, ExitReason::noproc(), other_, false);
}

void ExitOp::await_resume() {
  auto& impl = *rt_->impl_;
  impl.event(proc_->pid, [&] { return "sends exit " + reason_.to_string() + " to " + impl.label(target_); });
  bool untrappable = reason_.kind == ExitKind::killed;
  impl.signal_exit(target_, std::move(reason_), proc_->pid, untrappable);
}

void Self::trap_exit(bool on) const {
  rt_->impl_->access(object::links(proc_->pid), true);
  std::lock_guard lk(proc_->mu);
  proc_->trap_exit = on;
}

}  // namespace peer
