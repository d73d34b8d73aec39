// The ElectricSQL Materializer startup in the seed's order, written against
// the reference runtime (runtime/). Each step looks the Consumer up by its key
// again; the monitor comes last. peer-tidy reports all three kinds of finding
// here; `peer-explore materializer --variant seed_original` shows the crash.
#include "electric/protocol.h"
#include "peer/runtime/runtime.h"

namespace example {
using namespace peer;
using namespace peer::electric;

// The thin helpers of Electric.Shapes.Consumer: each looks the consumer up by
// key and calls it.
namespace consumer {
inline Task<NilablePid> whereis(Self self, ShapeKey shape) {
  co_return co_await self.whereis(shape.registry_key());
}
inline Task<CallResult> await_snapshot_start(Self self, ShapeKey shape) {
  co_return co_await self.call(*co_await whereis(self, shape),
                               Message::of(AwaitSnapshotStart{}));
}
inline Task<CallResult> subscribe_materializer(Self self, ShapeKey shape,
                                               Pid materializer) {
  co_return co_await self.call(*co_await whereis(self, shape),
                               Message::of(SubscribeMaterializer{materializer}));
}
} // namespace consumer

Task<void> start_materializer(Self self, ShapeKey shape) {
  co_await consumer::await_snapshot_start(self, shape);
  co_await consumer::subscribe_materializer(self, shape, self.pid());
  co_await self.monitor(*co_await consumer::whereis(self, shape), "consumer");
}

} // namespace example
