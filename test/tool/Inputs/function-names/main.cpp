#include "racy.h"
namespace shop {
namespace orders {
void start(Runtime &rt, int key) {
  auto consumer = rt.whereis(key);
  if (!consumer)
    return;
  rt.call(*consumer, 1);
  rt.monitor(*consumer);
}
#include "body.inc"
} // namespace orders
} // namespace shop
double half(int x) { return x / 2; }
