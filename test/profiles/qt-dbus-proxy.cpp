// Generated proxies (qdbusxml2cpp, run here on Inputs/org.example.Inhibitor.xml)
// and QDBusInterface talk to the service they were made for: their methods,
// property reads and call()/asyncCall() are calls to that service. Making a
// generated proxy is not itself a call (QDBusAbstractInterface does not
// introspect); a QDBusInterface's construction is.
// REQUIRES: qt5, qdbusxml2cpp
// RUN: rm -rf %t.gen && mkdir -p %t.gen
// RUN: qdbusxml2cpp -p %t.gen/inhibitor.h:%t.gen/inhibitor.cpp %S/Inputs/org.example.Inhibitor.xml
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: qt-dbus}}" %s %t -- %qt5-flags -I%t.gen
#include "inhibitor.h"
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusInterface>
#include <QDBusServiceWatcher>

void inhibitThenWatch(QDBusServiceWatcher *w, const QString &service) {
  OrgExampleInhibitorInterface inhibitor(service, QStringLiteral("/"), QDBusConnection::sessionBus());
  inhibitor.Inhibit(QStringLiteral("busy"));
  w->addWatchedService(service);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: called here, before it is monitored
}

void watchThenInhibit(QDBusServiceWatcher *w, const QString &service) {
  w->addWatchedService(service);
  OrgExampleInhibitorInterface inhibitor(service, QStringLiteral("/"), QDBusConnection::sessionBus());
  inhibitor.Inhibit(QStringLiteral("busy"));
}

// Made, but not used before the watch: no call yet.
void makeThenWatch(QDBusServiceWatcher *w, const QString &service) {
  auto *inhibitor = new OrgExampleInhibitorInterface(service, QStringLiteral("/"), QDBusConnection::sessionBus());
  w->addWatchedService(service);
  inhibitor->Inhibit(QStringLiteral("busy"));
}

// A property read is a call too; through new and a pointer.
void readThenWatch(QDBusServiceWatcher *w, const QString &service) {
  auto *inhibitor = new OrgExampleInhibitorInterface(service, QStringLiteral("/"), QDBusConnection::sessionBus());
  if (inhibitor->active())
    w->addWatchedService(service);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-3]]:7: note: called here, before it is monitored
}

// A proxy of another service says nothing about this one.
void otherServiceThenWatch(QDBusServiceWatcher *w, const QString &service) {
  OrgExampleInhibitorInterface inhibitor(QStringLiteral("org.example.Other"), QStringLiteral("/"), QDBusConnection::sessionBus());
  inhibitor.Inhibit(QStringLiteral("busy"));
  w->addWatchedService(service);
}

// QDBusInterface: constructing it introspects (a call); call() is another.
void interfaceCallThenWatch(QDBusServiceWatcher *w, const QString &service) {
  QDBusInterface iface(service, QStringLiteral("/"), QStringLiteral("org.example.Inhibitor"));
  iface.call(QStringLiteral("Inhibit"), QStringLiteral("busy"));
  w->addWatchedService(service);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'service' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-4]]:18: note: called here, before it is monitored
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: called here, before it is monitored
}

// The variable the proxy was made from changes: the proxy still talks to
// the old service, which 'service' no longer names.
void renamedThenWatch(QDBusServiceWatcher *w, QString service) {
  OrgExampleInhibitorInterface inhibitor(service, QStringLiteral("/"), QDBusConnection::sessionBus());
  service = QStringLiteral("org.example.Other");
  inhibitor.Inhibit(QStringLiteral("busy"));
  w->addWatchedService(service);
}
