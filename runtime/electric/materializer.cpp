#include "electric/materializer.h"

#include "electric/consumer.h"

namespace peer::electric {

// The seed's order: three lookups, call before monitor, no error handling.
// Any failed call exits the materializer (noproc when the consumer is not
// registered), and the monitor goes to whatever the third lookup finds.
// peer-tidy reports all three of its checks here; that is the point.
Task<StartupOutcome> start_seed_original(Self self, ShapeKey shape) {
  StartupOutcome out;
  co_await consumer::await_snapshot_start(self, shape);
  Subscribed subscribed = co_await consumer::subscribe_materializer(self, shape, self.pid());
  out.monitor_ref = co_await self.monitor(*co_await consumer::whereis(self, shape), std::string(kConsumerDownTag));
  out.log_offset = subscribed.log_offset;
  co_return out;
}

// What ElectricSQL shipped in January 2026: the same three lookups, call
// before monitor, but a failed call becomes a clean shutdown. peer-tidy still
// reports the repeated lookups and the late monitor: the race is still here.
Task<StartupOutcome> start_electric_shipped(Self self, ShapeKey shape) {
  StartupOutcome out;
  Subscribed subscribed;
  try {
    co_await consumer::await_snapshot_start(self, shape);
    subscribed = co_await consumer::subscribe_materializer(self, shape, self.pid());
  } catch (const ProcessExit&) {
    out.shut_down = true;
    co_return out;
  }
  out.monitor_ref = co_await self.monitor(*co_await consumer::whereis(self, shape), std::string(kConsumerDownTag));
  out.log_offset = subscribed.log_offset;
  co_return out;
}

// Ours: look up once; monitor that pid first; talk only to that pid. Every
// later death of this incarnation reaches us as the Down of this monitor.
Task<StartupOutcome> start_corrected(Self self, ShapeKey shape) {
  StartupOutcome out;
  std::optional<Pid> consumer = co_await self.whereis(shape.registry_key());
  if (!consumer) {
    out.shut_down = true;
    co_return out;
  }
  out.monitor_ref = co_await self.monitor(*consumer, std::string(kConsumerDownTag));
  CallResult started = co_await self.call(*consumer, Message::of(AwaitSnapshotStart{}));
  if (!started.ok()) {
    out.shut_down = true;
    co_return out;
  }
  CallResult subscribed = co_await self.call(*consumer, Message::of(SubscribeMaterializer{self.pid()}));
  if (!subscribed.ok()) {
    out.shut_down = true;
    co_return out;
  }
  out.log_offset = subscribed.get<Subscribed>().log_offset;
  co_return out;
}

namespace {

struct StartMaterializer {
  static constexpr std::string_view kLabel = "start_materializer";
};

class Materializer final : public GenServer {
 public:
  explicit Materializer(MaterializerConfig config) : config_(std::move(config)) {}

  Task<Action> init(Self&) override { co_return Action::then_continue(Message::of(StartMaterializer{})); }

  Task<Action> handle_continue(Self& self, const Message&) override {
    StartupOutcome started;
    switch (config_.variant) {
      case StartupVariant::seed_original: started = co_await start_seed_original(self, config_.shape); break;
      case StartupVariant::electric_shipped: started = co_await start_electric_shipped(self, config_.shape); break;
      case StartupVariant::corrected: started = co_await start_corrected(self, config_.shape); break;
    }
    if (started.shut_down) {
      self.note("startup failed: shutting down");
      co_return Action::stop_with(ExitReason::shutdown());
    }
    // Stored stream up to the subscription point, then forwarded changes.
    std::set<int> values = config_.storage->read(self, started.log_offset);
    self.note("reads the stored stream up to offset " + std::to_string(started.log_offset));
    applied_offset_ = started.log_offset;
    for (int v : values) co_await move_in(self, v);
    publish(self);
    co_return Action::noreply();
  }

  Task<Action> handle_info(Self& self, const Envelope& info) override {
    if (info.is<Down>() && info.as<Down>().tag == kConsumerDownTag) {
      self.note("consumer down: shutting down");
      co_return Action::stop_with(ExitReason::shutdown());
    }
    if (info.is<ForwardedChange>()) {
      const Change& change = info.as<ForwardedChange>().change;
      if (change.offset <= applied_offset_) co_return Action::noreply();  // already read from storage
      if (change.offset != applied_offset_ + 1) {
        self.exit(ExitReason::error("gap in change stream at offset " + std::to_string(applied_offset_ + 1)));
      }
      applied_offset_ = change.offset;
      if (change.op == Change::Op::insert) {
        co_await move_in(self, change.value);
      } else {
        co_await move_out(self, change.value);
      }
      publish(self);
    }
    co_return Action::noreply();
  }

 private:
  Task<void> move_in(Self self, int v) {
    if (!view_.values.insert(v).second) co_return;
    for (Pid d : config_.dependents) co_await self.send(d, Message::of(MoveIn{v}));
  }
  Task<void> move_out(Self self, int v) {
    if (!view_.values.erase(v)) co_return;
    for (Pid d : config_.dependents) co_await self.send(d, Message::of(MoveOut{v}));
  }
  void publish(const Self& self) {
    if (config_.probe) config_.probe->materializer(self.pid(), view_);
  }

  MaterializerConfig config_;
  MaterializerView view_;
  std::uint64_t applied_offset_ = 0;
};

}  // namespace

std::unique_ptr<GenServer> make_materializer(MaterializerConfig config) {
  return std::make_unique<Materializer>(std::move(config));
}

}  // namespace peer::electric
