// RACY: a D-Bus method handler watches the service named by its argument,
// which by the protocol is the requester's own name (a StatusNotifierHost
// registers itself with RegisterStatusNotifierHost(its service name)), only
// after the request arrived and with no re-check: a host that exits before
// the watch starts is never reported and stays registered.
// Stands for: lxqt/lxqt-panel 1.4.0
// plugin-statusnotifier/statusnotifierwatcher.cpp
// StatusNotifierWatcher::RegisterStatusNotifierHost (unfixed up to 2.4.1).
// What the analysis did (main 9b8e201, the bin-snapshot): nothing. The
// qt-dbus profile's caller is the request's sender (message().service());
// a name passed as an argument is no peer until something looks it up or
// calls it, and here nothing does before the watch. `fromSender`, the same
// with the sender, is reported.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   qt-dbus}}" peer_named_by_request_argument.cpp -- -std=c++17 -fPIC
//   $(pkg-config --cflags Qt5DBus Qt5Core)
#include <QDBusContext>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
#include <QObject>
#include <QStringList>

class Watcher : public QObject, protected QDBusContext {
public:
  void RegisterStatusNotifierHost(const QString &service) {
    if (!mHosts.contains(service)) {
      mHosts.append(service);
      mWatcher->addWatchedService(service); // the race: the requester, watched late
    }
  }
  void fromSender() {
    const QString service = message().service();
    mHosts.append(service);
    mWatcher->addWatchedService(service);
  }

private:
  QStringList mHosts;
  QDBusServiceWatcher *mWatcher = nullptr;
};
