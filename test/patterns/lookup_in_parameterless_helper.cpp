// The query hides in a helper, with or without parameters, returning bool or
// the QDBusReply; then the watch.
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusServiceWatcher>
static const char s_name[] = "org.example.wallet";
struct Launcher {
  bool getInterface() { return QDBusConnection::sessionBus().interface()->isServiceRegistered(QString::fromLatin1(s_name)); }
  bool getInterfaceFor(const QString &n) { return QDBusConnection::sessionBus().interface()->isServiceRegistered(n); }
  QDBusReply<bool> replyFor(const QString &n) { return QDBusConnection::sessionBus().interface()->isServiceRegistered(n); }
};
void racyOrder(Launcher &l, QObject *o) {
  l.getInterface();
  new QDBusServiceWatcher(QString::fromLatin1(s_name), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForUnregistration, o);
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: 'QString::fromLatin1(s_name)' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: looked up here, before the watch starts
}
void racyOrderParam(Launcher &l, QObject *o) {
  l.getInterfaceFor(QString::fromLatin1(s_name));
  new QDBusServiceWatcher(QString::fromLatin1(s_name), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForUnregistration, o);
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: 'QString::fromLatin1(s_name)' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: looked up here, before the watch starts
}
void racyOrderReply(Launcher &l, QObject *o) {
  l.replyFor(QString::fromLatin1(s_name));
  new QDBusServiceWatcher(QString::fromLatin1(s_name), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForUnregistration, o);
  // CHECK-MESSAGES: :[[@LINE-2]]:7: warning: 'QString::fromLatin1(s_name)' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: looked up here, before the watch starts
}
void watchThenAsk(Launcher &l, QObject *o) {
  new QDBusServiceWatcher(QString::fromLatin1(s_name), QDBusConnection::sessionBus(),
                          QDBusServiceWatcher::WatchForUnregistration, o);
  if (!l.getInterface())
    return;
}
