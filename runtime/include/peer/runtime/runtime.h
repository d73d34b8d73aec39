// peer/runtime/runtime.h - processes, mailboxes, registry, monitors, links, call.
//
// Semantics follow Erlang's (see docs/runtime.md). One Runtime object runs
// either threaded (worker threads run ready processes, M:N) or deterministic
// (one thread; an external driver picks which ready process takes the next
// step, so that a schedule reproduces a run bit for bit).
//
// A process is a coroutine returning Task<void> that receives a Self: its
// handle to the runtime. Only the process itself uses its Self.
#ifndef PEER_RUNTIME_RUNTIME_H
#define PEER_RUNTIME_RUNTIME_H

#include <any>
#include <chrono>
#include <compare>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

#include "peer/annotations.h"
#include "peer/runtime/task.h"

namespace peer {

// A process identifier. Never reused; the default value (id 0) names no
// process, and every operation on it behaves as on a dead process (noproc).
struct Pid {
  std::uint64_t id = 0;
  bool is_nil() const { return id == 0; }
  friend auto operator<=>(const Pid&, const Pid&) = default;
};
std::string to_string(Pid pid);  // "<0.7>"

// A unique reference (monitors, calls).
struct Ref {
  std::uint64_t id = 0;
  friend auto operator<=>(const Ref&, const Ref&) = default;
};

enum class ExitKind : std::uint8_t { normal, shutdown, killed, error, noproc };

struct ExitReason {
  ExitKind kind = ExitKind::normal;
  std::string text;  // for error: what went wrong

  static ExitReason normal() { return {ExitKind::normal, {}}; }
  static ExitReason shutdown() { return {ExitKind::shutdown, {}}; }
  static ExitReason killed() { return {ExitKind::killed, {}}; }
  static ExitReason noproc() { return {ExitKind::noproc, {}}; }
  static ExitReason error(std::string what) { return {ExitKind::error, std::move(what)}; }
  // normal and shutdown are clean exits: links do not propagate them as
  // crashes and supervisors with a transient policy do not restart.
  bool is_clean() const { return kind == ExitKind::normal || kind == ExitKind::shutdown; }
  std::string to_string() const;
  friend bool operator==(const ExitReason&, const ExitReason&) = default;
};

std::ostream& operator<<(std::ostream& out, const ExitReason& reason);

// Registry key: a tuple of strings, e.g. {stack_id, shape_handle}.
struct Key {
  std::vector<std::string> parts;
  Key() = default;
  Key(std::initializer_list<std::string> items) : parts(items) {}
  std::string to_string() const;  // "{stack, shape}"
  friend bool operator==(const Key&, const Key&) = default;
};
struct KeyHash {
  std::size_t operator()(const Key& key) const noexcept;
};

// A message payload: any copyable value, with a short label for traces.
// A type may declare `static constexpr std::string_view kLabel = "...";`.
struct Message {
  std::any body;
  std::string_view label = "message";

  template <class T>
  static Message of(T value) {
    Message m;
    if constexpr (requires { T::kLabel; }) m.label = T::kLabel;
    m.body = std::move(value);
    return m;
  }
  template <class T>
  bool is() const {
    return body.type() == typeid(T);
  }
  // Throws std::bad_any_cast on a type mismatch (the process then exits
  // with an error) rather than reading through a null pointer.
  template <class T>
  const T& as() const {
    return std::any_cast<const T&>(body);
  }
  template <class T>
  T& as() {
    return std::any_cast<T&>(body);
  }
};

struct Envelope {
  Pid from;
  Message msg;
  // Deterministic runs: which delivery this is (see Observer::on_message).
  std::uint64_t serial = 0;
  template <class T>
  bool is() const {
    return msg.is<T>();
  }
  template <class T>
  const T& as() const {
    return msg.as<T>();
  }
};

// System messages.
struct Down {
  static constexpr std::string_view kLabel = "DOWN";
  Ref ref;
  Pid pid;
  ExitReason reason;
  std::string tag;
};
struct ExitSignal {  // delivered as a message to processes that trap exits
  static constexpr std::string_view kLabel = "EXIT";
  Pid from;
  ExitReason reason;
};
struct From {  // who is waiting for a call's reply
  Pid caller;
  Ref ref;
};
struct CallRequest {
  static constexpr std::string_view kLabel = "call";
  From from;
  Message request;
};
struct CastRequest {
  static constexpr std::string_view kLabel = "cast";
  Message request;
};
struct CallReply {
  static constexpr std::string_view kLabel = "reply";
  Ref ref;
  Message value;
};

using Timeout = std::chrono::milliseconds;
inline constexpr Timeout kInfinity{-1};

enum class CallError : std::uint8_t { none, noproc, timeout, exited };

// The outcome of call(): a value, or why there is none. Never thrown.
struct CallResult {
  CallError error = CallError::none;
  ExitReason reason;  // for exited
  Message value;
  bool ok() const { return error == CallError::none; }
  template <class T>
  const T& get() const {
    return value.as<T>();
  }
  std::string to_string() const;
};

// Thrown by Self::exit to end the calling process with a reason; a process
// body may also simply co_return (normal).
struct ProcessExit {
  ExitReason reason;
};

class Runtime;
struct Process;
class Self;

using Predicate = std::function<bool(const Envelope&)>;
using ProcessBody = std::function<Task<void>(Self)>;

template <class T>
Predicate is() {
  return [](const Envelope& e) { return e.is<T>(); };
}
// The message that carries ref: a CallReply or a Down with that reference
// (Erlang's `receive {Ref, _}` / `{'DOWN', Ref, ...}`).
Predicate carries(Ref ref);

struct SpawnOptions {
  std::optional<Key> register_as;  // registered atomically with the spawn
  std::optional<Pid> link_to;      // linked before the child first runs
  bool trap_exit = false;
};

// Awaiting a receive yields the matching envelope, or nothing on timeout.
class ReceiveAwaiter {
 public:
  ReceiveAwaiter(Runtime* rt, Process* proc, Predicate pred, Timeout timeout)
      : rt_(rt), proc_(proc), pred_(std::move(pred)), timeout_(timeout) {}
  bool await_ready();
  void await_suspend(std::coroutine_handle<> h);
  std::optional<Envelope> await_resume();

