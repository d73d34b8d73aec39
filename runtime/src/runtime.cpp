// runtime/src/runtime.cpp - the public face of the runtime.
//
// Runtime's own members (construction with a threaded or a deterministic
// scheduler, spawn/send/exit from outside any process, wait_exit, the
// deterministic driving calls, which forward to the DeterministicScheduler),
// Self's plain members, the value types' printing (Pid, ExitReason, Key,
// CallResult), and the core's observation helpers (labels and descriptions
// for a deterministic run's trace). The rest is by concern: process.cpp
// (steps, mailboxes, receive, send, spawn), registry.cpp, monitors_links.cpp
// (exits, exit signals, monitors, links), call.cpp (gen:call), and the two
// schedulers behind scheduler.h.

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
bool Runtime::has_pending_timeout() { return impl_->driven && impl_->driven->has_pending_timeout(); }

void Runtime::run_until_quiescent() {
  if (impl_->driven) impl_->driven->run_until_quiescent();
}

std::size_t Runtime::live_processes() const {
  std::shared_lock lk(impl_->table_mu);
  return impl_->table.size();
}

Pid Self::pid() const { return proc_->pid; }
const std::string& Self::name() const { return proc_->name; }

void Self::exit(ExitReason reason) const { throw ProcessExit{std::move(reason)}; }

void Self::note(std::string_view what) const {
  rt_->impl_->event(proc_->pid, [&] { return std::string(what); });
}

void Self::touch(std::uint64_t shared_object, bool write) const { rt_->impl_->access(shared_object, write); }

}  // namespace peer
