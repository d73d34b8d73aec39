// A racy member defined in its class, in a header the main file includes.
#include "runtime.h"
namespace shop {
struct Client {
  void subscribe(Runtime &rt, int key) {
    auto consumer = rt.whereis(key);
    if (!consumer)
      return;
    rt.call(*consumer, 1);
    rt.monitor(*consumer);
  }
};
} // namespace shop
