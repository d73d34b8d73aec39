// A proxy class (PEER_PROXY(n) on the class, or PeerProxyClasses): an object
// made with a peer's name talks to that peer; members of derived classes are
// calls to it, the base's own members only as configured.
// RUN: %check_peer_tidy --checks='-*,peer-*' %s %t -- -std=c++17 -I%peer-include
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProxyClasses: 'bus::Proxy@1', PeerEdgeMonitorFunctions: 'bus::watch'}}" %s %t -- -std=c++17 -I%peer-include -DBY_OPTION
#include "peer/annotations.h"
#include <memory>
#include <string>

namespace bus {
#ifdef BY_OPTION
#define PROXY
#define EDGE
#else
#define PROXY PEER_PROXY(1)
#define EDGE PEER_EDGE_MONITOR(0)
#endif
class PROXY Proxy {
public:
  Proxy(int timeout, const std::string &service);
  void setTimeout(int ms); // the base's own member: no role
};
class Player : public Proxy {
public:
  Player(int timeout, const std::string &service) : Proxy(timeout, service) {}
  void play();
  static const char *interfaceName();
};
EDGE void watch(const std::string &service);
} // namespace bus

void playThenWatch(const std::string &service) {
  bus::Player player(100, service);
  player.play();
  bus::watch(service);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}

void uniquePlayThenWatch(const std::string &service) {
  auto player = std::make_unique<bus::Player>(100, service);
  player->play();
  bus::watch(service);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}

void watchThenPlay(const std::string &service) {
  bus::watch(service);
  bus::Player player(100, service);
  player.play();
}

void configureThenWatch(const std::string &service) {
  bus::Player player(100, service);
  player.setTimeout(5);
  (void)bus::Player::interfaceName();
  bus::watch(service);
}
