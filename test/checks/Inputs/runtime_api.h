// A small annotated peer API for the check tests.
#pragma once
#include "peer/annotations.h"
#include <optional>

struct Pid {
  int id = 0;
};
struct Key {
  int stack = 0;
  int shape = 0;
};

struct Runtime {
  PEER_LOOKUP std::optional<Pid> whereis(Key key);
  PEER_LOOKUP Pid *find(const char *name);
  PEER_CALL(0) int call(Pid pid, int request);
  PEER_CALL(0) void send(Pid pid, int message);
  PEER_MONITOR(0) int monitor(Pid pid);
  PEER_MONITORED_CALL(0) int monitored_call(Pid pid, int request);
  PEER_EDGE_MONITOR(0) void watch_name(const char *name);
};

void log(int value);
