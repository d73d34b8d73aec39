//===- Gio.cpp - the GIO GDBus profile --------------------------*- C++ -*-===//
//
// Roles of GLib's GDBus as declared in Debian 12's libglib2.0-dev 2.74
// (/usr/include/glib-2.0/gio). A peer is a D-Bus connection, named by a bus
// name (const gchar *). docs/profiles/gio.md has the header and line of
// every entry.
//
//===----------------------------------------------------------------------===//

#include "../Roles.h"

namespace peer::profiles {

static const RoleEntry GioEntries[] = {
    // gdbusmethodinvocation.h: the sender of the call being handled.
    {Role::Caller, "::g_dbus_method_invocation_get_sender", 0},
    // gdbusconnection.h: a method handler of a GDBusInterfaceVTable
    // (connection, sender, object_path, interface_name, method_name,
    // parameters, invocation, user_data) is given the caller as `sender`.
    {.Kind = Role::Caller,
     .Name = "GDBusInterfaceMethodCallFunc",
     .PeerIndex = 1,
     .HandlerParameter = true},
    // gdbusconnection.h: g_dbus_connection_call_sync(connection, bus_name,
    // path, interface, method, parameters, ...) asking the bus GetNameOwner
    // or NameHasOwner of the name in g_variant_new ("(s)", name): a lookup of
    // that name, whose answer is returned (after a watch: its re-check).
    {Role::Lookup, "::g_dbus_connection_call_sync?arg4=='GetNameOwner'", 5},
    {Role::Lookup, "::g_dbus_connection_call_sync?arg4=='NameHasOwner'", 5},
    // The same asked with g_dbus_connection_call (..., cancellable, callback,
    // user_data): the answer goes to the callback. Asked after a watch, the
    // bus answers after it has set the watch up (it handles one connection's
    // messages in order), so a name already gone is reported there: the
    // re-check of "watch, then re-check" (NetworkManager's f662465948). With
    // no callback nothing hears the answer: a call of bus_name, below.
    {Role::Lookup, "::g_dbus_connection_call?arg4=='GetNameOwner'&&arg10!=null",
     5},
    {Role::Lookup, "::g_dbus_connection_call?arg4=='NameHasOwner'&&arg10!=null",
     5},
    // Otherwise: a call of bus_name.
    {Role::Call, "::g_dbus_connection_call", 1},
    {Role::Call, "::g_dbus_connection_call_sync", 1},
    {Role::Call, "::g_dbus_connection_call_with_unix_fd_list", 1},
    {Role::Call, "::g_dbus_connection_call_with_unix_fd_list_sync", 1},
    // gdbusproxy.h: a proxy for (connection or bus type, flags, info, name,
    // ...) talks to the name when made: it loads its properties (GetAll),
    // unless told not to; then it sends the name nothing (what it asks of
    // the bus, GetNameOwner and match rules, is no call of the peer).
    {Role::Call,
     "::g_dbus_proxy_new?arg1!&'G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES'", 3},
    {Role::Call,
     "::g_dbus_proxy_new_sync?arg1!&'G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_"
     "PROPERTIES'",
     3},
    {Role::Call,
     "::g_dbus_proxy_new_for_bus?arg1!&'G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_"
     "PROPERTIES'",
     3},
    {Role::Call,
     "::g_dbus_proxy_new_for_bus_sync?arg1!&'G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_"
     "PROPERTIES'",
     3},
    // gdbusnamewatching.h: g_bus_watch_name*(bus or connection, name, flags,
    // appeared, vanished, ...) reports the name's current state first, then
    // changes: a state-reporting monitor of the name's death, but only when
    // a vanished handler (argument 4) is given; without one it never
    // reports a death at all.
    {Role::Monitor, "::g_bus_watch_name?arg4!=null", 1},
    {Role::Monitor, "::g_bus_watch_name_on_connection?arg4!=null", 1},
    {Role::Monitor, "::g_bus_watch_name_with_closures?arg4!=null", 1},
    {Role::Monitor, "::g_bus_watch_name_on_connection_with_closures?arg4!=null",
     1},
    // gdbusconnection.h: g_dbus_connection_signal_subscribe(connection,
    // sender, interface, member, path, arg0, ...) for the bus's
    // NameOwnerChanged signal with arg0 = a name hears only later owner
    // changes of that name: an edge monitor of the name in argument 5.
    {Role::EdgeMonitor,
     "::g_dbus_connection_signal_subscribe?arg3=='NameOwnerChanged'", 5},
};

const llvm::ArrayRef<RoleEntry> Gio = GioEntries;

} // namespace peer::profiles
