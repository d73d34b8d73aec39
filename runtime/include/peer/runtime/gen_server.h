// peer/runtime/gen_server.h - the GenServer behaviour and a one_for_one supervisor.
#ifndef PEER_RUNTIME_GEN_SERVER_H
#define PEER_RUNTIME_GEN_SERVER_H

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "peer/runtime/runtime.h"

namespace peer {

// What a callback asks the server loop to do next.
struct Action {
  bool stop = false;
  ExitReason reason;                     // when stop
  std::optional<Message> continue_with;  // run handle_continue before the next message

  static Action noreply() { return {}; }
  static Action then_continue(Message m) { return {false, {}, std::move(m)}; }
  static Action stop_with(ExitReason r) { return {true, std::move(r), std::nullopt}; }
};

// handle_call's answer: reply now, or later with Self::reply (deferred).
struct CallAction {
  std::optional<Message> reply;
  Action then;

  static CallAction reply_with(Message m, Action then = Action::noreply()) { return {std::move(m), std::move(then)}; }
  static CallAction deferred(Action then = Action::noreply()) { return {std::nullopt, std::move(then)}; }
};

class GenServer {
 public:
  virtual ~GenServer() = default;
  virtual Task<Action> init(Self& self);
  virtual Task<CallAction> handle_call(Self& self, const Message& request, const From& from);
  virtual Task<Action> handle_cast(Self& self, const Message& request);
  virtual Task<Action> handle_info(Self& self, const Envelope& info);
  virtual Task<Action> handle_continue(Self& self, const Message& what);
  // Called when a callback stops the server (not when it is killed).
  virtual Task<void> terminate(Self& self, const ExitReason& reason);
};

// The process body that runs a GenServer made by `make` (called inside the
// new process, so each incarnation gets fresh state).
ProcessBody gen_server(std::function<std::unique_ptr<GenServer>()> make);

// one_for_one supervision.
enum class Restart { permanent, transient, temporary };

struct ChildSpec {
  std::string name;
  ProcessBody body;
  std::optional<Key> register_as;  // each incarnation is registered under it
  Restart restart = Restart::permanent;
};

struct WhichChildren {  // call request; the reply is std::vector<Pid>
  static constexpr std::string_view kLabel = "which_children";
};

// Starts the children in order, linked; restarts a child that exits (per its
// Restart policy) as a new incarnation under the same key. More than
// max_restarts restarts in total (the intensity period is unbounded) stop the
// supervisor with shutdown, taking the children down.
ProcessBody supervisor(std::vector<ChildSpec> children, int max_restarts);

}  // namespace peer

#endif  // PEER_RUNTIME_GEN_SERVER_H
