// electric/materializer.h - builds a shape's materialized value set from the
// stored stream plus the changes its Consumer forwards, and tells dependents
// of values moving in and out. Its startup comes in three variants (see
// docs/materializer-race.md).
#ifndef PEER_ELECTRIC_MATERIALIZER_H
#define PEER_ELECTRIC_MATERIALIZER_H

#include <memory>
#include <vector>

#include "electric/probe.h"
#include "electric/protocol.h"
#include "electric/storage.h"
#include "peer/runtime/gen_server.h"

namespace peer::electric {

struct MaterializerConfig {
  ShapeKey shape;
  StartupVariant variant = StartupVariant::corrected;
  ShapeStorage* storage = nullptr;
  std::vector<Pid> dependents;
  ShapeProbe* probe = nullptr;  // optional
};

std::unique_ptr<GenServer> make_materializer(MaterializerConfig config);

// The startup sequences, each as it reads in the code it models: they
// subscribe to the consumer and monitor it, or ask for a clean shutdown.
struct StartupOutcome {
  Ref monitor_ref;
  std::uint64_t log_offset = 0;
  bool shut_down = false;  // clean shutdown requested
};
Task<StartupOutcome> start_seed_original(Self self, ShapeKey shape);
Task<StartupOutcome> start_electric_shipped(Self self, ShapeKey shape);
Task<StartupOutcome> start_corrected(Self self, ShapeKey shape);

}  // namespace peer::electric

#endif  // PEER_ELECTRIC_MATERIALIZER_H
