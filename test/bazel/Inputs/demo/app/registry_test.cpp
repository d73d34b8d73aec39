#include "app/registry.h"

// The fixed order: monitor first, then call. No finding.
int main() {
  Runtime rt;
  auto consumer = rt.whereis(7);
  if (!consumer)
    return 1;
  rt.monitor(*consumer);
  return rt.call(*consumer, 1);
}
