// Runtime implementation: one process table, one registry, two schedulers.
//
// Ownership: the process table holds each Process by shared_ptr until it
// exits; run queues and senders hold temporary shared_ptrs so that a process
// object outlives any concurrent access. A process's coroutine frame is only
// resumed by whoever moved it from `ready` to `running`, so no frame ever
// runs on two threads at once; that party (the owner) alone touches the
// process's private mailbox.
//
// Mailbox (threaded): a sender never takes the receiver's mutex. It pushes
// the envelope onto the receiver's inbox, a lock-free stack (Treiber's; the
// owner takes all of it with one exchange and reverses it, so arrival order -
// and with it FIFO order per sender - is kept), then wakes the receiver if it
// was waiting, with one compare-and-swap of its state. The owner links the
// inbox's nodes onto its private mailbox (a list of the same nodes: a message
// is moved once at its send and once at its receive) when it receives, drops
// there the late replies (CallReply without a live alias), and scans; see
// settle_receive for the wake-up protocol. Deterministic, there is one thread: a send goes
// straight into the mailbox and the sender checks the receive's predicate,
// as before, so that the explorer sees the same steps and footprints.
#include "peer/runtime/runtime.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <new>
#include <ostream>
#include <queue>
#include <set>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

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

struct Process {
  enum class State { ready, running, waiting, exited };
  struct Watcher {
    Ref ref;
    Pid watcher;
    std::string tag;
  };

  Pid pid;
  std::string name;
  ProcessBody body;  // keeps a capturing lambda alive while its coroutine runs
  std::optional<Task<void>> task;
  std::coroutine_handle<> resume_point;  // innermost suspended coroutine
  bool watched_exit = false;             // record the exit for wait_exit
  bool started = false;                  // owner thread only
  // Threaded: operations left before the process yields its worker, as
  // Erlang preempts after a budget of reductions. Owner thread only.
  int budget = 0;

  // Messages sent and not yet taken into the mailbox (threaded): a
  // lock-free stack, newest first. Senders push; the owner takes it whole.
  struct InboxNode {
    InboxNode* next;
    Envelope env;
    // Nodes come from, and go back to, a small per-thread cache: malloc and
    // free were a third of a message flood's time.
    static InboxNode* make(InboxNode* next, Envelope&& env);
    static void release(InboxNode* node);
  };
  // Apart from the fields the owner writes (padding rather than alignas: an
  // over-aligned Process costs spawn an aligned allocation).
  char pad_before_inbox_[64];
  std::atomic<InboxNode*> inbox{nullptr};
  // Changed under mu, except waiting -> ready by a sender (a compare-and-swap,
  // see settle_receive): senders read it without the mutex.
  std::atomic<State> state{State::ready};
  char pad_after_state_[64];
  // The private mailbox: the inbox's nodes, oldest first, linked in place (a
  // message is never copied between them). Touched only by the owner of the
  // frame (or, in the deterministic mode's single thread, by senders too).
  // A position is the link that points to a node (&head or &prev->next), so
  // that a node is taken out of the middle in constant time.
  struct Mailbox {
    InboxNode* head = nullptr;
    InboxNode** tail = &head;
    void push(InboxNode* n) {
      n->next = nullptr;
      *tail = n;
      tail = &n->next;
    }
    InboxNode* take(InboxNode** at) {
      InboxNode* n = *at;
      *at = n->next;
      if (tail == &n->next) tail = at;
      return n;
    }
    template <class F>
    void erase_if(F&& pred) {
      for (InboxNode** at = &head; *at;) {
        if (pred((*at)->env)) {
          InboxNode::release(take(at));
        } else {
          at = &(*at)->next;
        }
      }
    }
    void clear() {
      while (head) InboxNode::release(take(&head));
    }
  } mailbox;
  // The call references whose replies are still awaited (OTP 24's process
  // aliases): a CallReply is delivered only while its call waits for it; a
  // late one is dropped when the owner drains the inbox (deterministic: on
  // arrival). Owner only; nearly always empty or one entry.
  std::vector<std::uint64_t> aliases;

  std::mutex mu;  // guards everything below, and state changes
  // The receive in progress, if any.
  bool receiving = false;
  bool yielding = false;
  Predicate pred;
  InboxNode** scan_from = nullptr;  // past the prefix known not to match
  InboxNode** match = nullptr;      // the matching message's position
  bool timed_out = false;
  bool timer_armed = false;  // this receive's timer is set (re-parking sets none)
  Timeout timeout{};
  std::uint64_t wait_seq = 0;

