#include "userwrapper.h"
// The call is in the header's body: without that body, no finding.
void start(int key) {
  Ref worker = find(key);
  if (!worker)
    return;
  ask_via(worker, 2);
  watch(worker);
}
