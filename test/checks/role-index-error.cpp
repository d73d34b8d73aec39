// An entry whose @N names a parameter the function does not have is a
// configuration error (exit 2 from peer-tidy), reported once, naming the
// option, the entry and the function; the entry gives no role. The same
// index on a variadic function names a variadic argument: no error.
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerCallFunctions: 'net::send@2;net::log@3', PeerMonitorFunctions: 'net::watch@0'}}" %s -- > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out --implicit-check-not='error:' --implicit-check-not='Error while processing' --implicit-check-not='error generated'
// RUN: %clang-tidy -load=%peer-module --checks='-*,peer-*' --config="{CheckOptions: {PeerCallFunctions: 'net::send@2;net::log@3', PeerMonitorFunctions: 'net::watch@0'}}" %s -- > %t.load 2>&1 || true
// RUN: FileCheck %s --input-file=%t.load

// CHECK: error: invalid value for PeerCallFunctions: entry 'net::send@2' names parameter 2, but 'net::send' has 2 parameters (parameters count from 0) [clang-tidy-config]
// CHECK: role-index-error.cpp:[[@LINE+13]]:3: warning: 'peer' is monitored only after it was called{{.*}} [peer-monitor-after-call]
// CHECK: role-index-error.cpp:[[@LINE+11]]:3: note: called here, before it is monitored

namespace net {
void send(int peer, int payload);
void log(const char *format, ...);
void watch(int peer);
} // namespace net

void talk(int peer) {
  net::send(peer, 1);
  net::send(peer, 2);
  net::log("%d %d %d", 1, 2, peer);
  net::watch(peer);
}