 private:
  Runtime* rt_;
  Process* proc_;
  Predicate pred_;
  Timeout timeout_;
  std::optional<Envelope> early_;  // matched without suspending
  bool done_early_ = false;
};

// Suspends and stays ready: a pure scheduling point.
class YieldAwaiter {
 public:
  explicit YieldAwaiter(Process* proc) : proc_(proc) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h);
  void await_resume() const noexcept {}

 private:
  Process* proc_;
};

// Every runtime operation a process performs is awaited, and takes effect
// when awaited: `co_await self.send(pid, msg)`. Threaded, the awaiter is
// ready at once and the operation runs inline (no suspension), unless an
// exit signal reached the process meanwhile: then it exits first. Deterministic,
// the process first suspends and stays ready, so the schedule decides which
// process takes the next step - and may inject a fault - before the
// operation takes effect: a decision at every operation, as the preemptive
// Erlang scheduler may switch at any of them.
class OperationAwaiter {
 public:
  bool await_ready() const noexcept { return !scheduled_; }
  void await_suspend(std::coroutine_handle<> h) const;

 protected:
  OperationAwaiter(Runtime* rt, Process* proc);
  Runtime* rt_;
  Process* proc_;
  bool scheduled_;
};

#define PEER_OPERATION [[nodiscard("a runtime operation takes effect only when co_awaited")]]

class PEER_OPERATION WhereisOp : public OperationAwaiter {
 public:
  WhereisOp(Runtime* rt, Process* proc, Key key) : OperationAwaiter(rt, proc), key_(std::move(key)) {}
  std::optional<Pid> await_resume();

 private:
  Key key_;
};

// send, cast, reply: a message on its way.
class PEER_OPERATION SendOp : public OperationAwaiter {
 public:
  enum class Kind : std::uint8_t { send, cast, reply, call };
  SendOp(Runtime* rt, Process* proc, Kind kind, Pid to, Message&& msg)
      : OperationAwaiter(rt, proc), kind_(kind), to_(to), msg_(std::move(msg)) {}
  void await_resume();

 private:
  Kind kind_;
  Pid to_;
  Message msg_;
};

class PEER_OPERATION MonitorOp : public OperationAwaiter {
 public:
  MonitorOp(Runtime* rt, Process* proc, Pid target, std::string tag)
      : OperationAwaiter(rt, proc), target_(target), tag_(std::move(tag)) {}
  Ref await_resume();

 private:
  Pid target_;
  std::string tag_;
};

class PEER_OPERATION DemonitorOp : public OperationAwaiter {
 public:
  DemonitorOp(Runtime* rt, Process* proc, Ref ref, bool flush) : OperationAwaiter(rt, proc), ref_(ref), flush_(flush) {}
  void await_resume();

 private:
  Ref ref_;
  bool flush_;
};

class PEER_OPERATION LinkOp : public OperationAwaiter {
 public:
  LinkOp(Runtime* rt, Process* proc, Pid other, bool link) : OperationAwaiter(rt, proc), other_(other), link_(link) {}
  void await_resume();

 private:
  Pid other_;
  bool link_;  // false: unlink
};