  // The exit the process takes at its next step: an exit signal that reached
  // it while it ran, or (deterministic) its body's own end.
  std::optional<ExitReason> pending_exit;
  std::atomic<bool> exit_requested{false};  // a signal set pending_exit: readable without mu
  bool trap_exit = false;
  std::vector<Pid> links;
  std::vector<Watcher> watchers;
  std::optional<Key> registered;

  std::unordered_map<std::uint64_t, Pid> monitoring;  // own monitors; owner thread only

  Process() = default;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // Messages sent after the exit are dropped here, never delivered.
  ~Process() {
    discard_inbox();
    mailbox.clear();
  }
  void discard_inbox() {
    InboxNode* n = inbox.exchange(nullptr, std::memory_order_acquire);
    while (n) InboxNode::release(std::exchange(n, n->next));
  }
  bool has_alias(Ref ref) const { return std::find(aliases.begin(), aliases.end(), ref.id) != aliases.end(); }
  // Owner only: moves what senders pushed into the mailbox, oldest first.
  // Returns whether anything arrived.
  bool drain_inbox() {
    if (!inbox.load(std::memory_order_relaxed)) return false;
    InboxNode* n = inbox.exchange(nullptr, std::memory_order_acquire);
    InboxNode* oldest = nullptr;
    while (n) {  // newest first: reverse
      InboxNode* next = n->next;
      n->next = oldest;
      oldest = n;
      n = next;
    }
    while (oldest) {
      InboxNode* next = oldest->next;
      const Envelope& env = oldest->env;
      if (env.msg.is<CallReply>() && !has_alias(env.msg.as<CallReply>().ref)) {
        InboxNode::release(oldest);
      } else {
        mailbox.push(oldest);
      }
      oldest = next;
    }
    return true;
  }
};

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

namespace {
using Clock = std::chrono::steady_clock;

// An empty predicate (receive_any) takes any message without a call.
bool matches(const Predicate& pred, const Envelope& e) { return !pred || pred(e); }

struct TimerEntry {
  std::int64_t deadline;  // ns: steady clock (threaded) or virtual time (deterministic)
  std::uint64_t order;    // ties broken by creation order, for determinism
  Pid pid;
  std::uint64_t wait_seq;
  bool operator>(const TimerEntry& o) const {
    return deadline != o.deadline ? deadline > o.deadline : order > o.order;
  }
};

// Operations a process may perform in one threaded step before it yields:
// a process that sends without pause would otherwise keep its worker, and
// the receiver on that worker (its "run next") would drain a mailbox grown
// to the whole burst, out of cache. Erlang's budget is 4000 reductions.
constexpr int kOperationBudget = 2000;

// Whether the operation a process is about to perform (a receive included)
// waits for its next step: always under the deterministic scheduler, so that
// the schedule decides first; threaded, when an exit signal reached the
// process meanwhile (the exit comes first) or its turn's budget is spent.
bool suspends_before_operation(Runtime::Mode mode, Process& p) {
  return mode == Runtime::Mode::deterministic || p.exit_requested.load(std::memory_order_acquire) || --p.budget <= 0;
}
}  // namespace

struct Runtime::Impl {
  Runtime* rt;
  Mode mode;

  mutable std::shared_mutex table_mu;
  std::unordered_map<std::uint64_t, std::shared_ptr<Process>> table;
  mutable std::mutex registry_mu;
  std::unordered_map<Key, Pid, KeyHash> registry;
  std::atomic<std::uint64_t> next_pid{1};
  std::atomic<std::uint64_t> next_ref{1};

  std::mutex exits_mu;
  std::condition_variable exits_cv;
  std::unordered_map<std::uint64_t, ExitReason> exits;

  // Timers (both modes), guarded by run_mu.
  std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>> timers;
  std::uint64_t timer_order = 0;

  // Deterministic mode.
  Observer* observer = nullptr;
  std::uint64_t message_serial = 0;
  std::set<std::uint64_t> ready;
  std::int64_t virtual_now = 0;
  Pid last_run;
  std::unordered_map<std::uint64_t, std::string> names;  // every process ever spawned

  // Threaded mode.
  std::mutex run_mu;
  std::condition_variable run_cv;
  std::deque<std::shared_ptr<Process>> run_queue;
  std::atomic<std::size_t> queued{0};  // run_queue.size(), readable without run_mu
  // After this many "run next" hand-offs in a row a worker lets queued
  // processes go first, if there are any.
  static constexpr unsigned kNextSlotStreak = 64;
  std::size_t idle_workers = 0;
  bool stopping = false;
  std::vector<std::thread> workers;

