// RACY: the caller of a D-Bus method (QDBusContext::message().service()) is
// stored in a member of a local struct and watched through that member with
// QDBusServiceWatcher::addWatchedService (later unregistrations only) after
// its request arrived, with no re-check: a caller gone before the watch is
// never reported, and what was recorded for it stays.
// Stands for: KDE/kscreenlocker v5.27.10 interface.cpp
// ScreenLocker::Interface::Inhibit (`sr.dbusid = message().service(); ...
// m_serviceWatcher->addWatchedService(sr.dbusid);`): the screen locker stays
// inhibited for an application that exited before the watch.
// What the analysis did (main 5f32d40, the bin-snapshot): direct() and
// local() are reported (peer-monitor-after-call); member() and
// memberNoAppend() are not: the caller is not followed into a member of a
// local struct variable (a caller stored in a class member, and a pid in a
// struct member with the posix profile, are followed).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   qt-dbus}}" caller_in_local_struct_member.cpp -- -std=c++17 -fPIC
//   $(pkg-config --cflags Qt5DBus Qt5Core)
#include <QDBusContext>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
#include <QList>
#include <QObject>

struct Request {
  uint cookie;
  QString dbusid;
};

class Iface : public QObject, protected QDBusContext {
public:
  uint direct();
  uint local();
  uint member();
  uint memberNoAppend();
  QDBusServiceWatcher *m_watcher = new QDBusServiceWatcher(this);
  QList<Request> m_requests;
  uint m_next = 0;
};

uint Iface::direct() {
  m_watcher->addWatchedService(message().service()); // reported
  return 0;
}

uint Iface::local() {
  QString s = message().service();
  m_watcher->addWatchedService(s); // reported
  return 0;
}

uint Iface::member() {
  Request r;
  r.cookie = m_next++;
  r.dbusid = message().service();
  m_requests.append(r);
  m_watcher->addWatchedService(r.dbusid); // missed: kscreenlocker's shape
  return r.cookie;
}

uint Iface::memberNoAppend() {
  Request r;
  r.dbusid = message().service();
  m_watcher->addWatchedService(r.dbusid); // missed as well
  return 0;
}