class PEER_OPERATION SpawnOp : public OperationAwaiter {
 public:
  SpawnOp(Runtime* rt, Process* proc, std::string name, ProcessBody body, SpawnOptions options)
      : OperationAwaiter(rt, proc), name_(std::move(name)), body_(std::move(body)), options_(std::move(options)) {}
  Pid await_resume();

 private:
  std::string name_;
  ProcessBody body_;
  SpawnOptions options_;
};

// An exit signal to another process.
class PEER_OPERATION ExitOp : public OperationAwaiter {
 public:
  ExitOp(Runtime* rt, Process* proc, Pid target, ExitReason reason)
      : OperationAwaiter(rt, proc), target_(target), reason_(std::move(reason)) {}
  void await_resume();

 private:
  Pid target_;
  ExitReason reason_;
};

#undef PEER_OPERATION

// A process's handle to the runtime. Its operations are awaited (see
// OperationAwaiter); pid(), name(), trap_exit, note and touch are local and
// plain.
class Self {
 public:
  Self(Runtime* rt, Process* proc) : rt_(rt), proc_(proc) {}

  Pid pid() const;
  const std::string& name() const;
  Runtime& runtime() const { return *rt_; }

  // co_await: the registered pid, or nothing.
  PEER_LOOKUP WhereisOp whereis(Key key) const { return WhereisOp(rt_, proc_, std::move(key)); }

  PEER_CALL(0) SendOp send(Pid to, Message msg) const {
    return SendOp(rt_, proc_, SendOp::Kind::send, to, std::move(msg));
  }
  template <class T>
  PEER_CALL(0)
  SendOp send_value(Pid to, T value) const {
    return send(to, Message::of(std::move(value)));
  }

  // Down{ref, target, reason, tag} arrives when target exits; at once with
  // reason noproc if it is already dead. co_await: the monitor's Ref.
  PEER_MONITOR(0) MonitorOp monitor(Pid target, std::string tag = {}) const {
    return MonitorOp(rt_, proc_, target, std::move(tag));
  }
  // Removes the monitor; with flush, also drops its Down if already queued.
  DemonitorOp demonitor(Ref ref, bool flush = true) const { return DemonitorOp(rt_, proc_, ref, flush); }

  // A link reports exits; it is not a request to the peer.
  LinkOp link(Pid other) const { return LinkOp(rt_, proc_, other, true); }
  LinkOp unlink(Pid other) const { return LinkOp(rt_, proc_, other, false); }
  void trap_exit(bool on) const;  // local: the process's own flag

  ReceiveAwaiter receive(Predicate pred, Timeout timeout = kInfinity) const {
    return ReceiveAwaiter(rt_, proc_, std::move(pred), timeout);
  }
  // By reference: the first message that carries ref (see carries),
  // leaving everything else queued.
  ReceiveAwaiter receive(Ref ref, Timeout timeout = kInfinity) const { return receive(carries(ref), timeout); }
  ReceiveAwaiter receive_any(Timeout timeout = kInfinity) const {
    return receive(Predicate(), timeout);  // empty: any message
  }
  YieldAwaiter yield() const { return YieldAwaiter(proc_); }

  // gen:call: monitor the callee, send the request tagged with the monitor's
  // reference, wait for the reply or the Down. Never hangs on a dead callee.
  PEER_CALL(0) Task<CallResult> call(Pid target, Message request, Timeout timeout = kInfinity) const;
  // Fire and forget request to a GenServer.
  PEER_CALL(0) SendOp cast(Pid target, Message request) const {
    return SendOp(rt_, proc_, SendOp::Kind::cast, target, Message::of(CastRequest{std::move(request)}));
  }
  // Answers a call (also later: deferred replies).
  SendOp reply(const From& from, Message value) const {
    return SendOp(rt_, proc_, SendOp::Kind::reply, from.caller, Message::of(CallReply{from.ref, std::move(value)}));
  }

  // co_await: the new pid (nil if register_as is taken).
  SpawnOp spawn(std::string name, ProcessBody body, SpawnOptions options = {}) const {
    return SpawnOp(rt_, proc_, std::move(name), std::move(body), std::move(options));
  }
  // Sends an exit signal to target (killed cannot be trapped).
  PEER_CALL(0) ExitOp exit(Pid target, ExitReason reason) const {
    return ExitOp(rt_, proc_, target, std::move(reason));
  }
  // Ends the calling process (throws ProcessExit out of the body). Its exit
  // - name released, monitors and links fired - is the process's next
  // operation, like a body's co_return.
  [[noreturn]] void exit(ExitReason reason) const;

  // Records a runtime-visible event (for deterministic traces) and a shared
  // object this step reads or writes (for the explorer's independence check).
  void note(std::string_view what) const;
  void touch(std::uint64_t shared_object, bool write) const;

