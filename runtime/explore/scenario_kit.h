// explore/scenario_kit.h - the explorer as a library: a scenario made of its
// parts (the processes to spawn, which processes a fault may kill, the
// invariants checked after every step and at quiescence), and the table of
// named scenarios peer-explore lists and runs.
//
//   ScenarioFactory racy = make_scenario([] {
//     auto state = std::make_shared<State>();   // fresh for every run
//     ScenarioParts parts;
//     parts.processes.push_back({"client", client_body(state)});
//     parts.fault_targets = kill_registered(Key{"server"});
//     parts.at_quiescence.push_back({"client answered", [state](Runtime&) { ... }});
//     return parts;
//   });
//   EXPECT_NO_VIOLATION(explore(racy));   // explore/gtest.h
#ifndef PEER_EXPLORE_SCENARIO_KIT_H
#define PEER_EXPLORE_SCENARIO_KIT_H

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "explore/explorer.h"

namespace peer::explore {

struct ProcessSpec {
  std::string name;
  ProcessBody body;
  SpawnOptions options = {};
};

// nullopt when the invariant holds, else what is wrong.
using Check = std::function<std::optional<std::string>(Runtime&)>;

struct Invariant {
  std::string name;  // short, for counting violations by kind
  Check check;
};

// One run's worth of a scenario. The builder passed to make_scenario is
// called afresh for every run: state the processes and checks share lives in
// objects it creates (held by shared_ptr in the bodies and checks).
struct ScenarioParts {
  std::vector<ProcessSpec> processes;  // spawned in order before the first step
  // The processes a fault may kill at a point; none when empty.
  std::function<std::vector<Pid>(Runtime&)> fault_targets;
  // Numbered from 1 in this order: `always` first, then `at_quiescence`.
  std::vector<Invariant> always;         // checked after every step
  std::vector<Invariant> at_quiescence;  // checked when nothing can run and no timer is left
  // How a run ended, without pids (equivalent runs, equal outcomes); optional.
  std::function<std::string(Runtime&)> outcome;
  std::function<void(Pid, const std::string&, const ExitReason&)> on_exit;  // optional
};

ScenarioFactory make_scenario(std::function<ScenarioParts()> build);

// Fault targets: whoever is registered under key when the fault may strike.
std::function<std::vector<Pid>(Runtime&)> kill_registered(Key key);

// A named scenario with variants (peer-explore SCENARIO --variant NAME).
struct ScenarioFlags {
  bool suspend = false;  // materializer only: the writer asks the consumer to suspend
};
struct RegisteredScenario {
  std::string name;
  std::string description;
  std::vector<std::string> variants;
  bool takes_suspend = false;
  // nullopt: no such variant.
  std::function<std::optional<ScenarioFactory>(std::string_view variant, const ScenarioFlags&)> make;
};

// The scenarios shipped with the runtime, and one of them by name. Both are
// defined in runtime/scenarios/builtin.cpp (the protocol layer), so that the
// explorer's library does not depend on the scenarios it explores.
const std::vector<RegisteredScenario>& builtin_scenarios();
const RegisteredScenario* find_scenario(std::string_view name);

}  // namespace peer::explore

#endif  // PEER_EXPLORE_SCENARIO_KIT_H
