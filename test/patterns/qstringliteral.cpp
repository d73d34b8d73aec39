// The same service name written with QStringLiteral (in Qt 5 a lambda call,
// each use its own closure type; in Qt 6 qMakeStringPrivate) or
// QLatin1String: the query and the later watch name one peer.
// REQUIRES: qt5, qt6
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t.qt5 -- %qt5-flags
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t.qt6 -- %qt6-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusServiceWatcher>
void literalMacro(QObject *o) {
  bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(QStringLiteral("org.example.S"));
  new QDBusServiceWatcher(QStringLiteral("org.example.S"), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForOwnerChange, o);
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: 'QStringLiteral("org.example.S")' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: looked up here, before the watch starts
  (void)up;
}
void latin1(QObject *o) {
  bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(QLatin1String("org.example.S"));
  new QDBusServiceWatcher(QLatin1String("org.example.S"), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForOwnerChange, o);
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: 'QLatin1String("org.example.S")' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: looked up here, before the watch starts
  (void)up;
}
void mixed(QObject *o) {
  bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(QStringLiteral("org.example.M"));
  new QDBusServiceWatcher(QLatin1String("org.example.M"), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForOwnerChange, o);
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: 'QLatin1String("org.example.M")' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:13: note: looked up here, before the watch starts
  (void)up;
}
void watchFirst(QObject *o) {
  new QDBusServiceWatcher(QStringLiteral("org.example.W"), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForOwnerChange, o);
  if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(QStringLiteral("org.example.W")))
    return;
}
