#include "electric/consumer.h"

namespace peer::electric {

namespace {

struct StartSnapshot {
  static constexpr std::string_view kLabel = "start_snapshot";
};

class Consumer final : public GenServer {
 public:
  explicit Consumer(ConsumerConfig config) : config_(std::move(config)) {}

  Task<Action> init(Self& self) override {
    publish(self);
    co_return Action::then_continue(Message::of(StartSnapshot{}));
  }

  Task<Action> handle_continue(Self& self, const Message&) override {
    // A restarted incarnation finds the snapshot already in storage.
    if (!config_.storage->has_snapshot(self)) {
      config_.storage->write_snapshot(self, config_.snapshot_rows);
      self.note("snapshot written");
    }
    started_ = true;
    for (const From& waiter : snapshot_waiters_) co_await self.reply(waiter, Message::of(SnapshotStarted{}));
    snapshot_waiters_.clear();
    co_return Action::noreply();
  }

  Task<CallAction> handle_call(Self& self, const Message& request, const From& from) override {
    if (request.is<AwaitSnapshotStart>()) {
      if (started_) co_return CallAction::reply_with(Message::of(SnapshotStarted{}));
      snapshot_waiters_.push_back(from);
      co_return CallAction::deferred();
    }
    if (request.is<SubscribeMaterializer>()) {
      Pid materializer = request.as<SubscribeMaterializer>().materializer;
      subscribers_[materializer.id] = co_await self.monitor(materializer, "materializer_down");
      publish(self);
      // Changes after this offset are forwarded; the rest is in storage.
      co_return CallAction::reply_with(Message::of(Subscribed{config_.storage->last_offset()}));
    }
    co_return co_await GenServer::handle_call(self, request, from);
  }

  Task<Action> handle_cast(Self& self, const Message& request) override {
    if (request.is<NewChange>()) {
      Change change = request.as<NewChange>().change;
      change.offset = config_.storage->append(self, change.op, change.value);
      self.note(std::string("appends ") + (change.op == Change::Op::insert ? "insert " : "remove ") +
                std::to_string(change.value) + " at offset " + std::to_string(change.offset) + ", forwards to " +
                std::to_string(subscribers_.size()) + " subscriber(s)");
      for (const auto& [id, ref] : subscribers_) co_await self.send(Pid{id}, Message::of(ForwardedChange{change}));
    }
    co_return Action::noreply();
  }

  Task<Action> handle_info(Self& self, const Envelope& info) override {
    if (info.is<Down>()) {
      subscribers_.erase(info.as<Down>().pid.id);
      publish(self);
    } else if (info.is<SuspendIfIdle>()) {
      // Suspending drops forwarding: only allowed while nobody is subscribed.
      if (subscribers_.empty()) {
        self.note("suspends (no subscriber)");
        co_return Action::stop_with(ExitReason::shutdown());
      }
    }
    co_return Action::noreply();
  }

 private:
  void publish(const Self& self) {
    if (!config_.probe) return;
    std::set<std::uint64_t> subscribers;
    for (const auto& [id, ref] : subscribers_) subscribers.insert(id);
    config_.probe->consumer_subscribers(self.pid(), std::move(subscribers));
  }

  ConsumerConfig config_;
  bool started_ = false;
  std::vector<From> snapshot_waiters_;
  std::map<std::uint64_t, Ref> subscribers_;  // materializer pid -> its monitor
};

}  // namespace

std::unique_ptr<GenServer> make_consumer(ConsumerConfig config) {
  return std::make_unique<Consumer>(std::move(config));
}

ExitReason exit_reason_of_failed_call(const CallResult& result) {
  if (result.error == CallError::noproc) return ExitReason::noproc();
  return ExitReason::error("call failed: " + result.to_string());
}

}  // namespace peer::electric
