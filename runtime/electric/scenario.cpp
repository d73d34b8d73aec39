#include "electric/scenario.h"

#include <sstream>

#include "electric/consumer.h"
#include "electric/materializer.h"

namespace peer::electric {

namespace {

Task<void> write_changes(Self self, Key key, std::vector<Change> changes, bool request_suspend) {
  for (const Change& change : changes) {
    // Replication delivers each change to whichever incarnation is current,
    // so every change looks the consumer up afresh.
    // NOLINTNEXTLINE(peer-repeated-lookup)
    if (auto consumer = co_await self.whereis(key)) co_await self.cast(*consumer, Message::of(NewChange{change}));
  }
  if (request_suspend) {
    // NOLINTNEXTLINE(peer-repeated-lookup): as above
    if (auto consumer = co_await self.whereis(key)) co_await self.send(*consumer, Message::of(SuspendIfIdle{}));
  }
}

Task<void> follow_moves(Self self, ShapeProbe* probe) {
  std::set<int> values;
  for (;;) {
    std::optional<Envelope> env = co_await self.receive_any();
    if (env->is<MoveIn>()) values.insert(env->as<MoveIn>().value);
    if (env->is<MoveOut>()) values.erase(env->as<MoveOut>().value);
    probe->dependent(self.pid(), values);
  }
}

std::string set_to_string(const std::set<int>& values) {
  std::string out = "{";
  for (int v : values) {
    if (out.size() > 1) out += ',';
    out += std::to_string(v);
  }
  return out + "}";
}

class MaterializerScenario final : public explore::Scenario {
 public:
  explicit MaterializerScenario(ScenarioOptions options) : options_(std::move(options)), storage_(1) {}

  void start(Runtime& rt) override {
    ShapeKey shape{"stack", "shape-1"};
    key_ = shape.registry_key();
    ShapeProbe* probe = &probe_;
    dependent_ = rt.spawn("dependent", [probe](Self self) { return follow_moves(self, probe); });
    ConsumerConfig consumer{shape, &storage_, options_.snapshot_rows, &probe_};
    supervisor_ = rt.spawn("supervisor",
                           supervisor({ChildSpec{"consumer", gen_server([consumer] { return make_consumer(consumer); }),
                                                 key_, Restart::transient}},
                                      options_.max_consumer_restarts));
    MaterializerConfig materializer{shape, options_.variant, &storage_, {dependent_}, &probe_};
    materializer_ = rt.spawn("materializer", gen_server([materializer] { return make_materializer(materializer); }));
    Key key = key_;
    auto changes = options_.changes;
    bool suspend = options_.writer_requests_suspend;
    rt.spawn("writer", [key, changes, suspend](Self self) { return write_changes(self, key, changes, suspend); });
  }

  std::vector<Pid> fault_targets(Runtime& rt) override {
    std::vector<Pid> out;
    for (std::uint64_t id : probe_.consumer_ids()) {
      if (rt.is_alive(Pid{id})) out.push_back(Pid{id});
    }
    return out;
  }

  void on_exit(Pid pid, const std::string& name, const ExitReason& reason) override {
    if (pid == materializer_) materializer_exit_ = reason;
    if ((reason.kind == ExitKind::error || reason.kind == ExitKind::noproc) && !crash_) {
      crash_ = explore::Violation{1, name + to_string(pid) + " exited with " + reason.to_string(),
                                  "invariant 1 (crash: " + name + " " +
                                      (reason.kind == ExitKind::noproc ? "noproc" : "error") + ")"};
    }
  }

  std::optional<explore::Violation> after_step(Runtime&) override { return crash_; }

