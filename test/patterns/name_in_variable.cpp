// The service name held in a parameter, an expression of it, and a member:
// the race written three ways; and the same with the watch first.
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusServiceWatcher>
struct S {
  QDBusServiceWatcher *w;
  QString m_name;
  bool byParameter(const QString &service) {
    if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(service))
      return false;
    w->addWatchedService(service);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:10: note: looked up here, before the watch starts
    return true;
  }
  bool byExpression(const QString &service) {
    if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(QString(service)))
      return false;
    w->addWatchedService(QString(service));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'QString(service)' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:10: note: looked up here, before the watch starts
    return true;
  }
  bool byMember() {
    if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(m_name))
      return false;
    w->addWatchedService(m_name);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'm_name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
    // CHECK-MESSAGES: :[[@LINE-4]]:10: note: looked up here, before the watch starts
    return true;
  }
  bool watchFirst(const QString &service) {
    w->addWatchedService(service);
    return QDBusConnection::sessionBus().interface()->isServiceRegistered(service);
  }
  bool anotherName(const QString &service, const QString &other) {
    if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(other))
      return false;
    w->addWatchedService(service);
    return true;
  }
};
