// Findings of upstream checks and of peer-* in one file.
#include "peer/annotations.h"
#include <string>
#include <utility>
#include <vector>

struct Pid { int id; explicit operator bool() const { return id != 0; } };
struct Runtime {
  PEER_LOOKUP Pid whereis(int key);
  PEER_CALL(0) int call(Pid p, int request);
  PEER_MONITOR(0) void monitor(Pid p);
};

void race(Runtime &rt, int key) {
  Pid p = rt.whereis(key);
  if (!p)
    return;
  rt.call(p, 1);
  rt.monitor(p); // peer-monitor-after-call
}

struct Base { virtual ~Base(); virtual void run(); };
struct Derived : Base { virtual void run(); }; // modernize-use-override

std::size_t byValue(std::vector<std::string> names) { return names.size(); } // performance-unnecessary-value-param

std::size_t moved(std::string s) {
  std::string t = std::move(s);
  return s.size() + t.size(); // bugprone-use-after-move
}

int nullDeref(bool b) {
  int *p = nullptr;
  if (b)
    return *p; // clang-analyzer-core.NullDereference
  return 0;
}
