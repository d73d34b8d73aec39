// runtime/src/process.h - a process as the runtime's core sees it (private).
//
// Process holds a process's coroutine, its mailbox (a lock-free inbox that
// senders push onto, and the private list its owner receives from), the
// receive in progress, its links, the monitors on it and its own monitors.
// Ownership: the process table holds each Process by shared_ptr until it
// exits; run queues and senders hold temporary shared_ptrs so that a process
// object outlives any concurrent access. A process's coroutine frame is only
// resumed by whoever moved it from `ready` to `running`, so no frame ever
// runs on two threads at once; that party (the owner) alone touches the
// process's private mailbox. Also here: the two small rules every operation
// uses (what a predicate matches, whether an operation suspends first).
#ifndef PEER_RUNTIME_SRC_PROCESS_H
#define PEER_RUNTIME_SRC_PROCESS_H

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "peer/runtime/runtime.h"

namespace peer {

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

// An empty predicate (receive_any) takes any message without a call.
inline bool matches(const Predicate& pred, const Envelope& e) { return !pred || pred(e); }

// Whether the operation a process is about to perform (a receive included)
// waits for its next step: when an exit signal reached the process meanwhile
// (the exit comes first) or its step's budget is spent. The deterministic
// scheduler gives every step a budget of none, so that the schedule decides
// before each operation.
inline bool suspends_before_operation(Process& p) {
  return p.exit_requested.load(std::memory_order_acquire) || --p.budget <= 0;
}

}  // namespace peer

#endif  // PEER_RUNTIME_SRC_PROCESS_H
