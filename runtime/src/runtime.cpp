// runtime/src/runtime.cpp - the runtime's core and its public face.
//
// The core (Runtime::Impl, core.h): processes and mailboxes, the registry,
// monitors and links, call; and Runtime's and Self's members. The two
// schedulers are in threaded_scheduler.cpp and deterministic_scheduler.cpp,
// behind the interface in scheduler.h.

#include "peer/runtime/runtime.h"

#include <cassert>
#include <ostream>

#include "core.h"
#include "deterministic_scheduler.h"
#include "threaded_scheduler.h"

namespace peer {

std::string to_string(Pid pid) { return "<0." + std::to_string(pid.id) + ">"; }

std::string ExitReason::to_string() const {
  switch (kind) {
    case ExitKind::normal: return "normal";
    case ExitKind::shutdown: return "shutdown";
    case ExitKind::killed: return "killed";
    case ExitKind::noproc: return "noproc";
    case ExitKind::error: return "error(" + text + ")";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& out, const ExitReason& reason) { return out << reason.to_string(); }

std::string Key::to_string() const {
  std::string out = "{";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ", ";
    out += parts[i];
  }
  return out + "}";
}

std::size_t KeyHash::operator()(const Key& key) const noexcept {
  std::size_t h = 1469598103934665603ULL;
  for (const auto& part : key.parts) {
    h ^= std::hash<std::string>{}(part) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  }
  return h;
}

std::uint64_t object::key(const Key& key) { return (2ULL << 56) | (KeyHash{}(key) & ((1ULL << 56) - 1)); }

std::string CallResult::to_string() const {
  switch (error) {
    case CallError::none: return "ok";
    case CallError::noproc: return "noproc";
    case CallError::timeout: return "timeout";
    case CallError::exited: return "exited(" + reason.to_string() + ")";
  }
  return "?";
}

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

std::string Runtime::Impl::describe(const Message& m) {
  if (m.is<CallRequest>()) return "call " + std::string(m.as<CallRequest>().request.label);
  if (m.is<CastRequest>()) return "cast " + std::string(m.as<CastRequest>().request.label);
  if (m.is<CallReply>()) return "reply " + std::string(m.as<CallReply>().value.label);
  if (m.is<Down>()) return "DOWN(" + m.as<Down>().reason.to_string() + ")";
  if (m.is<ExitSignal>()) return "EXIT(" + m.as<ExitSignal>().reason.to_string() + ")";
  return std::string(m.label);
}

std::string Runtime::Impl::label(Pid pid) const {
  if (pid.is_nil()) return "nil";
  if (const std::string* name = sched->recorded_name(pid)) return *name + to_string(pid);
  return to_string(pid);
}

std::optional<ExitReason> Runtime::Impl::recorded_exit(Pid pid) {
  std::lock_guard lk(exits_mu);
  auto it = exits.find(pid.id);
  if (it == exits.end()) return std::nullopt;
  return it->second;
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
      event(parent, [&] { return "spawn " + p->name + " failed: " + options.register_as->to_string() + " already registered"; });
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

std::optional<Pid> Runtime::Impl::whereis(Pid actor, const Key& key) {
  access(object::key(key), false);
  std::optional<Pid> found;
  {
    std::lock_guard lk(registry_mu);
    auto it = registry.find(key);
    if (it != registry.end()) found = it->second;
  }
  event(actor, [&] { return "whereis " + key.to_string() + " -> " + (found ? label(*found) : std::string("none")); });
  return found;
}

Runtime::Runtime(Mode mode, unsigned workers) : mode_(mode), impl_(std::make_unique<Impl>()) {
  impl_->rt = this;
  if (mode == Mode::threaded) {
    impl_->sched = std::make_unique<ThreadedScheduler>(*impl_, workers);
  } else {
    auto sched = std::make_unique<DeterministicScheduler>(*impl_);
    impl_->driven = sched.get();
    impl_->sched = std::move(sched);
  }
}

std::unique_ptr<Runtime> Runtime::threaded(unsigned workers) {
  return std::unique_ptr<Runtime>(new Runtime(Mode::threaded, workers));
}
std::unique_ptr<Runtime> Runtime::deterministic() {
  return std::unique_ptr<Runtime>(new Runtime(Mode::deterministic, 0));
}

Runtime::~Runtime() {
  impl_->sched->stop();
  // Remaining processes are discarded without exit signals: the runtime is gone.
  std::unordered_map<std::uint64_t, std::shared_ptr<Process>> table;
  {
    std::unique_lock lk(impl_->table_mu);
    table.swap(impl_->table);
  }
  for (auto& [id, p] : table) p->task.reset();
}

Pid Runtime::spawn(std::string name, ProcessBody body, SpawnOptions options) {
  return impl_->spawn(Pid{}, std::move(name), std::move(body), std::move(options));
}

std::optional<Pid> Runtime::whereis(const Key& key) const { return impl_->whereis(Pid{}, key); }

std::optional<Pid> Runtime::registered(const Key& key) const {
  std::lock_guard lk(impl_->registry_mu);
  auto it = impl_->registry.find(key);
  if (it == impl_->registry.end()) return std::nullopt;
  return it->second;
}

void Runtime::send(Pid to, Message msg) { impl_->deliver(to, Envelope{Pid{}, std::move(msg)}); }

void Runtime::exit(Pid target, ExitReason reason) {
  impl_->event(Pid{}, [&] { return "FAULT: exit " + impl_->label(target) + " " + reason.to_string(); });
  bool untrappable = reason.kind == ExitKind::killed;
  impl_->signal_exit(target, std::move(reason), Pid{}, untrappable);
}

bool Runtime::is_alive(Pid pid) const {
  auto p = impl_->lookup(pid);
  if (!p) return false;
  std::lock_guard lk(p->mu);
  return p->state != Process::State::exited;
}

std::string Runtime::name_of(Pid pid) const {
  auto p = impl_->lookup(pid);
  return p ? p->name : std::string();
}

std::optional<ExitReason> Runtime::wait_exit(Pid pid, std::chrono::milliseconds wall_timeout) {
  return impl_->sched->wait_exit(pid, wall_timeout);
}

void Runtime::set_observer(Observer* observer) { impl_->observer = observer; }

// The driving calls do nothing on a threaded runtime (nothing is ready for
// a driver there).
std::vector<Pid> Runtime::ready_processes() const {
  return impl_->driven ? impl_->driven->ready_processes() : std::vector<Pid>();
}

void Runtime::step(Pid pid) {
  assert(mode_ == Mode::deterministic);
  if (impl_->driven) impl_->driven->step(pid);
}

bool Runtime::fire_next_timeout() { return impl_->driven && impl_->driven->fire_next_timeout(); }

void Runtime::run_until_quiescent() {
  if (impl_->driven) impl_->driven->run_until_quiescent();
}

std::size_t Runtime::live_processes() const {
  std::shared_lock lk(impl_->table_mu);
  return impl_->table.size();
}

std::vector<std::pair<Pid, std::string>> Runtime::watchers_of(Pid target) const {
  std::vector<std::pair<Pid, std::string>> out;
  if (auto p = impl_->lookup(target)) {
    std::lock_guard lk(p->mu);
    for (const auto& w : p->watchers) out.emplace_back(w.watcher, w.tag);
  }
  return out;
}

Predicate carries(Ref ref) {
  return [ref](const Envelope& e) {
    if (e.is<CallReply>()) return e.as<CallReply>().ref == ref;
    if (e.is<Down>()) return e.as<Down>().ref == ref;
    return false;
  };
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

Pid Self::pid() const { return proc_->pid; }
const std::string& Self::name() const { return proc_->name; }

OperationAwaiter::OperationAwaiter(Runtime* rt, Process* proc)
    : rt_(rt), proc_(proc), scheduled_(suspends_before_operation(*proc)) {}

void OperationAwaiter::await_suspend(std::coroutine_handle<> h) const {
  std::lock_guard lk(proc_->mu);
  proc_->yielding = true;  // stays ready: the operation runs when next stepped
  proc_->resume_point = h;
}

std::optional<Pid> WhereisOp::await_resume() { return rt_->impl_->whereis(proc_->pid, key_); }

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

Ref MonitorOp::await_resume() {
  auto& impl = *rt_->impl_;
  // Refs are opaque and unique in any order: the counter is no footprint.
  Ref ref{impl.next_ref.fetch_add(1)};
  impl.access(object::life(target_), false);
  impl.event(proc_->pid,
             [&] { return "monitors " + impl.label(target_) + (tag_.empty() ? "" : " (" + tag_ + ")"); });
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

Pid SpawnOp::await_resume() {
  return rt_->impl_->spawn(proc_->pid, std::move(name_), std::move(body_), std::move(options_));
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

namespace {
// Activates a call's alias for its lifetime. end() deactivates it and drops
// a reply to it already queued (one that came after a timeout fired but
// before the caller ran again, threaded).
class CallAlias {
 public:
  // Aliases and mailbox are the owner's: no lock.
  CallAlias(Process* proc, Ref ref) : proc_(proc), ref_(ref) { proc_->aliases.push_back(ref.id); }
  CallAlias(const CallAlias&) = delete;
  CallAlias& operator=(const CallAlias&) = delete;
  ~CallAlias() { end(); }
  void end() {
    if (ended_) return;
    ended_ = true;
    std::erase(proc_->aliases, ref_.id);  // a reply still in the inbox is dropped when drained
    proc_->mailbox.erase_if(
                  [&](const Envelope& e) { return e.is<CallReply>() && e.as<CallReply>().ref == ref_; });
  }

 private:
  Process* proc_;
  Ref ref_;
  bool ended_ = false;
};
}  // namespace

Task<CallResult> Self::call(Pid target, Message request, Timeout timeout) const {
  // The monitor comes first: if the callee is dead or dies before replying,
  // its Down (with the same reference) ends the wait.
  Ref ref = co_await monitor(target, "call");
  // The reference is also the call's alias: replies carrying it are taken
  // only until the call is over, for whatever reason - a reply, the callee's
  // Down, a timeout, or the caller abandoning the call (its frame destroyed).
  CallAlias alias(proc_, ref);
  // Built before the co_await statement: GCC 12 destroys an aggregate
  // temporary with non-trivial members twice when it lives in one.
  Message call_request = Message::of(CallRequest{From{proc_->pid, ref}, std::move(request)});
  co_await SendOp(rt_, proc_, SendOp::Kind::call, target, std::move(call_request));
  auto reply = co_await receive(ref, timeout);
  alias.end();  // in the same step as the receive: a reply from now on is dropped
  CallResult result;
  if (!reply) {
    co_await demonitor(ref, true);
    result.error = CallError::timeout;
  } else if (reply->is<CallReply>()) {
    co_await demonitor(ref, true);
    result.value = std::move(reply->msg.as<CallReply>().value);
  } else {
    const Down& down = reply->as<Down>();
    proc_->monitoring.erase(ref.id);
    if (down.reason.kind == ExitKind::noproc) {
      result.error = CallError::noproc;
    } else {
      result.error = CallError::exited;
      result.reason = down.reason;
    }
  }
  co_return result;
}

void Self::exit(ExitReason reason) const { throw ProcessExit{std::move(reason)}; }

void Self::note(std::string_view what) const {
  rt_->impl_->event(proc_->pid, [&] { return std::string(what); });
}

void Self::touch(std::uint64_t shared_object, bool write) const { rt_->impl_->access(shared_object, write); }

}  // namespace peer
