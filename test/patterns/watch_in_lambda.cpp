// Query now, watch later in a reply or slot lambda: the lambda runs after
// everything the function did, the query included.
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusPendingCallWatcher>
#include <QDBusServiceWatcher>
QString name();
void lookupNowWatchLater(QDBusServiceWatcher *w, QDBusPendingCall call, QObject *ctx) {
  bool up = QDBusConnection::sessionBus().interface()->isServiceRegistered(name());
  auto *pw = new QDBusPendingCallWatcher(call, ctx);
  QObject::connect(pw, &QDBusPendingCallWatcher::finished, ctx, [w] {
    w->addWatchedService(name());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'name()' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-5]]:13: note: looked up here, before the watch starts
  });
  (void)up;
}
void watchInLambdaThenRecheck(QDBusServiceWatcher *w, QDBusPendingCall call, QObject *ctx) {
  auto *pw = new QDBusPendingCallWatcher(call, ctx);
  QObject::connect(pw, &QDBusPendingCallWatcher::finished, ctx, [w] {
    w->addWatchedService(name());
    if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(name()))
      return;
  });
}
