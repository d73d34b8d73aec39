//===- LibDBus.cpp - the libdbus-1 profile ----------------------*- C++ -*-===//
//
// Roles of the reference D-Bus library as declared in Debian 12's
// libdbus-1-dev 1.14 (/usr/include/dbus-1.0/dbus). A peer is a D-Bus
// connection, named by a bus name (const char *). docs/profiles/libdbus.md
// has the header and line of every entry.
//
//===----------------------------------------------------------------------===//

#include "../Roles.h"

namespace peer::profiles {

static const RoleEntry LibDBusEntries[] = {
    // dbus-bus.h: dbus_bus_name_has_owner(connection, name, error) asks the
    // bus whether the name has an owner now; dbus_bus_get_unix_user
    // (connection, name, error) returns the owner's uid, (unsigned long)-1
    // when there is none.
    {Role::Lookup, "::dbus_bus_name_has_owner", 1},
    {Role::Lookup, "::dbus_bus_get_unix_user", 1},
    // dbus-message.h: the sender of the message being handled.
    {Role::Caller, "::dbus_message_get_sender", 0},
    // dbus-message.h: a method call, or a message re-addressed, to a name.
    {Role::Call, "::dbus_message_new_method_call", 0},
    {Role::Call, "::dbus_message_set_destination", 1},
    // dbus-bus.h: asks the bus to start the named service.
    {Role::Call, "::dbus_bus_start_service_by_name", 1},
    // dbus-bus.h: dbus_bus_add_match(connection, rule, error) with a rule on
    // the bus's NameOwnerChanged for arg0 = a name hears only later owner
    // changes of that name: an edge monitor of the name in the rule.
    {Role::EdgeMonitor, "::dbus_bus_add_match@1:rule"},

    // BlueZ's gdbus helper library (gdbus/gdbus.h, BlueZ 5.66), a layer over
    // libdbus that BlueZ, obexd, ConnMan, oFono and neard each carry a copy
    // of (it is in no -dev package). g_dbus_add_disconnect_watch(connection,
    // name, ...) reports only later disconnects: an edge monitor.
    // g_dbus_add_service_watch(connection, name, connect, disconnect, ...)
    // asks for the name's current owner first when given a connect callback
    // (state-reporting), and is an edge monitor without one.
    {Role::EdgeMonitor, "::g_dbus_add_disconnect_watch@1"},
    {Role::Monitor, "::g_dbus_add_service_watch@1?arg2!=null"},
    {Role::EdgeMonitor, "::g_dbus_add_service_watch@1?arg2==null"},
};

const llvm::ArrayRef<RoleEntry> LibDBus = LibDBusEntries;

} // namespace peer::profiles
