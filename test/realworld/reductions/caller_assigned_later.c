// Reduction of BlueZ 5.66 src/profile.c register_profile, obexd/src/manager.c
// register_agent and src/agent.c register_agent (corpus: bluez-5.66-*).
// RACY: the caller is watched by an edge watch (later disconnects only) after
// its request arrived, and nothing re-checks it.
// What the analysis did (main 7792cb9): nothing for assigned(): the caller's identity is
// lost when the variable is declared first and assigned later
// (`sender = dbus_message_get_sender(msg);`). initialised() is reported.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   libdbus, PeerEdgeMonitorFunctions: 'g_dbus_add_disconnect_watch@1'}}"
//   caller_assigned_later.c -- $(pkg-config --cflags dbus-1)
#include <dbus/dbus.h>
typedef void (*GDBusWatchFunction)(DBusConnection *connection, void *user_data);
unsigned g_dbus_add_disconnect_watch(DBusConnection *connection, const char *name,
                                     GDBusWatchFunction function, void *user_data,
                                     void (*destroy)(void *)); // BlueZ gdbus/gdbus.h
static void gone(DBusConnection *c, void *d) { (void)c; (void)d; }

unsigned assigned(DBusConnection *conn, DBusMessage *msg) {
  const char *sender;
  sender = dbus_message_get_sender(msg);
  return g_dbus_add_disconnect_watch(conn, sender, gone, NULL, NULL); // missed
}

unsigned initialised(DBusConnection *conn, DBusMessage *msg) {
  const char *sender = dbus_message_get_sender(msg);
  return g_dbus_add_disconnect_watch(conn, sender, gone, NULL, NULL); // reported
}
