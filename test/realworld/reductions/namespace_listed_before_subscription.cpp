// RACY: the services of a name prefix are listed first
// (registeredServiceNames) and the owner changes subscribed to only after
// (QDBusConnectionInterface::serviceOwnerChanged), with no second listing: a
// service that appears in between is never used, and one that exits in
// between stays in the set and is called at every query.
// Stands for: KDE/krunner v5.103.0 src/dbusrunner.cpp DBusRunner::DBusRunner
// (a wildcard X-Plasma-DBusRunner-Service; unchanged up to v6.27.0).
// gnome-settings-daemon 43.0's bus-watch-namespace.c is the correct order
// (subscribe, then list), in GDBus.
// What the analysis did (the session's bin-snapshot, at or before main 0cee890): nothing. The
// qt-dbus profile has neither the listing (a lookup of every name) nor the
// interface's serviceOwnerChanged signal (an edge monitor of every name), and
// its peers are names, not a prefix.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   qt-dbus}}" namespace_listed_before_subscription.cpp -- -std=c++17 -fPIC
//   $(pkg-config --cflags Qt5DBus Qt5Core)
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QObject>
#include <QSet>
#include <QStringList>

class Runner : public QObject {
public:
  explicit Runner(const QString &prefix) {
    auto names = QDBusConnection::sessionBus().interface()->registeredServiceNames();
    for (const QString &n : names.value())
      if (n.startsWith(prefix))
        m_services << n;
    // the race: the subscription starts after the listing
    connect(QDBusConnection::sessionBus().interface(), &QDBusConnectionInterface::serviceOwnerChanged, this,
            [this, prefix](const QString &n, const QString &oldOwner, const QString &newOwner) {
              if (!n.startsWith(prefix))
                return;
              if (newOwner.isEmpty())
                m_services.remove(n);
              else
                m_services.insert(n);
            });
  }
  QSet<QString> m_services;
};