  // Consumer incarnations by number (pids depend on the order of spawns).
  std::string outcome(Runtime& rt) override {
    if (crash_) return "crash: " + crash_->kind;
    std::ostringstream out;
    int incarnation = 0;
    for (const auto& [id, subscribers] : probe_.consumers()) {
      out << "consumer#" << ++incarnation << (rt.is_alive(Pid{id}) ? " alive" : " dead");
      if (subscribers.count(materializer_.id)) out << " subscribed";
      for (const auto& [watcher, tag] : rt.watchers_of(Pid{id})) {
        if (watcher == materializer_ && tag == kConsumerDownTag) out << " monitored";
      }
      out << "; ";
    }
    auto mats = probe_.materializers();
    auto deps = probe_.dependents();
    out << "materializer " << (materializer_exit_ ? "exit " + materializer_exit_->to_string() : std::string("alive"))
        << " holds " << set_to_string(mats.count(materializer_.id) ? mats[materializer_.id].values : std::set<int>{})
        << "; dependent holds " << set_to_string(deps.count(dependent_.id) ? deps[dependent_.id] : std::set<int>{})
        << "; data " << set_to_string(storage_.data()) << "; supervisor "
        << (rt.is_alive(supervisor_) ? "alive" : "dead");
    return out.str();
  }

  // Lost updates (3) are checked before the broken subscription (2) that
  // causes them: they are the user-visible symptom.
  std::optional<explore::Violation> at_quiescence(Runtime& rt) override {
    if (crash_) return crash_;
    if (!rt.is_alive(materializer_)) return std::nullopt;
    auto consumers = probe_.consumers();
    std::vector<Pid> subscribed_live, subscribed_dead, monitored;
    for (const auto& [id, subscribers] : consumers) {
      Pid c{id};
      bool alive = rt.is_alive(c);
      if (subscribers.count(materializer_.id)) (alive ? subscribed_live : subscribed_dead).push_back(c);
      for (const auto& [watcher, tag] : rt.watchers_of(c)) {
        if (watcher == materializer_ && tag == kConsumerDownTag) monitored.push_back(c);
      }
    }
    auto names = [](const std::vector<Pid>& pids) {
      std::string out = "[";
      for (Pid p : pids) out += (out.size() > 1 ? ", " : "") + std::string("consumer") + to_string(p);
      return out + "]";
    };
    std::string mat = "materializer" + to_string(materializer_);
    auto mats = probe_.materializers();
    std::set<int> values = mats.count(materializer_.id) ? mats[materializer_.id].values : std::set<int>{};
    std::set<int> data = storage_.data();
    if (values != data) {
      return explore::Violation{3,
                                mat + " holds " + set_to_string(values) + " but the shape's data is " +
                                    set_to_string(data) + " (lost updates)",
                                "invariant 3 (lost updates)"};
    }
    auto deps = probe_.dependents();
    std::set<int> dependent_values = deps.count(dependent_.id) ? deps[dependent_.id] : std::set<int>{};
    if (dependent_values != values) {
      return explore::Violation{3,
                                "dependent" + to_string(dependent_) + " holds " + set_to_string(dependent_values) +
                                    " but " + mat + " holds " + set_to_string(values),
                                "invariant 3 (dependent out of step)"};
    }
    if (subscribed_live.size() != 1 || monitored != subscribed_live) {
      std::ostringstream text;
      text << mat << " is alive but is subscribed to live " << names(subscribed_live) << " and dead "
           << names(subscribed_dead) << ", and monitors " << names(monitored);
      return explore::Violation{2, text.str(), "invariant 2 (materializer not subscribed to the consumer it monitors)"};
    }
    if (!subscribed_dead.empty()) {
      return explore::Violation{4, mat + " is alive although its consumer " + names(subscribed_dead) + " died",
                                "invariant 4 (orphaned materializer)"};
    }
    return std::nullopt;
  }

 private:
  ScenarioOptions options_;
  ShapeStorage storage_;
  ShapeProbe probe_;
  Key key_;
  Pid dependent_, supervisor_, materializer_;
  std::optional<explore::Violation> crash_;
  std::optional<ExitReason> materializer_exit_;
};

}  // namespace

explore::ScenarioFactory materializer_scenario(ScenarioOptions options) {
  return [options] { return std::make_unique<MaterializerScenario>(options); };
}

}  // namespace peer::electric
