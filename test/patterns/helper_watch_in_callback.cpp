// A helper that watches the name it is given only in a callback it hands
// over (a timer's lambda) watches it after it returns: its caller's request
// arrived before the watch, and a re-check the caller makes after the call
// comes before the watch too. A helper that watches and then re-checks (at
// once or in the callback) misses nothing: its callers are silent.
// Stands for KDE/powerdevil before d21102cc6c (PolicyAgent::AddInhibition,
// KDE bug 423131; docs/real-world.md).
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusContext>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
#include <QTimer>

struct Agent : QObject, QDBusContext {
  QDBusServiceWatcher *watcher;
  void forget(const QString &service);
  bool registered(const QString &service) {
    return QDBusConnection::sessionBus().interface()->isServiceRegistered(service);
  }

  void watchLater(const QString &service) {
    QTimer::singleShot(5000, this, [=] { watcher->addWatchedService(service); });
  }
  void watchNow(const QString &service) { watcher->addWatchedService(service); }
  void watchNowRechecked(const QString &service) {
    watcher->addWatchedService(service);
    if (!registered(service))
      forget(service);
  }
  void watchLaterRechecked(const QString &service) {
    QTimer::singleShot(5000, this, [=] {
      watcher->addWatchedService(service);
      if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(service))
        forget(service);
    });
  }

  void Inhibit() {
    watchLater(message().service());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'message().service()' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-2]]:16: note: its request arrived here, before the watch starts
  }
  // The caller's re-check runs before the timer fires.
  void InhibitRechecked() {
    const QString caller = message().service();
    watchLater(caller);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'caller' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-3]]:28: note: its request arrived here, before the watch starts
    if (!registered(caller))
      forget(caller);
  }
  // Watched at once, then re-checked by the caller: correct.
  void InhibitNow() {
    const QString caller = message().service();
    watchNow(caller);
    if (!registered(caller))
      forget(caller);
  }
  // The helpers that watch, then re-check: correct.
  void InhibitNowRechecked() { watchNowRechecked(message().service()); }
  void InhibitLaterRechecked() { watchLaterRechecked(message().service()); }
};
