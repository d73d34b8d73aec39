// The caller's name passed to a helper that watches it; a helper watching a
// name its caller has just queried.
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
struct Agent : QObject, QDBusContext {
  QDBusServiceWatcher *w;
  uint addWithService(const QString &service) { w->addWatchedService(service); return 1; }
  uint Add() { return addWithService(message().service()); }
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'message().service()' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-2]]:38: note: its request arrived here, before the watch starts
};
struct Agent2 {
  QDBusServiceWatcher *w;
  void watch(const QString &service) { w->addWatchedService(service); }
  void start(const QString &name) {
    bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(name);
    watch(name);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-3]]:15: note: looked up here, before the watch starts
    (void)up;
  }
  void startWatchingFirst(const QString &name) {
    watch(name);
    if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(name))
      return;
  }
};