  static thread_local Impl* tl_impl;
  static thread_local std::shared_ptr<Process>* tl_next;  // the worker's "run next" slot
  static thread_local unsigned tl_next_streak;

  bool deterministic() const { return mode == Mode::deterministic; }

  // --- observation (deterministic only) ---
  void access(std::uint64_t object, bool write) {
    if (observer) observer->on_access(object, write);
  }
  template <class F>
  void event(Pid actor, F&& make_text) {
    if (observer && observer->wants_events()) {
      observer->on_event(actor, actor.is_nil() ? std::string("runtime") : label(actor), make_text());
    }
  }
  static std::string describe(const Message& m) {
    if (m.is<CallRequest>()) return "call " + std::string(m.as<CallRequest>().request.label);
    if (m.is<CastRequest>()) return "cast " + std::string(m.as<CastRequest>().request.label);
    if (m.is<CallReply>()) return "reply " + std::string(m.as<CallReply>().value.label);
    if (m.is<Down>()) return "DOWN(" + m.as<Down>().reason.to_string() + ")";
    if (m.is<ExitSignal>()) return "EXIT(" + m.as<ExitSignal>().reason.to_string() + ")";
    return std::string(m.label);
  }
  std::string label(Pid pid) {
    if (pid.is_nil()) return "nil";
    if (deterministic()) {
      auto it = names.find(pid.id);
      if (it != names.end()) return it->second + to_string(pid);
    }
    return to_string(pid);
  }

  std::shared_ptr<Process> lookup(Pid pid) const {
    std::shared_lock lk(table_mu);
    auto it = table.find(pid.id);
    return it == table.end() ? nullptr : it->second;
  }

  // --- scheduling ---
  // to_back: the process yields (its budget is spent): it queues behind the
  // others instead of running next on this worker.
  void make_ready(const std::shared_ptr<Process>& p, bool to_back = false) {
    if (deterministic()) {
      ready.insert(p->pid.id);
      return;
    }
    // Keep a request/reply ping-pong on one worker: the process woken by the
    // running one runs next here, without waking another thread. A streak
    // limit keeps the shared queue from starving (only if it holds work:
    // handing an uncontended chain to another thread costs a wake-up).
    if (!to_back && tl_impl == this && tl_next && !*tl_next &&
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
      wake = idle_workers > 0 && !(to_back && tl_impl == this && run_queue.empty());
      run_queue.push_back(p);
      queued.store(run_queue.size(), std::memory_order_relaxed);
    }
    if (wake) run_cv.notify_one();
  }

