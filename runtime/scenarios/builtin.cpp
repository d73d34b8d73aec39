// The scenarios shipped with the runtime, by name: what peer-explore lists
// (--list) and runs.
#include "electric/scenario.h"
#include "explore/scenario_kit.h"
#include "scenarios/call_across_restart.h"

namespace peer::explore {

const std::vector<RegisteredScenario>& builtin_scenarios() {
  static const std::vector<RegisteredScenario> table = {
      {"materializer",
       "the Consumer/Materializer startup race: a consumer under a supervisor that may restart it, a "
       "materializer, its dependent, a writer",
       {"seed_original", "electric_shipped", "corrected"},
       true,
       [](std::string_view variant, const ScenarioFlags& flags) -> std::optional<ScenarioFactory> {
         auto v = electric::parse_variant(std::string(variant));
         if (!v) return std::nullopt;
         electric::ScenarioOptions options;
         options.variant = *v;
         options.writer_requests_suspend = flags.suspend;
         return electric::materializer_scenario(options);
       }},
      {"restart",
       "a client calls a server registered under {server} that a supervisor restarts once after a fault",
       {"racy", "corrected"},
       false,
       [](std::string_view variant, const ScenarioFlags&) -> std::optional<ScenarioFactory> {
         if (variant == "racy") return scenarios::call_across_restart(scenarios::RestartVariant::racy);
         if (variant == "corrected") return scenarios::call_across_restart(scenarios::RestartVariant::corrected);
         return std::nullopt;
       }},
  };
  return table;
}

const RegisteredScenario* find_scenario(std::string_view name) {
  for (const RegisteredScenario& s : builtin_scenarios()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace peer::explore
