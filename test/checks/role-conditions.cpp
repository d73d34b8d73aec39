// Roles that depend on an argument ("?argK!=null", "?argK==null",
// "?argK=='text'", "?argK!&'FLAG'"), and match-rule arguments ("@N:rule"), in user options;
// malformed ones are configuration errors (exit 2).
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerCallFunctions: \"net::send;net::open@0?arg1!&'NO_LOAD'\", PeerMonitorFunctions: \"net::watch@0?arg1!=null;net::subscribe@0?arg1=='exit'\", PeerEdgeMonitorFunctions: 'net::match@0:rule'}}" %s %t -- -std=c++17
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerMonitorFunctions: 'net::watch?arg!=null'}}" %s -- -std=c++17 > %t.bad 2>&1
// RUN: FileCheck %s --check-prefix=BAD --input-file=%t.bad
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerEdgeMonitorFunctions: 'net::match@:rule'}}" %s -- -std=c++17 > %t.rule 2>&1
// RUN: FileCheck %s --check-prefix=RULE --input-file=%t.rule
// RUN: %expect-exit 2 %peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerCallFunctions: \"net::open@0?arg1!&'NO LOAD'\"}}" %s -- -std=c++17 > %t.flag 2>&1
// RUN: FileCheck %s --check-prefix=FLAG --input-file=%t.flag
// FLAG: error: invalid configuration: invalid value for PeerCallFunctions: malformed entry 'net::open@0?arg1!&'NO LOAD''
// BAD: error: invalid configuration: invalid value for PeerMonitorFunctions: malformed entry 'net::watch?arg!=null'
// RULE: error: invalid configuration: invalid value for PeerEdgeMonitorFunctions: malformed entry 'net::match@:rule'

namespace net {
using Handler = void (*)(const char *);
void send(const char *peer);
void watch(const char *peer, Handler onExit);
void subscribe(const char *peer, const char *event);
void match(const char *rule);
} // namespace net
void gone(const char *);

// A call unless argument 1 has the NO_LOAD bit (a constant that has it).
namespace net {
enum Flags { NONE = 0, NO_LOAD = 1, OTHER = 2 };
void open(const char *peer, Flags flags);
} // namespace net

void openWithoutLoadingThenWatch(const char *peer) {
  net::open(peer, net::NO_LOAD);
  net::open(peer, net::Flags(net::NO_LOAD | net::OTHER));
  net::watch(peer, gone);
}

void openThenWatch(const char *peer, net::Flags flags) {
  net::open(peer, net::OTHER);
  net::open(peer, flags);
  net::watch(peer, gone);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'peer' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: called here, before it is monitored
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: called here, before it is monitored
}

void sendThenWatch(const char *peer) {
  net::send(peer);
  net::watch(peer, gone);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'peer' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}
void sendThenWatchNothing(const char *peer) {
  net::send(peer);
  net::watch(peer, nullptr); // reports nothing: no monitor
}
void sendThenSubscribe(const char *peer) {
  net::send(peer);
  net::subscribe(peer, "exit");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'peer' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
  net::subscribe(peer, "data"); // not a monitor
}
void sendThenMatch() {
  net::send("org.example.S");
  net::match("type='signal',member='NameOwnerChanged',arg0='org.example.S'");
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: '"org.example.S"' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
  net::match("type='signal',member='NameOwnerChanged',arg0='org.example.Other'");
}
