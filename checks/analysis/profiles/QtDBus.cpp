//===- QtDBus.cpp - the Qt D-Bus profile (Qt 5 and Qt 6) --------*- C++ -*-===//
//
// Roles of QtDBus as declared in Debian 12's qtbase5-dev 5.15.8 and
// qt6-base-dev 6.4.2 (the names and signatures below are the same in both).
// A peer is a D-Bus service, named by a QString (well-known or unique).
// docs/profiles/qt-dbus.md has the header and line of every entry.
//
//===----------------------------------------------------------------------===//

#include "../Roles.h"

namespace peer::profiles {

static const RoleEntry QtDBusEntries[] = {
    // --- State queries: the bus daemon answers about a name as it is now ----
    // qdbusconnectioninterface.h: isServiceRegistered, serviceOwner,
    // servicePid and serviceUid take the name and return a QDBusReply that
    // is invalid when the name has no owner.
    {Role::Lookup, "::QDBusConnectionInterface::isServiceRegistered", 0},
    {Role::Lookup, "::QDBusConnectionInterface::serviceOwner", 0},
    {Role::Lookup, "::QDBusConnectionInterface::servicePid", 0},
    {Role::Lookup, "::QDBusConnectionInterface::serviceUid", 0},

    // --- The caller of the request being handled -----------------------------
    // qdbusmessage.h: service() of an incoming message is its sender; in a
    // QDBusContext slot, message().service() is the caller's unique name.
    {Role::Caller, "::QDBusMessage::service", DefaultPeerIndex},

    // --- Calls addressed to a service by name -------------------------------
    // qdbusinterface.h: QDBusInterface(service, path, interface, connection,
    // parent) introspects the service at construction.
    {Role::Call,
     "::QDBusInterface::QDBusInterface(QString, QString, QString, "
     "QDBusConnection, QObject *)",
     0},
    // qdbusmessage.h: a method call or targeted signal addressed to a name.
    {Role::Call, "::QDBusMessage::createMethodCall", 0},
    {Role::Call, "::QDBusMessage::createTargetedSignal", 0},
    // qdbusconnectioninterface.h: asks the bus to start the named service.
    {Role::Call, "::QDBusConnectionInterface::startService", 0},

    // --- Proxies: an interface object talks to the service it was made for -
    // qdbusabstractinterface.h: QDBusAbstractInterface(service, path,
    // interface, connection, parent) is the base of QDBusInterface and of
    // every proxy qdbusxml2cpp generates; the generated methods (and
    // property reads) of a derived class, and call/asyncCall/callWith* of
    // the base, are calls to that service.
    {Role::Proxy, "::QDBusAbstractInterface", 0},
    {Role::Call, "::QDBusAbstractInterface::call", DefaultPeerIndex},
    {Role::Call, "::QDBusAbstractInterface::asyncCall", DefaultPeerIndex},
    {Role::Call, "::QDBusAbstractInterface::callWithArgumentList",
     DefaultPeerIndex},
    {Role::Call, "::QDBusAbstractInterface::asyncCallWithArgumentList",
     DefaultPeerIndex},
    {Role::Call, "::QDBusAbstractInterface::callWithCallback",
     DefaultPeerIndex},

    // --- Edge monitors: QDBusServiceWatcher reports only later changes ------
    // qdbusservicewatcher.h: the constructor that takes a service, and
    // addWatchedService / setWatchedServices.
    {Role::EdgeMonitor,
     "::QDBusServiceWatcher::QDBusServiceWatcher(QString, QDBusConnection, "
     "WatchMode, QObject *)",
     0},
    {Role::EdgeMonitor, "::QDBusServiceWatcher::addWatchedService", 0},
    {Role::EdgeMonitor, "::QDBusServiceWatcher::setWatchedServices", 0},
};

const llvm::ArrayRef<RoleEntry> QtDBus = QtDBusEntries;

} // namespace peer::profiles