  void add_timer(Pid pid, std::uint64_t seq, Timeout timeout) {
    access(object::timers(), true);
    std::int64_t base = deterministic() ? virtual_now
                                        : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                              Clock::now().time_since_epoch())
                                              .count();
    std::int64_t deadline = base + std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    {
      std::lock_guard lk(run_mu);
      timers.push(TimerEntry{deadline, timer_order++, pid, seq});
    }
    if (!deterministic()) run_cv.notify_one();
  }

  void fire_timer(const TimerEntry& t) {
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
  void run_step(const std::shared_ptr<Process>& p) {
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
      // Threaded, a sender wakes a waiting receiver for any message, and a
      // timer wakes it too: the owner checks what arrived, and waits again
      // if nothing matches (see settle_receive).
      if (!deterministic() && p->receiving && !p->match) {
        bool arm = false;
        if (settle_receive(*p, arm) != Settled::resume) {
          let_go_waiting(p, lk, arm);
          return;
        }
      }
    }
    p->budget = kOperationBudget;
    if (!p->started) {
      p->started = true;
      event(p->pid, [] { return "starts"; });
    }
    p->resume_point.resume();
    after_step(p);
  }

  void after_step(const std::shared_ptr<Process>& p) {
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
      if (deterministic()) {
        // Exiting is an operation too: the schedule decides when it happens.
        {
          std::lock_guard lk(p->mu);
          if (!p->pending_exit) p->pending_exit = std::move(reason);  // a signal's reason wins
          p->state = Process::State::ready;
        }
        make_ready(p);
        return;
      }
      finalize(p, std::move(reason));
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
  void let_go_waiting(const std::shared_ptr<Process>& p, std::unique_lock<std::mutex>& lk, bool arm) {
    std::uint64_t seq = p->wait_seq;
    Timeout timeout = p->timeout;
    Pid pid = p->pid;
    lk.unlock();
    if (arm) add_timer(pid, seq, timeout);
  }

  enum class Settled {
    resume,      // a match, or a poll or timer that found none: resume the receive
    parked,      // waiting: a sender or the timer makes it ready
    taken_over,  // a sender made it ready meanwhile: it is queued, not ours now
  };
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
  // owner does here, so only senders race with it.
  Settled settle_receive(Process& p, bool& arm) {
    for (;;) {
      if (!deterministic()) p.drain_inbox();
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

  // --- messages, signals, exits ---
  void deliver(Pid to, Envelope env) {
    if (!deterministic()) {
      deliver_threaded(to, std::move(env));
      return;
    }
    access(object::life(to), false);
    access(object::mailbox(to), true);
    std::shared_ptr<Process> woken;
    {
      std::shared_lock table_lock(table_mu);
      auto it = table.find(to.id);
      if (it == table.end()) return;
      Process* p = it->second.get();
      std::lock_guard lk(p->mu);
      if (p->state == Process::State::exited) return;
      if (env.msg.is<CallReply>() && !p->has_alias(env.msg.as<CallReply>().ref)) {
        event(Pid{}, [&] { return "drops a late reply to " + label(to) + " (its call is over)"; });
        return;
      }
      if (observer) {
        env.serial = ++message_serial;
        observer->on_message(env.serial, false);
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
    if (woken) make_ready(woken);
  }

  // Lock-free on the receiver: a push onto its inbox, and a wake-up if it
  // waits (see settle_receive). Late replies are dropped by the owner.
  void deliver_threaded(Pid to, Envelope env) {
    std::shared_ptr<Process> woken;
    {
      // The table's shared lock keeps the process alive while we queue: no
      // reference count traffic per message, only when it wakes up.
      std::shared_lock table_lock(table_mu);
      auto it = table.find(to.id);
      if (it == table.end()) return;
      Process* p = it->second.get();
      // A process that exits after this check never takes the message: it
      // is freed with the process.
      if (p->state.load(std::memory_order_acquire) == Process::State::exited) return;
      auto* node = Process::InboxNode::make(p->inbox.load(std::memory_order_relaxed), std::move(env));
      while (!p->inbox.compare_exchange_weak(node->next, node, std::memory_order_seq_cst,
                                             std::memory_order_relaxed)) {
      }
      auto waiting = Process::State::waiting;
      if (p->state.load(std::memory_order_seq_cst) == waiting &&
          p->state.compare_exchange_strong(waiting, Process::State::ready, std::memory_order_seq_cst)) {
        woken = it->second;
      }
    }
    if (woken) make_ready(woken);
  }

  // An exit signal from `from` (or the runtime); killed cannot be trapped.
  void signal_exit(Pid target, ExitReason reason, Pid from, bool untrappable) {
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

  void finalize(const std::shared_ptr<Process>& p, ExitReason reason) {
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
    if (deterministic()) ready.erase(p->pid.id);
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

  Pid spawn(Pid parent, std::string name, ProcessBody body, SpawnOptions options) {
    access(object::spawn_counter(), true);
    auto p = std::make_shared<Process>();
    p->pid = Pid{next_pid.fetch_add(1)};
    p->name = std::move(name);
    p->body = std::move(body);
    p->trap_exit = options.trap_exit;
    p->watched_exit = parent.is_nil();
    p->task.emplace(p->body(Self(rt, p.get())));
    p->resume_point = p->task->handle();
    if (deterministic()) names[p->pid.id] = p->name;
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

  std::optional<Pid> whereis(Pid actor, const Key& key) {
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

  // --- threaded workers ---
  void worker_main() {
    tl_impl = this;
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
      run_step(p);
    }
  }

  // Blocks until there is work: a process from the run queue (into p), or
  // timers fired, one of which may have filled the next slot. False when
  // the runtime stops.
  bool take_work(std::shared_ptr<Process>& p, const std::shared_ptr<Process>& next,
                 std::vector<TimerEntry>& due) {
    std::unique_lock lk(run_mu);
    for (;;) {
      if (stopping) return false;
      auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
      while (!timers.empty() && timers.top().deadline <= now) {
        due.push_back(timers.top());
        timers.pop();
      }
      if (!due.empty()) {
        lk.unlock();
        for (const auto& t : due) fire_timer(t);
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
      if (timers.empty()) {
        run_cv.wait(lk);
      } else {
        run_cv.wait_until(lk, Clock::time_point(std::chrono::nanoseconds(timers.top().deadline)));
      }
      --idle_workers;
    }
  }
};

thread_local Runtime::Impl* Runtime::Impl::tl_impl = nullptr;
thread_local std::shared_ptr<Process>* Runtime::Impl::tl_next = nullptr;
thread_local unsigned Runtime::Impl::tl_next_streak = 0;

// --- Runtime ---

namespace {
// The default deterministic policy: round robin in pid order, so that a
// process polling with yield() cannot starve the others.
Pid next_round_robin(const std::vector<Pid>& ready, Pid last_run) {
  for (Pid p : ready) {
    if (p > last_run) return p;
  }
  return ready.front();
}
}  // namespace

Runtime::Runtime(Mode mode, unsigned workers) : mode_(mode), impl_(std::make_unique<Impl>()) {
  impl_->rt = this;
  impl_->mode = mode;
  if (mode == Mode::threaded) {
    if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < workers; ++i) impl_->workers.emplace_back([this] { impl_->worker_main(); });
  }
}

std::unique_ptr<Runtime> Runtime::threaded(unsigned workers) {
  return std::unique_ptr<Runtime>(new Runtime(Mode::threaded, workers));
}
std::unique_ptr<Runtime> Runtime::deterministic() {
  return std::unique_ptr<Runtime>(new Runtime(Mode::deterministic, 0));
}

Runtime::~Runtime() {
  {
    std::lock_guard lk(impl_->run_mu);
    impl_->stopping = true;
  }
  impl_->run_cv.notify_all();
  for (auto& t : impl_->workers) t.join();
  impl_->run_queue.clear();
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
  auto recorded = [&]() -> std::optional<ExitReason> {
    std::lock_guard lk(impl_->exits_mu);
    auto it = impl_->exits.find(pid.id);
    if (it == impl_->exits.end()) return std::nullopt;
    return it->second;
  };
  if (mode_ == Mode::deterministic) {
    for (;;) {
      if (auto r = recorded()) return r;
      auto ready = ready_processes();
      if (ready.empty()) {
        if (!fire_next_timeout()) return std::nullopt;
        continue;
      }
      step(next_round_robin(ready, impl_->last_run));
    }
  }
  std::unique_lock lk(impl_->exits_mu);
  impl_->exits_cv.wait_for(lk, wall_timeout, [&] { return impl_->exits.count(pid.id) > 0; });
  auto it = impl_->exits.find(pid.id);
  if (it == impl_->exits.end()) return std::nullopt;
  return it->second;
}

void Runtime::set_observer(Observer* observer) { impl_->observer = observer; }

std::vector<Pid> Runtime::ready_processes() const {
  std::vector<Pid> out;
  out.reserve(impl_->ready.size());
  for (auto id : impl_->ready) out.push_back(Pid{id});
  return out;
}

void Runtime::step(Pid pid) {
  assert(mode_ == Mode::deterministic);
  if (!impl_->ready.erase(pid.id)) return;
  auto p = impl_->lookup(pid);
  if (!p) return;
  impl_->last_run = pid;
  impl_->access(object::life(pid), false);  // a step needs its process alive
  impl_->run_step(p);
}

bool Runtime::fire_next_timeout() {
  // Virtual time only moves when nothing can run: a timeout never races a
  // message that is already on its way.
  while (!impl_->timers.empty()) {
    TimerEntry t = impl_->timers.top();
    impl_->timers.pop();
    auto p = impl_->lookup(t.pid);
    if (!p) continue;
    {
      std::lock_guard lk(p->mu);
      if (p->state != Process::State::waiting || !p->receiving || p->wait_seq != t.wait_seq) continue;
    }
    impl_->virtual_now = std::max(impl_->virtual_now, t.deadline);
    impl_->fire_timer(t);
    return true;
  }
  return false;
}

void Runtime::run_until_quiescent() {
  for (;;) {
    auto ready = ready_processes();
    if (ready.empty()) {
      if (!fire_next_timeout()) return;
      continue;
    }
    step(next_round_robin(ready, impl_->last_run));
  }
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

// --- awaiters ---

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
  if (suspends_before_operation(rt_->mode(), *proc_)) return false;
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

// --- Self ---

Pid Self::pid() const { return proc_->pid; }
const std::string& Self::name() const { return proc_->name; }

// --- operations ---

OperationAwaiter::OperationAwaiter(Runtime* rt, Process* proc)
    : rt_(rt), proc_(proc), scheduled_(suspends_before_operation(rt->mode(), *proc)) {}

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
