// electric/scenario.h - the explorer scenario for the Consumer/Materializer
// startup race: one consumer under a supervisor that may restart it once,
// one materializer, one dependent, a writer with a few changes.
#ifndef PEER_ELECTRIC_SCENARIO_H
#define PEER_ELECTRIC_SCENARIO_H

#include <vector>

#include "electric/protocol.h"
#include "explore/explorer.h"

namespace peer::electric {

struct ScenarioOptions {
  StartupVariant variant = StartupVariant::corrected;
  std::vector<int> snapshot_rows = {1, 2};
  // Replication traffic; offsets are assigned by the consumer.
  std::vector<Change> changes = {{Change::Op::insert, 3, 0}, {Change::Op::remove, 1, 0}};
  int max_consumer_restarts = 1;
  bool writer_requests_suspend = false;  // ask the consumer to suspend after the changes
};

// Invariants checked:
//   1. no process exits with an unexpected error (error or noproc);
//   2. at quiescence every live materializer is subscribed to, and monitors,
//      the same live consumer incarnation, which lists it as subscriber;
//   3. at quiescence its value set equals the shape's stored data, and its
//      dependent holds the same set;
//   4. a materializer whose consumer died has stopped.
explore::ScenarioFactory materializer_scenario(ScenarioOptions options);

}  // namespace peer::electric

#endif  // PEER_ELECTRIC_SCENARIO_H
