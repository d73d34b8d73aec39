// The caller's name, watched, then re-checked: the correct pattern for a
// caller. Without the re-check, or with the work done before the watch, the
// caller may be gone unnoticed.
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
struct Srv : QObject, QDBusContext {
  QDBusServiceWatcher *w;
  void onGone(const QString &);
  void Register() {
    const QString caller = message().service();
    w->addWatchedService(caller);
    if (!connection().interface()->isServiceRegistered(caller))
      onGone(caller);
  }
  void RegisterUnchecked() {
    const QString caller = message().service();
    w->addWatchedService(caller);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'caller' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-3]]:28: note: its request arrived here, before the watch starts
  }
};
