#include "peer/annotations.h"
#include <optional>
struct Pid { int id; };
struct Runtime {
  PEER_LOOKUP std::optional<Pid> whereis(int key);
  PEER_CALL(0) int call(Pid pid, int request);
  PEER_MONITOR(0) int monitor(Pid pid);
};
