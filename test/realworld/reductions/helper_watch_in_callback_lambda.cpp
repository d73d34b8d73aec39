// RACY: the caller (message().service()) is handed to a helper that watches it
// with QDBusServiceWatcher (later changes only) inside a timer lambda, 5 s
// after the request arrived, and nothing re-checks it: a client that quits
// within those 5 s is never reported and its inhibition stays.
// Stands for: KDE/powerdevil 818d1ecb1b (the parent of d21102cc6c),
// PolicyAgent::AddInhibition through addInhibitionWithExplicitDBusService
// (KDE bug 423131).
// What the analysis did (main 63bd176, the bin-snapshot): nothing for add();
// the same helper with the watch outside the lambda (addNow) is inferred as an
// edge monitor of its parameter and addNowCaller() is reported. An inferred
// wrapper's body is walked with the lambdas inside it skipped
// (docs/configuring.md, inferred wrappers), so a watch that only a callback
// lambda makes gives the helper no role.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   qt-dbus}}" helper_watch_in_callback_lambda.cpp -- -fPIC $(pkg-config --cflags Qt5DBus)
#include <QDBusContext>
#include <QDBusMessage>
#include <QDBusServiceWatcher>
#include <QTimer>

struct Agent : QObject, QDBusContext {
  QDBusServiceWatcher *watcher;

  void addLater(const QString &service) {
    QTimer::singleShot(5000, this, [=] { watcher->addWatchedService(service); });
  }
  void addNow(const QString &service) {
    watcher->addWatchedService(service);
  }

  void add() { addLater(message().service()); }          // missed
  void addNowCaller() { addNow(message().service()); }   // reported
};
