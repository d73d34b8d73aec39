// A role condition of several tests joined by "&&", with integers and
// macro or enumerator names as written ("?argK==-1", "?argK==NAME"): here
// net::notify is a call only when it broadcasts (-1) the SHUTDOWN event on
// a channel, as the posix profile's kill is a freeze only as kill(-1,
// SIGSTOP).
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerCallFunctions: \"net::notify@1?arg0!=null&&arg1==-1&&arg2==SHUTDOWN\", PeerMonitorFunctions: 'net::watch@0'}}" %s %t -- -std=c++17
// A dangling "&&" is malformed: exit 2.
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerCallFunctions: \"net::notify?arg1==-1&&\"}}" %s -- -std=c++17 > %t.bad 2>&1
// RUN: FileCheck %s --check-prefix=BAD --input-file=%t.bad
// BAD: error: invalid configuration: invalid value for PeerCallFunctions: malformed entry 'net::notify?arg1==-1&&'

#define SHUTDOWN 7
namespace net {
enum Event { Start = 1, Stop = 2 };
void notify(const char *channel, int peer, int event);
void watch(int peer);
} // namespace net

void broadcastShutdownThenWatch() {
  net::notify("bus", -1, SHUTDOWN); // every test holds: a call
  net::watch(-1);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '-1' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}

void otherEventThenWatch() {
  net::notify("bus", -1, net::Stop); // another event: no role
  net::notify("bus", 3, SHUTDOWN);   // another peer: no role
  net::notify(nullptr, -1, SHUTDOWN); // no channel: no role
  net::notify("bus", -1, 7);          // the number, not the name: no role
  net::watch(-1);
}
