// A watcher built with std::make_unique (the constructor runs inside
// <memory>) or with new, after a query of the same name.
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusServiceWatcher>
#include <memory>
QString name();
void viaMakeUnique(std::unique_ptr<QDBusServiceWatcher> &w) {
  bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(name());
  w = std::make_unique<QDBusServiceWatcher>(name(), QDBusConnection::sessionBus(),
                                            QDBusServiceWatcher::WatchForOwnerChange);
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: 'name()' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: looked up here, before the watch starts
  (void)up;
}
void viaNew(QDBusServiceWatcher *&w) {
  bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(name());
  w = new QDBusServiceWatcher(name(), QDBusConnection::sessionBus(),
                              QDBusServiceWatcher::WatchForOwnerChange);
  // CHECK-MESSAGES: :[[@LINE-2]]:11: warning: 'name()' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: looked up here, before the watch starts
  (void)up;
}
void watcherOfParent(QObject *parent) {
  // The constructor that takes only a parent watches nothing.
  bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(name());
  auto *w = new QDBusServiceWatcher(parent);
  (void)up;
  (void)w;
}
