// Qt form of caller_assigned_later.c (same cause, no corpus function of its
// own; kwallet's KWalletFreedesktopSession is the member form, see
// caller_in_member_initializer.cpp).
// RACY: the caller is watched by QDBusServiceWatcher (later changes only)
// after its request arrived, and nothing re-checks it.
// What the analysis did (main 7792cb9): nothing for assigned(); initialised() is reported.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   qt-dbus}}" caller_assigned_later_qt.cpp -- -fPIC $(pkg-config --cflags Qt5DBus)
#include <QDBusMessage>
#include <QDBusServiceWatcher>

void assigned(QDBusServiceWatcher &w, const QDBusMessage &message) {
  QString service;
  service = message.service();
  w.addWatchedService(service); // missed
}

void initialised(QDBusServiceWatcher &w, const QDBusMessage &message) {
  const QString service = message.service();
  w.addWatchedService(service); // reported
}
