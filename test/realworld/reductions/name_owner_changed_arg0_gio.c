// Reduction of the GDBus way to watch one name by hand (no corpus function:
// the GIO projects examined use g_bus_watch_name, which the profile handles);
// the "arg-dependent role": g_dbus_connection_signal_subscribe on
// NameOwnerChanged watches the name in arg0 (argument 5), not the sender
// (argument 1, always the bus itself).
// racy():   RACY - the caller is watched for NameOwnerChanged only after its
//           request arrived, with no re-check (GetNameOwner) after.
// correct(): CORRECT - subscribes first, then asks GetNameOwner (re-check).
// bus_first(): CORRECT for the bus itself (org.freedesktop.DBus never goes
//           away); RACY for `name` (a change between ListNames and the
//           subscription is lost).
// What the analysis did (PeerProfiles: gio) with the lead's build of 09:18 UTC
// (the profile as documented in docs/profiles/gio.md; the lead's in-progress
// build of 09:35 UTC, with an arg-dependent entry
// `g_dbus_connection_signal_subscribe?arg3=='NameOwnerChanged'@5`, reports
// racy() and is silent on bus_first(): keep this file as its test):
// racy() nothing - the profile's
// entry g_dbus_connection_signal_subscribe@1 takes "org.freedesktop.DBus" as
// the watched peer, so the caller is never watched. correct() nothing (right,
// but only because the bus name is not called before the subscription).
// bus_first() warns that '"org.freedesktop.DBus"' is watched after it was
// called: the wrong peer (a predicted false positive for any code that calls
// the bus driver, e.g. RequestName, then subscribes to one of its signals).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   gio}}" name_owner_changed_arg0_gio.c -- $(pkg-config --cflags gio-2.0)
#include <gio/gio.h>

static void changed(GDBusConnection *c, const gchar *s, const gchar *p, const gchar *i,
                    const gchar *n, GVariant *v, gpointer d) {}

guint racy(GDBusConnection *conn, GDBusMethodInvocation *invocation) {
  const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
  return g_dbus_connection_signal_subscribe(conn, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                            "NameOwnerChanged", "/org/freedesktop/DBus", sender,
                                            G_DBUS_SIGNAL_FLAGS_NONE, changed, NULL, NULL); // missed
}

guint correct(GDBusConnection *conn, const gchar *name) {
  guint id = g_dbus_connection_signal_subscribe(conn, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                                "NameOwnerChanged", "/org/freedesktop/DBus", name,
                                                G_DBUS_SIGNAL_FLAGS_NONE, changed, NULL, NULL);
  g_dbus_connection_call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                         "GetNameOwner", g_variant_new("(s)", name), NULL, G_DBUS_CALL_FLAGS_NONE,
                         -1, NULL, NULL, NULL);
  return id;
}

guint bus_first(GDBusConnection *conn, const gchar *name) {
  g_dbus_connection_call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                         "ListNames", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
  return g_dbus_connection_signal_subscribe(conn, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                            "NameOwnerChanged", "/org/freedesktop/DBus", name,
                                            G_DBUS_SIGNAL_FLAGS_NONE, changed, NULL, NULL); // wrong peer
}
