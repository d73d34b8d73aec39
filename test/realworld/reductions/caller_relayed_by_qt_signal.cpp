// RACY: a D-Bus adaptor emits its caller (message().service()) in a Qt
// signal whose slot watches it with addWatchedService, after the request
// arrived and with no re-check: the actions of a client gone before the
// watch stay registered.
// Stands for: lxqt/lxqt-globalkeys 1.4.0 daemon/native_adaptor.cpp
// NativeAdaptor::addClientAction, whose signal reaches Core::addClientAction
// in daemon/core.cpp (connected in Core's constructor; core.cpp itself needs
// liblxqt's headers, which install-deps.sh does not install, so it is not
// a unit of the corpus entry).
// What the analysis did (the session's bin-snapshot, at or before main 0cee890): nothing, here with
// both classes in one unit. A caller handed to a helper that watches it is
// reported (KDE's kded adaptor); an emitted signal is no call of the slots
// connected to it.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   qt-dbus}}" caller_relayed_by_qt_signal.cpp -- -std=c++17 -fPIC
//   $(pkg-config --cflags Qt5DBus Qt5Core)
#include <QDBusContext>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
#include <QObject>

class NativeAdaptor : public QObject, protected QDBusContext {
  Q_OBJECT
public:
  void addClientAction(const QString &path) {
    // the race: the caller goes to a slot that watches it late
    emit onAddClientAction(path, calledFromDBus() ? message().service() : QString());
  }
Q_SIGNALS:
  void onAddClientAction(const QString &path, const QString &sender);
};

class Core : public QObject {
public:
  explicit Core(NativeAdaptor *adaptor) {
    connect(adaptor, &NativeAdaptor::onAddClientAction, this, &Core::addClientAction);
  }
  void addClientAction(const QString &path, const QString &sender) { mWatcher->addWatchedService(sender); }
  QDBusServiceWatcher *mWatcher = nullptr;
};