 private:
  Runtime* rt_;
  Process* proc_;
};

// Observes a deterministic run: events for traces, footprints for the
// explorer, exits for invariants. All calls happen on the driving thread.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual bool wants_events() const { return false; }
  // actor is nil for the runtime itself (e.g. an injected fault).
  virtual void on_event(Pid /*actor*/, const std::string& /*actor_label*/, const std::string& /*text*/) {}
  virtual void on_access(std::uint64_t /*object*/, bool /*write*/) {}
  virtual void on_exit(Pid /*pid*/, const std::string& /*name*/, const ExitReason& /*reason*/) {}
  // A message queued (consumed false) or taken by a receive (true), by the
  // serial of its delivery: a receive cannot be moved before the step that
  // sent what it took.
  virtual void on_message(std::uint64_t /*serial*/, bool /*consumed*/) {}
};

// Footprint object identifiers (see Observer::on_access). A process is
// several objects, so that operations on different parts of it commute:
// whether it is alive (read by each of its steps and by everything that
// reaches it, written by its exit), its mailbox, the monitors on it, and its
// links with its trap_exit flag.
namespace object {
inline constexpr std::uint64_t life(Pid pid) { return (1ULL << 56) | pid.id; }
std::uint64_t key(const Key& key);
inline constexpr std::uint64_t spawn_counter() { return 3ULL << 56; }
inline constexpr std::uint64_t shared(std::uint64_t id) { return (4ULL << 56) | id; }
inline constexpr std::uint64_t mailbox(Pid pid) { return (5ULL << 56) | pid.id; }
inline constexpr std::uint64_t monitors_on(Pid pid) { return (6ULL << 56) | pid.id; }
inline constexpr std::uint64_t links(Pid pid) { return (7ULL << 56) | pid.id; }
// The timer queue: timers set at one virtual time fire in the order they
// were set, so setting a timer conflicts with setting another.
inline constexpr std::uint64_t timers() { return 8ULL << 56; }
}  // namespace object

class Runtime {
 public:
  enum class Mode { threaded, deterministic };

  static std::unique_ptr<Runtime> threaded(unsigned workers = 0);  // 0: hardware threads
  static std::unique_ptr<Runtime> deterministic();
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  Mode mode() const { return mode_; }

  // From outside any process (tests, main).
  Pid spawn(std::string name, ProcessBody body, SpawnOptions options = {});
  PEER_LOOKUP std::optional<Pid> whereis(const Key& key) const;
  // The same lookup, unobserved (no trace event, no footprint): for a
  // scenario's invariants and fault targets, which are not steps.
  std::optional<Pid> registered(const Key& key) const;
  PEER_CALL(0) void send(Pid to, Message msg);
  PEER_CALL(0) void exit(Pid target, ExitReason reason);
  bool is_alive(Pid pid) const;
  std::string name_of(Pid pid) const;  // "" once dead

  // Blocks until pid exits (threaded) or drives the schedule with the default
  // policy until it exits (deterministic); nullopt on wall-clock timeout or
  // deterministic quiescence without that exit.
  std::optional<ExitReason> wait_exit(Pid pid, std::chrono::milliseconds wall_timeout = std::chrono::seconds(10));

  // --- deterministic driving ---
  void set_observer(Observer* observer);
  std::vector<Pid> ready_processes() const;  // ascending
  void step(Pid pid);                          // run pid until it next suspends
  bool fire_next_timeout();                    // advance virtual time; false if none
  bool has_pending_timeout();                  // whether fire_next_timeout would fire one
  // Runs the default policy (round robin in pid order) until nothing can run.
  void run_until_quiescent();
  std::size_t live_processes() const;
  // Who monitors target, with each monitor's tag (for invariant checks).
  std::vector<std::pair<Pid, std::string>> watchers_of(Pid target) const;
  // The objects exit(target, killed) would touch now, (object, write), as
  // Observer::on_access reports them: a superset, from the target's links,
  // monitors and name and those of the linked processes its exit would take
  // along. For the explorer, which needs a fault's footprint before it runs.
  std::vector<std::pair<std::uint64_t, bool>> exit_footprint(Pid target) const;

  struct Impl;

 private:
  explicit Runtime(Mode mode, unsigned workers);
  friend class Self;
  friend class ReceiveAwaiter;
  friend class YieldAwaiter;
  friend class OperationAwaiter;
  friend class WhereisOp;
  friend class SendOp;
  friend class MonitorOp;
  friend class DemonitorOp;
  friend class LinkOp;
  friend class SpawnOp;
  friend class ExitOp;
  Mode mode_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace peer

#endif  // PEER_RUNTIME_RUNTIME_H
