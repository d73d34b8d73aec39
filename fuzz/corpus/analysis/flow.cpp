#include "runtime_api.h"
void flow(Runtime &rt, Key k, int n) {
  for (int i = 0; i < n; ++i) {
    if (auto p = rt.whereis(k)) {
      switch (i) {
      case 0: rt.call(*p, i); break;
      default: rt.monitor(*p);
      }
    }
  }
  auto f = [&] { if (Pid *q = rt.find("x")) rt.send(*q, 1); };
  f();
  try { auto p = rt.whereis(k); rt.call(*p, 2); rt.monitor(*p); } catch (...) {}
  while (auto p = rt.whereis(k)) { rt.monitored_call(*p, 3); break; }
}
