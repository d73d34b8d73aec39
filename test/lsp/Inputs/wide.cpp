#include "peer/annotations.h"
#include <optional>
struct Pid { int id; };
struct Runtime {
  PEER_LOOKUP std::optional<Pid> whereis(int key);
  PEER_CALL(0) int call(Pid pid, int request);
  PEER_MONITOR(0) int monitor(Pid pid);
};
// Multi-byte identifier: 2+2+3+4 bytes, 1+1+1+2 UTF-16 code units.
void start(Runtime &rt, int key) {
  auto äö消𝑐 = rt.whereis(key);
  if (!äö消𝑐)
    return;
  rt.call(*äö消𝑐, 1);
  rt.monitor(*äö消𝑐);
}
