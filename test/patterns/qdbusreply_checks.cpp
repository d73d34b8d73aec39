// serviceOwner() as a query whose answer is then called; the QDBusReply is
// tested with isValid(). Watched first: correct.
// REQUIRES: qt5
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
QString name();
void ownerThenCall(QDBusServiceWatcher *w) {
  w->addWatchedService(name());
  QDBusReply<QString> owner = QDBusConnection::sessionBus().interface()->serviceOwner(name());
  if (!owner.isValid())
    return;
  QDBusMessage m = QDBusMessage::createMethodCall(owner.value(), QStringLiteral("/"), QStringLiteral("org.example.I"), QStringLiteral("Hold"));
  QDBusConnection::sessionBus().call(m);
}
void ownerUntested() {
  QDBusReply<QString> owner = QDBusConnection::sessionBus().interface()->serviceOwner(name());
  QDBusMessage m = QDBusMessage::createMethodCall(owner.value(), QStringLiteral("/"), QStringLiteral("org.example.I"), QStringLiteral("Hold"));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'owner' comes from a lookup that may find nothing, and is not checked for that on every path to this call [peer-unchecked-lookup]
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: looked up here
  QDBusConnection::sessionBus().call(m);
}
