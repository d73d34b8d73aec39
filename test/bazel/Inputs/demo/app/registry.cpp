#include "app/registry.h"

// The race: the consumer is called before it is monitored.
void start(Runtime &rt, int key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer);
}
