// A project's helper (NetworkManager's nm_dbus_connection_call_get_name_owner
// in shared/nm-glib-aux/nm-dbus-aux.c): asks the bus GetNameOwner of a name,
// the answer to the callback it is handed.
#include <gio/gio.h>
#include "dbus-aux.h"

static void got_reply(GObject *source, GAsyncResult *res, gpointer data) {
  (void)source;
  (void)res;
  (void)data;
}

void call_get_name_owner(GDBusConnection *bus, const char *name, int timeout_msec,
                         GCancellable *cancellable, GetNameOwnerCb callback, gpointer data) {
  (void)callback;
  g_dbus_connection_call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus", "GetNameOwner", g_variant_new("(s)", name),
                         G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, timeout_msec, cancellable,
                         got_reply, data);
}
