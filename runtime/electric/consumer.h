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

namespace consumer {

// Consumer.whereis(stack_id, shape_handle): pid or nil.
PEER_LOOKUP NilablePid whereis(const Self& self, const ShapeKey& shape);

// Consumer.await_snapshot_start/subscribe_materializer: look the consumer up
// by key and call it. Like GenServer.call, a failed call exits the caller
// (noproc if nothing is registered, otherwise an error).
Task<SnapshotStarted> await_snapshot_start(Self self, ShapeKey shape);
Task<Subscribed> subscribe_materializer(Self self, ShapeKey shape, Pid materializer);

}  // namespace consumer

// How a failed call ends its caller when nobody catches it.
ExitReason exit_reason_of_failed_call(const CallResult& result);

}  // namespace peer::electric

#endif  // PEER_ELECTRIC_CONSUMER_H
