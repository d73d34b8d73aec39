// Two different service names written with QStringLiteral (Qt 6) or
// QLatin1String: a watch of B after a query of A is no race.
// REQUIRES: qt6
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt6-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusServiceWatcher>
void differentNames(QObject *o) {
  bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(QStringLiteral("org.example.A"));
  new QDBusServiceWatcher(QStringLiteral("org.example.B"), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForOwnerChange, o);
  (void)up;
}
void differentLatin1(QObject *o) {
  bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(QLatin1String("org.example.A"));
  new QDBusServiceWatcher(QLatin1String("org.example.B"), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForOwnerChange, o);
  (void)up;
}
