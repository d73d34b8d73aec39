// Operations of the runtime take effect only when co_awaited; a forgotten
// co_await is a silent no-op, so the awaiters are [[nodiscard]].
#include "peer/runtime/runtime.h"

peer::Task<void> forgets(peer::Self self, peer::Pid peer) {
  self.send(peer, peer::Message::of(1));
  self.monitor(peer);
  self.whereis(peer::Key{"k"});
  co_await self.send(peer, peer::Message::of(2));  // fine
}
