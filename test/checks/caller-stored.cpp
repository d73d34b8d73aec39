// A caller's identity stored before it is watched: assigned to a variable
// declared earlier, or to a member (in the body, or by a constructor's
// member initializer). The request arrived before the watch all the same.
// (Reductions of kwallet 5.103's KWalletFreedesktopSession and of BlueZ 5.66.)
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusServiceWatcher>

void assigned(QDBusServiceWatcher &w, const QDBusMessage &message) {
  QString service;
  service = message.service();
  w.addWatchedService(service);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:13: note: its request arrived here, before the watch starts
}

void reassignedAway(QDBusServiceWatcher &w, const QDBusMessage &message) {
  QString service;
  service = message.service();
  service = QStringLiteral("org.example.Fixed");
  w.addWatchedService(service);
}

class Session : public QObject {
public:
  Session(const QDBusConnection &connection, const QDBusMessage &message);
  void reopen(const QDBusMessage &message);
  void reopenChecked(const QDBusMessage &message);

private:
  QString m_serviceBusName;
  QDBusServiceWatcher m_serviceWatcher;
};

Session::Session(const QDBusConnection &connection, const QDBusMessage &message)
    : m_serviceBusName(message.service()) {
  m_serviceWatcher.setConnection(connection);
  m_serviceWatcher.addWatchedService(m_serviceBusName);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'm_serviceBusName' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:24: note: its request arrived here, before the watch starts
}

void Session::reopen(const QDBusMessage &message) {
  m_serviceBusName = message.service();
  m_serviceWatcher.addWatchedService(m_serviceBusName);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'm_serviceBusName' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:22: note: its request arrived here, before the watch starts
}

void Session::reopenChecked(const QDBusMessage &message) {
  m_serviceBusName = message.service();
  m_serviceWatcher.addWatchedService(m_serviceBusName);
  if (!QDBusConnection::sessionBus().interface()->isServiceRegistered(m_serviceBusName))
    deleteLater();
}

// In a member of a local record (kscreenlocker 5.27.10's Interface::Inhibit:
// sr.dbusid = message().service(), other members written after it, then
// addWatchedService(sr.dbusid)). Writing another member leaves it.
struct Request {
  uint cookie;
  QString dbusid;
  uint other;
};

uint inLocalMember(QDBusServiceWatcher &w, const QDBusMessage &message,
                   uint next) {
  Request r;
  r.cookie = next;
  r.dbusid = message.service();
  r.other = next + 1;
  w.addWatchedService(r.dbusid);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'r.dbusid' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:14: note: its request arrived here, before the watch starts
  return r.cookie;
}

// That member, or the whole record, given another value before the watch:
// what is watched is no caller.
void localMemberReassigned(QDBusServiceWatcher &w, const QDBusMessage &message) {
  Request r;
  r.dbusid = message.service();
  r.dbusid = QStringLiteral("org.example.Fixed");
  w.addWatchedService(r.dbusid);
}

void localRecordReassigned(QDBusServiceWatcher &w, const QDBusMessage &message,
                           const Request &fixed) {
  Request r;
  r.dbusid = message.service();
  r = fixed;
  w.addWatchedService(r.dbusid);
}
