// A "system" header (included with -isystem): its code and its macros are
// not the user's, so nothing in them is reported.
#pragma once
#include "peer/annotations.h"
#include <optional>

struct SysPid {
  int id = 0;
};
PEER_LOOKUP std::optional<SysPid> sys_whereis(int key);
PEER_CALL(0) int sys_call(SysPid pid, int request);
PEER_MONITOR(0) int sys_monitor(SysPid pid);

inline void sys_start(int key) {
  sys_call(*sys_whereis(key), 1);
  sys_monitor(*sys_whereis(key));
}

#define SYS_PING(key) sys_call(*sys_whereis(key), 0)
