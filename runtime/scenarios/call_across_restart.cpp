#include "scenarios/call_across_restart.h"

#include <memory>
#include <string>

#include "peer/runtime/gen_server.h"

namespace peer::scenarios {

namespace {

using namespace explore;

struct Add {
  static constexpr std::string_view kLabel = "add";
  int n = 0;
};

struct State {
  bool done = false;
  bool answered = false;
  int answer = 0;
  int server_kills = 0;
  std::string why;  // when it gave up
};

Key server_key() { return Key{"server"}; }

Task<void> server(Self self) {
  for (;;) {
    auto env = co_await self.receive(is<CallRequest>());
    const CallRequest& request = env->as<CallRequest>();
    Message answer = Message::of(request.request.as<Add>().n + 1);
    co_await self.reply(request.from, std::move(answer));
  }
}

// Waits (a timer fires only when nothing else can run) until the
// supervisor has registered a server, and returns it.
Task<Pid> lookup_server(Self self) {
  Key key = server_key();
  for (;;) {
    std::optional<Pid> pid = co_await self.whereis(key);
    if (pid) co_return *pid;
    auto nothing = co_await self.receive([](const Envelope&) { return false; }, Timeout(1));
    (void)nothing;
  }
}

// Looks the server up and calls it once; true when answered. Named locals
// before each co_await: GCC 12 destroys a braced temporary in a co_await's
// full-expression twice.
Task<bool> call_server(Self self, std::shared_ptr<State> state) {
  Pid pid = co_await lookup_server(self);
  Message request = Message::of(Add{41});
  CallResult r = co_await self.call(pid, std::move(request));
  if (!r.ok()) {
    state->why = "call failed: " + r.to_string();
    co_return false;
  }
  state->answered = true;
  state->answer = r.get<int>();
  co_return true;
}

// Calls the pid it looked up, once.
Task<void> racy_client(Self self, std::shared_ptr<State> state) {
  bool answered = co_await call_server(self, state);
  (void)answered;  // the invariants read the state
  state->done = true;
}

// After a failed call, looks the name up again (the restarted server) and
// calls again.
Task<void> corrected_client(Self self, std::shared_ptr<State> state) {
  for (int attempt = 1; attempt <= 3; ++attempt) {
    if (co_await call_server(self, state)) {
      state->done = true;
      co_return;
    }
  }
  state->why = "gave up after 3 attempts, last: " + state->why;
  state->done = true;
}

}  // namespace

ScenarioFactory call_across_restart(RestartVariant variant) {
  return make_scenario([variant] {
    auto state = std::make_shared<State>();
    ScenarioParts parts;
    std::vector<ChildSpec> children;
    children.push_back(ChildSpec{"server", [](Self self) { return server(self); }, server_key(), Restart::permanent});
    parts.processes.push_back({"supervisor", supervisor(std::move(children), 1)});
    parts.processes.push_back({"client", [variant, state](Self self) {
                                 return variant == RestartVariant::racy ? racy_client(self, state)
                                                                        : corrected_client(self, state);
                               }});
    // A fault kills the server incarnation of the moment, while the client
    // still needs it.
    auto registered = kill_registered(server_key());
    parts.fault_targets = [state, registered](Runtime& rt) {
      return state->done ? std::vector<Pid>{} : registered(rt);
    };
    parts.always.push_back({"client gave up", [state](Runtime&) -> std::optional<std::string> {
                              if (state->done && !state->answered) return "the client gave up: " + state->why;
                              return std::nullopt;
                            }});
    parts.at_quiescence.push_back({"client unanswered", [state](Runtime&) -> std::optional<std::string> {
                                     if (!state->answered) return "the client has no answer at quiescence";
                                     if (state->answer != 42) return "the client's answer is wrong";
                                     return std::nullopt;
                                   }});
    parts.on_exit = [state](Pid, const std::string& name, const ExitReason& reason) {
      if (name == "server" && reason.kind == ExitKind::killed) ++state->server_kills;
    };
    parts.outcome = [state](Runtime& rt) {
      return std::string(state->answered ? "answered" : "gave up") + "; server killed " +
             std::to_string(state->server_kills) + " times, " +
             (rt.registered(server_key()) ? "registered" : "not registered");
    };
    return parts;
  });
}

}  // namespace peer::scenarios
