#include "peer/annotations.h"
#include <optional>
struct Handle { int id; };
struct Registry {
  PEER_LOOKUP std::optional<Handle> whereis(int key);
  PEER_CALL(0) int call(Handle h, int request);
  PEER_MONITOR(0) int monitor(Handle h);
};
int ask(Registry &r, int key) {
  auto h = r.whereis(key);
  if (!h)
    return -1;
  r.monitor(*h);
  return r.call(*h, 1);
}
