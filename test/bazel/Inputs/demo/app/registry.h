#pragma once
#include "peer/annotations.h"
#include <optional>

// Only a unit given the dependency's `defines` gets this far.
#ifndef DEMO_WITH_ROLES
#error "DEMO_WITH_ROLES (defines of //third_party/peer:annotations) is not set"
#endif

struct Pid { int id; };
struct Runtime {
  PEER_LOOKUP std::optional<Pid> whereis(int key);
  PEER_CALL(0) int call(Pid pid, int request);
  PEER_MONITOR(0) int monitor(Pid pid);
};

void start(Runtime &rt, int key);
