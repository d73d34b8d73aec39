// runtime/src/call.cpp - gen:call. Self::call monitors the callee, sends a
// CallRequest tagged with the monitor's reference, and waits for the reply or
// the Down carrying that reference; the reference is also the call's alias
// (OTP 24's process aliases), so a reply that comes once the call is over is
// dropped rather than left in the mailbox.

#include "core.h"

#include <algorithm>

namespace peer {

Predicate carries(Ref ref) {
  return [ref](const Envelope& e) {
    if (e.is<CallReply>()) return e.as<CallReply>().ref == ref;
    if (e.is<Down>()) return e.as<Down>().ref == ref;
    return false;
  };
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
    proc_->mailbox.erase_if([&](const Envelope& e) { return e.is<CallReply>() && e.as<CallReply>().ref == ref_; });
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

}  // namespace peer
