// scenarios/call_across_restart.h - the explorer's second shipped scenario,
// written with the scenario kit (explore/scenario_kit.h): a client calls a
// server registered under {server}, which a one_for_one supervisor restarts
// once when a fault kills it.
//
//   racy:      the client waits until the server is registered, then calls
//              that pid once; it gives up when the call fails (the server
//              was killed between the lookup and the reply).
//   corrected: after a failed call it looks the name up again (waiting for
//              the supervisor's restart) and calls again, up to 3 attempts.
//
// Invariants: 1. the client never gives up; 2. at quiescence it has its answer.
#ifndef PEER_SCENARIOS_CALL_ACROSS_RESTART_H
#define PEER_SCENARIOS_CALL_ACROSS_RESTART_H

#include "explore/scenario_kit.h"

namespace peer::scenarios {

enum class RestartVariant { racy, corrected };

explore::ScenarioFactory call_across_restart(RestartVariant variant);

}  // namespace peer::scenarios

#endif  // PEER_SCENARIOS_CALL_ACROSS_RESTART_H
