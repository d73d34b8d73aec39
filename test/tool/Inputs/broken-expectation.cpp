// Used by harness.test: the expectation below names the wrong column, so the
// harness must fail.
#include "peer/annotations.h"
#include <optional>
struct Pid { int id; };
struct Runtime {
  PEER_LOOKUP std::optional<Pid> whereis(int key);
  PEER_CALL(0) int call(Pid pid, int request);
};
void start(Runtime &rt, int key) {
  rt.call(*rt.whereis(key), 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:4: warning: {{.*}} [peer-unchecked-lookup]
}
