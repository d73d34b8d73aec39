// Every entry of the qt-dbus profile, racy and correct, against Debian's
// real Qt 5 and Qt 6 headers. ("Generated proxies" are in qt-dbus-proxy.cpp.)
// REQUIRES: qt5, qt6
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt6-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDBusInterface>
#include <QDBusMessage>
#include <QDBusReply>
#include <QDBusServiceWatcher>

void use(const QString &);
void gone(const QString &);
static QDBusConnectionInterface *bus() { return QDBusConnection::sessionBus().interface(); }

// --- state queries: isServiceRegistered, serviceOwner, servicePid, serviceUid
void registeredThenWatch(QDBusServiceWatcher *w, const QString &name) {
  if (!bus()->isServiceRegistered(name))
    return;
  w->addWatchedService(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: looked up here, before the watch starts
}
void watchThenRegistered(QDBusServiceWatcher *w, const QString &name) {
  w->addWatchedService(name);
  if (!bus()->isServiceRegistered(name))
    gone(name);
}
void ownerThenWatch(QDBusServiceWatcher *w, const QString &name) {
  QDBusReply<QString> owner = bus()->serviceOwner(name);
  if (owner.isValid())
    use(owner.value());
  w->addWatchedService(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:31: note: looked up here, before the watch starts
}
void watchThenOwner(QDBusServiceWatcher *w, const QString &name) {
  w->addWatchedService(name);
  QDBusReply<QString> owner = bus()->serviceOwner(name);
  if (!owner.isValid())
    gone(name);
}
void pidThenWatch(QDBusServiceWatcher *w, const QString &name) {
  QDBusReply<uint> pid = bus()->servicePid(name);
  if (!pid.isValid())
    return;
  w->addWatchedService(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:26: note: looked up here, before the watch starts
}
void watchThenUid(QDBusServiceWatcher *w, const QString &name) {
  w->addWatchedService(name);
  if (!bus()->serviceUid(name).isValid())
    gone(name);
}
void uidThenWatch(QDBusServiceWatcher *w, const QString &name) {
  if (!bus()->serviceUid(name).isValid())
    return;
  w->addWatchedService(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:8: note: looked up here, before the watch starts
}

// --- the caller: QDBusMessage::service() of the message being handled ------
struct Daemon : QObject, QDBusContext {
  QDBusServiceWatcher *w;
  void Hold() {
    w->addWatchedService(message().service());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'message().service()' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-2]]:26: note: its request arrived here, before the watch starts
  }
  void HoldChecked() {
    const QString caller = message().service();
    w->addWatchedService(caller);
    if (!connection().interface()->isServiceRegistered(caller))
      gone(caller);
  }
};

// --- calls by name: QDBusInterface(service, ...), createMethodCall,
//     createTargetedSignal, startService -----------------------------------
void interfaceThenWatch(QDBusServiceWatcher *w, const QString &name) {
  QDBusInterface iface(name, QStringLiteral("/"), QStringLiteral("org.example.I"));
  w->addWatchedService(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:18: note: called here, before it is monitored
}
void watchThenInterface(QDBusServiceWatcher *w, const QString &name) {
  w->addWatchedService(name);
  QDBusInterface iface(name, QStringLiteral("/"), QStringLiteral("org.example.I"));
}
void methodCallThenWatch(QDBusServiceWatcher *w, const QString &name) {
  QDBusConnection::sessionBus().call(QDBusMessage::createMethodCall(name, QStringLiteral("/"), QStringLiteral("org.example.I"), QStringLiteral("Hold")));
  w->addWatchedService(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:38: note: called here, before it is monitored
}
void watchThenMethodCall(QDBusServiceWatcher *w, const QString &name) {
  w->addWatchedService(name);
  QDBusConnection::sessionBus().call(QDBusMessage::createMethodCall(name, QStringLiteral("/"), QStringLiteral("org.example.I"), QStringLiteral("Hold")));
}
void signalThenWatch(QDBusServiceWatcher *w, const QString &name) {
  QDBusConnection::sessionBus().send(QDBusMessage::createTargetedSignal(name, QStringLiteral("/"), QStringLiteral("org.example.I"), QStringLiteral("Changed")));
  w->addWatchedService(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:38: note: called here, before it is monitored
}
void watchThenSignal(QDBusServiceWatcher *w, const QString &name) {
  w->addWatchedService(name);
  QDBusConnection::sessionBus().send(QDBusMessage::createTargetedSignal(name, QStringLiteral("/"), QStringLiteral("org.example.I"), QStringLiteral("Changed")));
}
void startThenWatch(QDBusServiceWatcher *w, const QString &name) {
  bus()->startService(name);
  w->addWatchedService(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}
void watchThenStart(QDBusServiceWatcher *w, const QString &name) {
  w->addWatchedService(name);
  bus()->startService(name);
}

// --- edge monitors: the constructor with a service, setWatchedServices -----
void callThenNewWatcher(const QString &name) {
  bus()->startService(name);
  auto *w = new QDBusServiceWatcher(name, QDBusConnection::sessionBus(), QDBusServiceWatcher::WatchForUnregistration);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
  (void)w;
}
void newWatcherThenCall(const QString &name) {
  auto *w = new QDBusServiceWatcher(name, QDBusConnection::sessionBus(), QDBusServiceWatcher::WatchForUnregistration);
  bus()->startService(name);
  (void)w;
}
void callThenSetWatched(QDBusServiceWatcher *w, const QString &name) {
  bus()->startService(name);
  w->setWatchedServices({name});
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}
void setWatchedThenCall(QDBusServiceWatcher *w, const QString &name) {
  w->setWatchedServices(QStringList{name, QStringLiteral("org.example.Other")});
  bus()->startService(name);
}
