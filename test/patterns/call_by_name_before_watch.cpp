// A call addressed by service name (no lookup), then an edge watch of that
// name: the watch misses whatever happened to the service in between.
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusInterface>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
QString name();
void callThenWatch(QDBusServiceWatcher *w) {
  QDBusInterface iface(name(), QStringLiteral("/"), QStringLiteral("org.example.I"));
  iface.call(QStringLiteral("Hold"));
  QDBusConnection::sessionBus().call(QDBusMessage::createMethodCall(name(), QStringLiteral("/"), QStringLiteral("org.example.I"), QStringLiteral("Hold")));
  w->addWatchedService(name());
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name()' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:{{[0-9]+}}: note: called here, before it is monitored
  // CHECK-MESSAGES: :[[@LINE-4]]:{{[0-9]+}}: note: called here, before it is monitored
}
void watchThenCall(QDBusServiceWatcher *w) {
  w->addWatchedService(name());
  QDBusInterface iface(name(), QStringLiteral("/"), QStringLiteral("org.example.I"));
  iface.call(QStringLiteral("Hold"));
}
