// electric/protocol.h - messages and names shared by the Consumer and the
// Materializer of one shape (modelled on ElectricSQL's shape consumer).
#ifndef PEER_ELECTRIC_PROTOCOL_H
#define PEER_ELECTRIC_PROTOCOL_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "peer/runtime/runtime.h"

namespace peer::electric {

struct ShapeKey {
  std::string stack_id;
  std::string shape_handle;
  // The consumer is registered under the tuple {stack_id, shape_handle}.
  Key registry_key() const { return Key{stack_id, shape_handle}; }
};

// What Consumer.whereis returns in Elixir: `pid | nil`. Dereferencing nil
// yields the nil Pid, on which every runtime operation behaves as on a dead
// process (a call fails with noproc, a monitor fires Down(noproc) at once),
// just as GenServer.call(nil-named) and Process.monitor(nil) do. Using an
// empty handle as if valid is therefore a modelled failure, not undefined
// behaviour.
class NilablePid : public std::optional<Pid> {
 public:
  using std::optional<Pid>::optional;
  NilablePid(std::optional<Pid> pid) : std::optional<Pid>(pid) {}  // NOLINT(google-explicit-constructor)
  Pid operator*() const { return value_or(Pid{}); }
};

struct Change {
  enum class Op : std::uint8_t { insert, remove };
  Op op = Op::insert;
  int value = 0;
  std::uint64_t offset = 0;  // position in the shape's log, from 1
};

// Consumer calls.
struct AwaitSnapshotStart {
  static constexpr std::string_view kLabel = "await_snapshot_start";
};
struct SnapshotStarted {
  static constexpr std::string_view kLabel = "started";
};
struct SubscribeMaterializer {
  static constexpr std::string_view kLabel = "subscribe_materializer";
  Pid materializer;
};
struct Subscribed {
  static constexpr std::string_view kLabel = "subscribed";
  std::uint64_t log_offset = 0;  // changes after this offset will be forwarded
};
// Consumer casts/infos.
struct NewChange {  // from replication: append to the log, forward to subscribers
  static constexpr std::string_view kLabel = "new_change";
  Change change;
};
struct SuspendIfIdle {  // the consumer may stop to free memory, if nobody depends on it
  static constexpr std::string_view kLabel = "suspend_if_idle";
};
// Consumer -> Materializer.
struct ForwardedChange {
  static constexpr std::string_view kLabel = "change";
  Change change;
};
// Materializer -> dependents.
struct MoveIn {
  static constexpr std::string_view kLabel = "move_in";
  int value = 0;
};
struct MoveOut {
  static constexpr std::string_view kLabel = "move_out";
  int value = 0;
};

inline constexpr std::string_view kConsumerDownTag = "consumer_down";

enum class StartupVariant { seed_original, electric_shipped, corrected };
std::string_view variant_name(StartupVariant v);
std::optional<StartupVariant> parse_variant(std::string_view name);

}  // namespace peer::electric

#endif  // PEER_ELECTRIC_PROTOCOL_H
