// RACY (latent: no corpus function is racy this way): a GDBus method handler
// registered through a GDBusInterfaceVTable gets the caller as its `sender`
// argument; watching it with a NameOwnerChanged subscription (later changes
// only) after its request arrived, with no re-check, leaves the window of
// g_dbus_method_invocation_get_sender's callers.
// Stands for: hadess/iio-sensor-proxy 2.8 handle_generic_method_call, which
// takes `sender` this way (correct there: it watches with the state-reporting
// g_bus_watch_name_on_connection, so its row tests silence only weakly).
// What the analysis did (main 63bd176, the bin-snapshot): nothing for
// handle_method_call(); the same subscription of
// g_dbus_method_invocation_get_sender (handle_method_call2) is reported. The
// gio profile's only caller is g_dbus_method_invocation_get_sender
// (docs/profiles/gio.md); a parameter is a plain value.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   gio}}" gio_vtable_sender_not_a_caller.c -- $(pkg-config --cflags gio-2.0)
#include <gio/gio.h>

static void on_owner(GDBusConnection *c, const gchar *s, const gchar *p, const gchar *i,
                     const gchar *n, GVariant *v, gpointer d) {}

static void handle_method_call(GDBusConnection *connection, const gchar *sender,
                               const gchar *object_path, const gchar *interface_name,
                               const gchar *method_name, GVariant *parameters,
                               GDBusMethodInvocation *invocation, gpointer user_data) {
  g_dbus_connection_signal_subscribe(connection, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", sender,
                                     G_DBUS_SIGNAL_FLAGS_NONE, on_owner, NULL, NULL); // missed
}

static void handle_method_call2(GDBusConnection *connection, const gchar *unused,
                                const gchar *object_path, const gchar *interface_name,
                                const gchar *method_name, GVariant *parameters,
                                GDBusMethodInvocation *invocation, gpointer user_data) {
  const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
  g_dbus_connection_signal_subscribe(connection, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", sender,
                                     G_DBUS_SIGNAL_FLAGS_NONE, on_owner, NULL, NULL); // reported
}

const GDBusInterfaceVTable vtable = {handle_method_call, NULL, NULL};
const GDBusInterfaceVTable vtable2 = {handle_method_call2, NULL, NULL};
