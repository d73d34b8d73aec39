// Reduction of kwallet v5.103.0 src/runtime/kwalletd/kwalletfreedesktopsession.cpp,
// KWalletFreedesktopSession::KWalletFreedesktopSession (corpus:
// kwallet-v5.103.0-fdosession).
// RACY: the caller of OpenSession (message.service()) is stored in a member by
// the constructor's initializer list and watched in the body, after its request
// arrived; nothing re-checks it, so a session whose client already quit is
// never closed.
// What the analysis did (main 7792cb9): nothing: the member's value from the mem-initializer
// is not carried into the body (the same code with `const QString name =
// message.service();` in the body is reported).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   qt-dbus}}" caller_in_member_initializer.cpp -- -fPIC $(pkg-config --cflags Qt5DBus)
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusServiceWatcher>

class Session : public QObject {
public:
  Session(const QDBusConnection &connection, const QDBusMessage &message);
private:
  QString m_serviceBusName;
  QDBusServiceWatcher m_serviceWatcher;
};

Session::Session(const QDBusConnection &connection, const QDBusMessage &message)
    : m_serviceBusName(message.service()) {
  m_serviceWatcher.setConnection(connection);
  m_serviceWatcher.addWatchedService(m_serviceBusName); // missed
  m_serviceWatcher.setWatchMode(QDBusServiceWatcher::WatchForOwnerChange);
}
