// The Materializer startup in the corrected order (Erlang's gen:call rule):
// look the Consumer up once, check the handle, monitor it first, then talk
// only through that handle; every failure is a clean shutdown. peer-tidy is
// silent here; `peer-explore materializer --variant corrected` explores every
// schedule and fault and finds no violation.
#include "electric/protocol.h"
#include "peer/runtime/runtime.h"

namespace example {
using namespace peer;
using namespace peer::electric;

Task<bool> start_materializer(Self self, ShapeKey shape) {
  std::optional<Pid> consumer = co_await self.whereis(shape.registry_key());
  if (!consumer)
    co_return false; // nothing registered: shut down cleanly
  co_await self.monitor(*consumer, "consumer");
  CallResult started =
      co_await self.call(*consumer, Message::of(AwaitSnapshotStart{}));
  if (!started.ok())
    co_return false;
  CallResult subscribed = co_await self.call(
      *consumer, Message::of(SubscribeMaterializer{self.pid()}));
  co_return subscribed.ok();
}

} // namespace example
