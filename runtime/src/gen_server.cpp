#include "peer/runtime/gen_server.h"

#include <algorithm>

namespace peer {

Task<Action> GenServer::init(Self&) { co_return Action::noreply(); }

Task<CallAction> GenServer::handle_call(Self&, const Message& request, const From&) {
  co_return CallAction::reply_with(
      Message(), Action::stop_with(ExitReason::error("unexpected call " + std::string(request.label))));
}

Task<Action> GenServer::handle_cast(Self&, const Message&) { co_return Action::noreply(); }
Task<Action> GenServer::handle_info(Self&, const Envelope&) { co_return Action::noreply(); }
Task<Action> GenServer::handle_continue(Self&, const Message&) { co_return Action::noreply(); }
Task<void> GenServer::terminate(Self&, const ExitReason&) { co_return; }

namespace {

// Parameters are by value: a coroutine must own what it uses.
Task<void> serve(Self self, std::unique_ptr<GenServer> server) {
  Action next = co_await server->init(self);
  for (;;) {
    while (!next.stop && next.continue_with) {
      Message what = std::move(*next.continue_with);
      next = co_await server->handle_continue(self, what);
    }
    if (next.stop) {
      co_await server->terminate(self, next.reason);
      if (next.reason.kind == ExitKind::normal) co_return;
      self.exit(next.reason);
    }
    std::optional<Envelope> env = co_await self.receive_any();
    if (env->is<CallRequest>()) {
      const auto& request = env->as<CallRequest>();
      CallAction answer = co_await server->handle_call(self, request.request, request.from);
      if (answer.reply) co_await self.reply(request.from, std::move(*answer.reply));
      next = std::move(answer.then);
    } else if (env->is<CastRequest>()) {
      next = co_await server->handle_cast(self, env->as<CastRequest>().request);
    } else {
      next = co_await server->handle_info(self, *env);
    }
  }
}

Task<void> supervise(Self self, std::vector<ChildSpec> specs, int max_restarts) {
  self.trap_exit(true);
  std::vector<Pid> children;
  auto start = [&](const ChildSpec& spec) {
    return self.spawn(spec.name, spec.body, SpawnOptions{spec.register_as, self.pid(), false});
  };
  for (const auto& spec : specs) children.push_back(co_await start(spec));
  int restarts = 0;
  for (;;) {
    std::optional<Envelope> env = co_await self.receive_any();
    if (env->is<CallRequest>()) {
      const auto& request = env->as<CallRequest>();
      if (request.request.is<WhichChildren>()) co_await self.reply(request.from, Message::of(children));
      continue;
    }
    if (!env->is<ExitSignal>()) continue;
    const ExitSignal& signal = env->as<ExitSignal>();
    auto it = std::find(children.begin(), children.end(), signal.from);
    if (it == children.end()) {
      // Not a child: our parent (or a linked peer) tells us to stop, or
      // went down; take the children down and follow (as OTP does).
      if (signal.reason.kind != ExitKind::normal) {
        for (Pid child : children) co_await self.exit(child, ExitReason::shutdown());
        self.exit(signal.reason);
      }
      continue;
    }
    const ChildSpec& spec = specs[static_cast<std::size_t>(it - children.begin())];
    bool wanted = spec.restart == Restart::permanent ||
                  (spec.restart == Restart::transient && !signal.reason.is_clean());
    if (!wanted) {
      *it = Pid{};
      continue;
    }
    if (++restarts > max_restarts) {
      self.note("restart intensity exceeded");
      for (Pid child : children) co_await self.exit(child, ExitReason::shutdown());
      self.exit(ExitReason::shutdown());
    }
    *it = co_await start(spec);
  }
}

}  // namespace

ProcessBody gen_server(std::function<std::unique_ptr<GenServer>()> make) {
  return [make = std::move(make)](Self self) { return serve(self, make()); };
}

ProcessBody supervisor(std::vector<ChildSpec> children, int max_restarts) {
  return [children = std::move(children), max_restarts](Self self) { return supervise(self, children, max_restarts); };
}

}  // namespace peer
