#include "explore/scenario_kit.h"

#include <memory>
#include <utility>

namespace peer::explore {

namespace {

class PartsScenario final : public Scenario {
 public:
  explicit PartsScenario(ScenarioParts parts) : parts_(std::move(parts)) {}

  void start(Runtime& rt) override {
    for (ProcessSpec& p : parts_.processes) rt.spawn(p.name, std::move(p.body), std::move(p.options));
  }
  std::vector<Pid> fault_targets(Runtime& rt) override {
    return parts_.fault_targets ? parts_.fault_targets(rt) : std::vector<Pid>{};
  }
  void on_exit(Pid pid, const std::string& name, const ExitReason& reason) override {
    if (parts_.on_exit) parts_.on_exit(pid, name, reason);
  }
  std::optional<Violation> after_step(Runtime& rt) override { return first_broken(rt, parts_.always, 1); }
  std::optional<Violation> at_quiescence(Runtime& rt) override {
    if (auto v = first_broken(rt, parts_.always, 1)) return v;
    return first_broken(rt, parts_.at_quiescence, static_cast<int>(parts_.always.size()) + 1);
  }
  std::string outcome(Runtime& rt) override { return parts_.outcome ? parts_.outcome(rt) : std::string(); }

 private:
  static std::optional<Violation> first_broken(Runtime& rt, const std::vector<Invariant>& list, int first_number) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (auto what = list[i].check(rt)) {
        int number = first_number + static_cast<int>(i);
        return Violation{number, *what, "invariant " + std::to_string(number) + " (" + list[i].name + ")"};
      }
    }
    return std::nullopt;
  }

  ScenarioParts parts_;
};

}  // namespace

ScenarioFactory make_scenario(std::function<ScenarioParts()> build) {
  return [build = std::move(build)] { return std::make_unique<PartsScenario>(build()); };
}

std::function<std::vector<Pid>(Runtime&)> kill_registered(Key key) {
  return [key = std::move(key)](Runtime& rt) {
    std::vector<Pid> out;
    if (auto pid = rt.registered(key)) out.push_back(*pid);
    return out;
  };
}

}  // namespace peer::explore
