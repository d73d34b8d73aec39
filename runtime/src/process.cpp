// runtime/src/process.cpp - processes and mailboxes.
//
// One step of a process (run_step, after_step), a receive from the time it
// suspends to its resumption (settle_receive, with the wake-up protocol a
// threaded sender shares; fire_timer), the receive, yield, send and spawn
// operations, and the allocator of mailbox nodes. Mailbox (threaded): a
// sender pushes the envelope onto the receiver's inbox, a lock-free stack
// (Treiber's; the owner takes all of it with one exchange and reverses it,
// so arrival order - and with it FIFO order per sender - is kept), then
// wakes the receiver if it was waiting (ThreadedScheduler::deliver). The
// owner links the inbox's nodes onto its private mailbox (a list of the same
// nodes: a message is moved once at its send and once at its receive) when
// it receives, drops there the late replies (CallReply without a live
// alias), and scans. Deterministic, a send goes straight into the mailbox
// (DeterministicScheduler::deliver).

#include "core.h"

#include <cassert>
#include <exception>
#include <new>

namespace peer {

namespace {
// Free inbox nodes. Each thread keeps a list: a worker that receives refills
// it, one that sends draws from it. When senders and receivers run on
// different workers, full batches of nodes travel from the receiving
// thread's list to the sending thread's through a shared pool, one lock per
// batch (as tcmalloc's transfer cache does): malloc and a free on another
// thread than the malloc were a third of a message flood's time.
struct FreeNode {
  FreeNode* next;
};
constexpr std::size_t kNodeBatch = 256;
struct NodePool {
  std::mutex mu;
  std::vector<FreeNode*> batches;  // each a list of kNodeBatch nodes
  static constexpr std::size_t kMaxBatches = 64;
};
NodePool& node_pool() {
  static auto* pool = new NodePool;  // never destroyed: threads may exit after static destruction
  return *pool;
}
struct NodeCache {
  FreeNode* head = nullptr;
  std::size_t size = 0;
  ~NodeCache() {
    while (head) ::operator delete(std::exchange(head, head->next));
  }
};
thread_local NodeCache tl_node_cache;
}  // namespace

Process::InboxNode* Process::InboxNode::make(InboxNode* next, Envelope&& env) {
  static_assert(sizeof(InboxNode) >= sizeof(FreeNode));
  NodeCache& cache = tl_node_cache;
  if (!cache.head) {
    NodePool& pool = node_pool();
    std::lock_guard lk(pool.mu);
    if (!pool.batches.empty()) {
      cache.head = pool.batches.back();
      cache.size = kNodeBatch;
      pool.batches.pop_back();
    }
  }
  void* raw;
  if (cache.head) {
    raw = std::exchange(cache.head, cache.head->next);
    --cache.size;
  } else {
    raw = ::operator new(sizeof(InboxNode));
  }
  return new (raw) InboxNode{next, std::move(env)};
}

void Process::InboxNode::release(InboxNode* node) {
  node->~InboxNode();
  NodeCache& cache = tl_node_cache;
  cache.head = new (node) FreeNode{cache.head};
  if (++cache.size < 2 * kNodeBatch) return;
  // Hand a batch over: the first kNodeBatch nodes of the list.
  FreeNode* batch = cache.head;
  FreeNode* last = batch;
  for (std::size_t i = 1; i < kNodeBatch; ++i) last = last->next;
  cache.head = last->next;
  cache.size -= kNodeBatch;
  last->next = nullptr;
  {
    NodePool& pool = node_pool();
    std::lock_guard lk(pool.mu);
    if (pool.batches.size() < NodePool::kMaxBatches) {
      pool.batches.push_back(batch);
      return;
    }
  }
  while (batch) ::operator delete(std::exchange(batch, batch->next));
}

void Runtime::Impl::fire_timer(const TimerEntry& t) {
  auto p = lookup(t.pid);
  if (!p) return;
  std::unique_lock lk(p->mu);
  if (!p->receiving || p->wait_seq != t.wait_seq) return;
  // Set even if a sender woke the process meanwhile with a message that
  // does not match: its owner then sees the timeout when it re-checks
  // (settle_receive), instead of waiting again with no timer left.
  p->timed_out = true;
  auto waiting = Process::State::waiting;
  if (!p->state.compare_exchange_strong(waiting, Process::State::ready)) return;
  lk.unlock();
  event(p->pid, [&] { return "receive timed out"; });
  make_ready(p);
}

// Runs one step of p: resume it until it suspends or finishes.
void Runtime::Impl::run_step(const std::shared_ptr<Process>& p) {
  {
    std::unique_lock lk(p->mu);
    if (p->state != Process::State::ready) return;  // claimed by an exit signal
    if (p->pending_exit) {
      ExitReason reason = *p->pending_exit;
      p->state = Process::State::running;
      lk.unlock();
      finalize(p, std::move(reason));
      return;
    }
    p->state = Process::State::running;
    // A scheduler that wakes a waiting receiver for any message (and a
    // timer, which wakes it too) leaves the check to the owner: it checks
    // what arrived, and waits again if nothing matches (see settle_receive).
    if (p->receiving && !p->match && sched->wakes_receiver_for_any_message) {
      bool arm = false;
      if (settle_receive(*p, arm) != Settled::resume) {
        let_go_waiting(p, lk, arm);
        return;
      }
    }
  }
  p->budget = sched->operation_budget;
  if (!p->started) {
    p->started = true;
    event(p->pid, [] { return "starts"; });
  }
  p->resume_point.resume();
  after_step(p);
}

void Runtime::Impl::after_step(const std::shared_ptr<Process>& p) {
  if (p->task->handle().done()) {
    ExitReason reason = ExitReason::normal();
    if (auto error = p->task->handle().promise().error) {
      try {
        std::rethrow_exception(error);
      } catch (const ProcessExit& e) {
        reason = e.reason;
      } catch (const std::exception& e) {
        reason = ExitReason::error(e.what());
      } catch (...) {
        reason = ExitReason::error("unknown exception");
      }
    }
    sched->body_done(p, std::move(reason));
    return;
  }
  std::unique_lock lk(p->mu);
  if (p->pending_exit) {
    ExitReason reason = *p->pending_exit;
    lk.unlock();
    finalize(p, std::move(reason));
    return;
  }
  const bool budget_spent = p->budget <= 0;
  if (p->yielding) {
    p->yielding = false;
    p->state = Process::State::ready;
    lk.unlock();
    make_ready(p, budget_spent);
    return;
  }
  assert(p->receiving && "a process may only suspend in a runtime operation");
  bool arm = false;
  switch (settle_receive(*p, arm)) {
    case Settled::resume:
      p->state = Process::State::ready;
      lk.unlock();
      make_ready(p, budget_spent);
      return;
    case Settled::parked:
    case Settled::taken_over: let_go_waiting(p, lk, arm); return;
  }
}

// After settle_receive parked p or a sender took it over: unlocks, and
// sets the receive's timer if it is the first wait of this receive. The
// fields are read before unlocking: then p may run on another thread.
void Runtime::Impl::let_go_waiting(const std::shared_ptr<Process>& p, std::unique_lock<std::mutex>& lk, bool arm) {
  std::uint64_t seq = p->wait_seq;
  Timeout timeout = p->timeout;
  Pid pid = p->pid;
  lk.unlock();
  if (arm) add_timer(pid, seq, timeout);
}

// The receive in progress of p, running, under p.mu: takes in what
// arrived, scans past the prefix known not to match, and either resumes or
// waits. `arm`: the caller sets the receive's timer after unlocking.
//
// The wake-up protocol (threaded). A sender pushes onto the inbox, then
// reads the state, and if waiting compare-and-swaps it to ready and queues
// the process. The owner stores waiting, then reads the inbox again. Both
// pairs are sequentially consistent (a store, then a load of the other's
// location: Dekker's pattern), so at least one side sees the other's
// write: either the sender sees waiting and wakes the process, or the owner
// sees the message and takes the waiting state back. Both may see it: then
// their compare-and-swaps on the state decide, and exactly one wins - a
// sender's (the process is queued; the owner lets go) or the owner's (it
// scans again). No message is left in an inbox while its owner waits.
// Other state changes (a timer, an exit signal, run_step) hold p.mu, as the
// owner does here, so only senders race with it. Deterministic, senders
// write the mailbox itself: the inbox stays empty.
Runtime::Impl::Settled Runtime::Impl::settle_receive(Process& p, bool& arm) {
  for (;;) {
    p.drain_inbox();
    if (!p.match) {
      Process::InboxNode** at = p.scan_from;
      for (; *at; at = &(*at)->next) {
        if (matches(p.pred, (*at)->env)) {
          p.match = at;
          break;
        }
      }
      p.scan_from = at;
    }
    // A poll's outcome depends on what has arrived by now.
    if (p.timeout == Timeout::zero()) access(object::mailbox(p.pid), false);
    if (p.match || p.timeout == Timeout::zero() || p.timed_out) {
      if (!p.match) p.timed_out = true;
      return Settled::resume;
    }
    if (p.timeout >= Timeout::zero() && !p.timer_armed) {
      p.timer_armed = true;
      arm = true;
    }
    p.state.store(Process::State::waiting, std::memory_order_seq_cst);
    if (!p.inbox.load(std::memory_order_seq_cst)) return Settled::parked;
    auto waiting = Process::State::waiting;
    if (!p.state.compare_exchange_strong(waiting, Process::State::running, std::memory_order_seq_cst)) {
      return Settled::taken_over;
    }
  }
}

Pid Runtime::Impl::spawn(Pid parent, std::string name, ProcessBody body, SpawnOptions options) {
  access(object::spawn_counter(), true);
  auto p = std::make_shared<Process>();
  p->pid = Pid{next_pid.fetch_add(1)};
  p->name = std::move(name);
  p->body = std::move(body);
  p->trap_exit = options.trap_exit;
  p->watched_exit = parent.is_nil();
  p->task.emplace(p->body(Self(rt, p.get())));
  p->resume_point = p->task->handle();
  sched->spawned(*p);
  access(object::life(p->pid), true);
  {
    std::unique_lock lk(table_mu);
    table.emplace(p->pid.id, p);
  }
  if (options.register_as) {
    access(object::key(*options.register_as), true);
    std::lock_guard lk(registry_mu);
    if (registry.count(*options.register_as)) {
      std::unique_lock tl(table_mu);
      table.erase(p->pid.id);
      event(parent, [&] {
        return "spawn " + p->name + " failed: " + options.register_as->to_string() + " already registered";
      });
      return Pid{};
    }
    registry.emplace(*options.register_as, p->pid);
    p->registered = options.register_as;
  }
  event(parent, [&] {
    std::string text = "spawns " + label(p->pid);
    if (options.register_as) text += " as " + options.register_as->to_string();
    return text;
  });
  bool link_failed = false;
  if (options.link_to) {
    access(object::life(*options.link_to), false);
    access(object::links(*options.link_to), true);
    bool linked = false;
    if (auto other = lookup(*options.link_to)) {
      std::lock_guard lk(other->mu);
      if (other->state != Process::State::exited) {
        other->links.push_back(p->pid);
        linked = true;
      }
    }
    if (linked) {
      // One process lock at a time: no lock-order cycles.
      std::lock_guard lk(p->mu);
      p->links.push_back(*options.link_to);
    }
    link_failed = !linked;
  }
  make_ready(p);
  if (link_failed) signal_exit(p->pid, ExitReason::noproc(), *options.link_to, false);
  return p->pid;
}

bool ReceiveAwaiter::await_ready() {
  // Deterministic, every receive is a scheduling point, even when a
  // message is already waiting, so the schedule can interleave there.
  if (suspends_before_operation(*proc_)) return false;
  // Threaded from here: the mailbox is the running process's own.
  proc_->drain_inbox();
  for (Process::InboxNode** at = &proc_->mailbox.head; *at; at = &(*at)->next) {
    if (matches(pred_, (*at)->env)) {
      Process::InboxNode* n = proc_->mailbox.take(at);
      early_ = std::move(n->env);
      Process::InboxNode::release(n);
      done_early_ = true;
      return true;
    }
  }
  if (timeout_ == Timeout::zero()) {
    done_early_ = true;
    return true;
  }
  return false;
}

void ReceiveAwaiter::await_suspend(std::coroutine_handle<> h) {
  std::lock_guard lk(proc_->mu);
  proc_->receiving = true;
  proc_->pred = std::move(pred_);
  proc_->scan_from = &proc_->mailbox.head;
  proc_->match = nullptr;
  proc_->timed_out = false;
  proc_->timer_armed = false;
  proc_->timeout = timeout_;
  ++proc_->wait_seq;
  proc_->resume_point = h;
}

std::optional<Envelope> ReceiveAwaiter::await_resume() {
  if (done_early_) return std::move(early_);
  std::optional<Envelope> out;
  {
    std::lock_guard lk(proc_->mu);
    proc_->receiving = false;
    proc_->pred = nullptr;
    if (proc_->match) {
      Process::InboxNode* n = proc_->mailbox.take(proc_->match);
      out = std::move(n->env);
      Process::InboxNode::release(n);
      proc_->match = nullptr;
    }
  }
  auto& impl = *rt_->impl_;
  impl.access(object::mailbox(proc_->pid), true);
  if (out && impl.observer) impl.observer->on_message(out->serial, true);
  impl.event(proc_->pid, [&] {
    return out ? "receives " + Runtime::Impl::describe(out->msg) + " from " + impl.label(out->from)
               : std::string("receive timed out");
  });
  return out;
}

void YieldAwaiter::await_suspend(std::coroutine_handle<> h) {
  std::lock_guard lk(proc_->mu);
  proc_->yielding = true;
  proc_->resume_point = h;
}

OperationAwaiter::OperationAwaiter(Runtime* rt, Process* proc)
    : rt_(rt), proc_(proc), scheduled_(suspends_before_operation(*proc)) {}

void OperationAwaiter::await_suspend(std::coroutine_handle<> h) const {
  std::lock_guard lk(proc_->mu);
  proc_->yielding = true;  // stays ready: the operation runs when next stepped
  proc_->resume_point = h;
}

void SendOp::await_resume() {
  auto& impl = *rt_->impl_;
  impl.event(proc_->pid, [&] {
    switch (kind_) {
      case Kind::send: return "sends " + Runtime::Impl::describe(msg_) + " to " + impl.label(to_);
      case Kind::cast: return "casts " + std::string(msg_.as<CastRequest>().request.label) + " to " + impl.label(to_);
      case Kind::reply: return "replies " + std::string(msg_.as<CallReply>().value.label) + " to " + impl.label(to_);
      case Kind::call: return "calls " + impl.label(to_) + " " + std::string(msg_.as<CallRequest>().request.label);
    }
    return std::string();
  });
  impl.deliver(to_, Envelope{proc_->pid, std::move(msg_)});
}

Pid SpawnOp::await_resume() {
  return rt_->impl_->spawn(proc_->pid, std::move(name_), std::move(body_), std::move(options_));
}

}  // namespace peer
