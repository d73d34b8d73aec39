// RACY: a D-Bus method handler hands its sender to a helper that watches a
// copy of it (g_strdup into a member of a new record) with
// g_dbus_add_disconnect_watch, which reports only later disconnects, after
// the request arrived and with no re-check: a client gone before the watch
// keeps its private network.
// Stands for: aldebaran/connman 914cf2749d (ConnMan 1.15) src/manager.c
// request_private_network, through src/tethering.c
// __connman_private_network_request (pn->owner = g_strdup(owner)).
// What the analysis did (the session's bin-snapshot, at or before main 0cee890): nothing. A helper
// that watches its parameter itself is summarised as an edge monitor of it
// (`watch_direct`, reported at its call in `direct`; ConnMan's agent.c and
// counter.c helpers are of that shape and their handlers are found); one
// that watches a g_strdup copy, in a local or a member, is not, in this unit
// or another. Within one function the copy is followed
// (`__connman_session_create` is found).
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   libdbus}}" helper_watches_copy_of_parameter.c -- -std=gnu99
//   $(pkg-config --cflags dbus-1 glib-2.0)
#include <dbus/dbus.h>
#include <glib.h>

/* BlueZ's gdbus helper library, copied into ConnMan (gdbus/gdbus.h). */
typedef void (*GDBusWatchFunction)(DBusConnection *connection, void *user_data);
typedef void (*GDBusDestroyFunction)(void *user_data);
guint g_dbus_add_disconnect_watch(DBusConnection *connection, const char *name,
                                  GDBusWatchFunction function, void *user_data,
                                  GDBusDestroyFunction destroy);

static DBusConnection *connection;
struct private_network { char *owner; guint watch; };
static void owner_disconnect(DBusConnection *conn, void *user_data) {}

static int watch_copy(DBusMessage *msg, const char *owner) {
  struct private_network *pn = g_new0(struct private_network, 1);
  pn->owner = g_strdup(owner);
  pn->watch = g_dbus_add_disconnect_watch(connection, pn->owner, owner_disconnect, pn, NULL);
  return 0;
}

static int watch_direct(const char *owner) {
  g_dbus_add_disconnect_watch(connection, owner, owner_disconnect, NULL, NULL);
  return 0;
}

DBusMessage *request_private_network(DBusConnection *conn, DBusMessage *msg, void *data) {
  const char *sender = dbus_message_get_sender(msg);
  watch_copy(msg, sender); // the race: the caller, watched late through a copy
  return NULL;
}

DBusMessage *direct(DBusConnection *conn, DBusMessage *msg, void *data) {
  const char *sender = dbus_message_get_sender(msg);
  watch_direct(sender); // reported
  return NULL;
}
