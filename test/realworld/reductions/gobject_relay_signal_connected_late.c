// RACY: a wrapper object watches a caller's name with g_bus_watch_name (which
// reports a name already gone, so the wrapper itself has no window) and relays
// the vanishing as its own GObject signal, "peer-vanished", emitted once. The
// consumer connects to that signal only later (after a timeout, or in an async
// continuation after calling the peer). If the caller left in between, the
// signal was emitted to no handler and is never emitted again: the consumer's
// record of the caller stays forever. The consumer's watch is the
// g_signal_connect, an edge monitor; nothing re-checks after it.
// Stands for: freedesktop/geoclue 2.5.7 src/gclue-service-manager.c
// complete_get_client, on_client_info_new_ready (20 s g_timeout_add at
// startup), on_agent_proxy_ready, on_agent_info_new_ready (the agent's proxy
// is created asynchronously between the watch and the connect); the wrapper is
// src/gclue-client-info.c (GClueClientInfo, on_get_pid_ready).
// What the analysis did (main 5f32d40, the bin-snapshot): nothing. The gio
// profile sees the wrapper's g_bus_watch_name_on_connection (state-reporting,
// rightly silent) and knows no watch in g_signal_connect(info, "peer-vanished",
// ...): a relay signal of an object holding a watch is not an edge monitor of
// the object's peer, and a continuation run by g_timeout_add or by an async
// call's callback is not followed as a deferred watch.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   gio}}" gobject_relay_signal_connected_late.c -- $(pkg-config --cflags gio-2.0)
#include <gio/gio.h>

typedef struct {
  GObject parent;
  char *bus_name;
  guint watch_id;
} Info;
typedef struct {
  GObjectClass parent_class;
} InfoClass;
G_DEFINE_TYPE(Info, info, G_TYPE_OBJECT)
static guint peer_vanished_signal;

static void info_init(Info *self) {}
static void info_class_init(InfoClass *klass) {
  peer_vanished_signal = g_signal_new("peer-vanished", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void on_name_vanished(GDBusConnection *c, const gchar *name, gpointer user_data) {
  g_signal_emit(user_data, peer_vanished_signal, 0); // once, to whoever is connected now
}

// The wrapper: watches the caller with a state-reporting watch (correct itself).
static Info *info_new(GDBusConnection *connection, const char *bus_name) {
  Info *info = g_object_new(info_get_type(), NULL);
  info->bus_name = g_strdup(bus_name);
  info->watch_id = g_bus_watch_name_on_connection(connection, bus_name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                  NULL, on_name_vanished, info, NULL);
  return info;
}

static GList *clients;

static void on_peer_vanished(Info *info, gpointer user_data) {
  clients = g_list_remove(clients, info);
}

// The consumer's watch, deferred: connected only when the timeout fires.
static gboolean complete_get_client(gpointer user_data) {
  Info *info = user_data;
  clients = g_list_prepend(clients, info);
  g_signal_connect(info, "peer-vanished", G_CALLBACK(on_peer_vanished), NULL); // missed
  return G_SOURCE_REMOVE;
}

// The caller's request arrives here.
gboolean handle_get_client(GDBusConnection *connection, GDBusMethodInvocation *invocation) {
  Info *info = info_new(connection, g_dbus_method_invocation_get_sender(invocation));
  g_timeout_add(20000, complete_get_client, info); // the window: up to 20 s
  g_dbus_method_invocation_return_value(invocation, NULL);
  return TRUE;
}

// The fix: connect before the watch can report, i.e. before returning to the
// main loop (or ask the wrapper whether its peer already vanished).
gboolean handle_get_client_fixed(GDBusConnection *connection, GDBusMethodInvocation *invocation) {
  Info *info = info_new(connection, g_dbus_method_invocation_get_sender(invocation));
  clients = g_list_prepend(clients, info);
  g_signal_connect(info, "peer-vanished", G_CALLBACK(on_peer_vanished), NULL);
  g_dbus_method_invocation_return_value(invocation, NULL);
  return TRUE;
}
