// electric/consumer.h - the shape Consumer and the thin helpers other
// processes use to reach it by key (as Electric.Shapes.Consumer does).
#ifndef PEER_ELECTRIC_CONSUMER_H
#define PEER_ELECTRIC_CONSUMER_H

#include <map>
#include <memory>
#include <vector>

#include "electric/probe.h"
#include "electric/protocol.h"
#include "electric/storage.h"
#include "peer/runtime/gen_server.h"

namespace peer::electric {

struct ConsumerConfig {
  ShapeKey shape;
  ShapeStorage* storage = nullptr;  // outlives every incarnation
  std::vector<int> snapshot_rows;   // what the snapshot query returns
  ShapeProbe* probe = nullptr;      // optional
};

// A GenServer registered under shape.registry_key() (by its supervisor).
// Starts its snapshot in handle_continue, so await_snapshot_start may arrive
// first and is then answered later (deferred reply).
std::unique_ptr<GenServer> make_consumer(ConsumerConfig config);

// How a failed call ends its caller when nobody catches it.
ExitReason exit_reason_of_failed_call(const CallResult& result);

// The thin helpers of Electric.Shapes.Consumer. They are inline so that
// peer-tidy sees, at each call site, that they look the consumer up by key
// and call it.
namespace consumer {

// Consumer.whereis(stack_id, shape_handle): pid or nil.
PEER_LOOKUP inline Task<NilablePid> whereis(Self self, ShapeKey shape) {
  co_return co_await self.whereis(shape.registry_key());
}

// Consumer.await_snapshot_start/subscribe_materializer: look the consumer up
// by key and call it. Like GenServer.call on a name, a failed call exits the
// caller: noproc if nothing is registered (the nil pid is used as is; see
// NilablePid), otherwise an error.
inline Task<SnapshotStarted> await_snapshot_start(Self self, ShapeKey shape) {
  // NOLINTNEXTLINE(peer-unchecked-lookup): models GenServer.call(name); nil -> noproc
  CallResult result = co_await self.call(*co_await whereis(self, shape), Message::of(AwaitSnapshotStart{}));
  if (!result.ok()) self.exit(exit_reason_of_failed_call(result));
  co_return result.get<SnapshotStarted>();
}

inline Task<Subscribed> subscribe_materializer(Self self, ShapeKey shape, Pid materializer) {
  // NOLINTNEXTLINE(peer-unchecked-lookup): models GenServer.call(name); nil -> noproc
  CallResult result =
      co_await self.call(*co_await whereis(self, shape), Message::of(SubscribeMaterializer{materializer}));
  if (!result.ok()) self.exit(exit_reason_of_failed_call(result));
  co_return result.get<Subscribed>();
}

}  // namespace consumer

}  // namespace peer::electric

#endif  // PEER_ELECTRIC_CONSUMER_H
