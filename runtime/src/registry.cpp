// runtime/src/registry.cpp - the registry: whereis, from a process (an
// observed step, WhereisOp) and from outside (Runtime::whereis, and
// Runtime::registered, unobserved, for invariants). A name is registered
// atomically with its spawn (Runtime::Impl::spawn, process.cpp) and released
// in the same critical section as the exit (finalize, monitors_links.cpp), so
// whereis never returns a dead process and never misses a live one.

#include "core.h"

namespace peer {

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

std::optional<Pid> Runtime::whereis(const Key& key) const { return impl_->whereis(Pid{}, key); }

std::optional<Pid> Runtime::registered(const Key& key) const {
  std::lock_guard lk(impl_->registry_mu);
  auto it = impl_->registry.find(key);
  if (it == impl_->registry.end()) return std::nullopt;
  return it->second;
}

std::optional<Pid> WhereisOp::await_resume() { return rt_->impl_->whereis(proc_->pid, key_); }

}  // namespace peer
