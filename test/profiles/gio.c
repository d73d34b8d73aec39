// Every entry of the gio profile, racy and correct, against GLib's real
// headers (libglib2.0-dev).
// REQUIRES: gio
// RUN: %check_peer_tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles: gio}}" %s %t -- -std=gnu11 %gio-flags
#include <gio/gio.h>

static void appeared(GDBusConnection *c, const gchar *n, const gchar *o, gpointer d) {}
static void vanished(GDBusConnection *c, const gchar *n, gpointer d) {}
static void owner_changed(GDBusConnection *c, const gchar *s, const gchar *p,
                          const gchar *i, const gchar *m, GVariant *v, gpointer d) {}

// --- calls by name, then a state-reporting watch (with a vanished handler) --
void callThenWatch(GDBusConnection *bus, const gchar *name) {
  g_dbus_connection_call(bus, name, "/", "org.example.I", "Hold", NULL, NULL,
                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
  g_bus_watch_name_on_connection(bus, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                 appeared, vanished, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: called here, before it is monitored
}
void watchThenCall(GDBusConnection *bus, const gchar *name) {
  g_bus_watch_name_on_connection(bus, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                 appeared, vanished, NULL, NULL);
  g_dbus_connection_call(bus, name, "/", "org.example.I", "Hold", NULL, NULL,
                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}
void syncCallThenWatch(GDBusConnection *bus, const gchar *name) {
  GVariant *r = g_dbus_connection_call_sync(bus, name, "/", "org.example.I", "Hold",
                                            NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_bus_watch_name(G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                   appeared, vanished, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:17: note: called here, before it is monitored
  g_variant_unref(r);
}
// Without a vanished handler the watch never reports a death: no monitor.
void callThenAppearedOnly(GDBusConnection *bus, const gchar *name) {
  g_dbus_connection_call(bus, name, "/", "org.example.I", "Hold", NULL, NULL,
                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
  g_bus_watch_name(G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                   appeared, NULL, NULL, NULL);
}
void fdCallThenWatch(GDBusConnection *bus, const gchar *name) {
  g_dbus_connection_call_with_unix_fd_list(bus, name, "/", "org.example.I", "Hold", NULL, NULL,
                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL, NULL);
  g_bus_watch_name_with_closures(G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                 NULL, g_cclosure_new(G_CALLBACK(vanished), NULL, NULL));
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: called here, before it is monitored
}
void fdSyncCallThenWatch(GDBusConnection *bus, const gchar *name) {
  GVariant *r = g_dbus_connection_call_with_unix_fd_list_sync(bus, name, "/", "org.example.I", "Hold", NULL, NULL,
                                                              G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL, NULL);
  g_bus_watch_name_on_connection_with_closures(bus, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                               NULL, g_cclosure_new(G_CALLBACK(vanished), NULL, NULL));
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:17: note: called here, before it is monitored
  g_variant_unref(r);
}

// --- proxies: made for a name, they talk to it (properties are loaded) ----
void proxyThenWatch(const gchar *name) {
  GDBusProxy *p = g_dbus_proxy_new_for_bus_sync(G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_NONE, NULL,
                                                name, "/", "org.example.I", NULL, NULL);
  g_bus_watch_name(G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                   appeared, vanished, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:19: note: called here, before it is monitored
  g_object_unref(p);
}
void asyncProxyThenWatch(GDBusConnection *bus, const gchar *name) {
  g_dbus_proxy_new(bus, G_DBUS_PROXY_FLAGS_NONE, NULL, name, "/", "org.example.I", NULL, NULL, NULL);
  g_dbus_proxy_new_for_bus(G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_NONE, NULL, name, "/", "org.example.I", NULL, NULL, NULL);
  g_bus_watch_name(G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                   appeared, vanished, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: called here, before it is monitored
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: called here, before it is monitored
}
// Told not to load properties, a proxy sends the name nothing (NetworkManager
// 1.x's nm_secret_agent_new, before f662465948): no call; another flag alone
// leaves the loading, and a flag computed at run time may.
void propertylessProxyThenWatch(GDBusConnection *bus, const gchar *name) {
  GDBusProxy *p = g_dbus_proxy_new_sync(
      bus, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
      NULL, name, "/", "org.example.I", NULL, NULL);
  g_dbus_proxy_new_for_bus(G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES, NULL,
                           name, "/", "org.example.I", NULL, NULL, NULL);
  g_bus_watch_name(G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                   appeared, vanished, NULL, NULL);
  g_object_unref(p);
}
void otherFlagProxyThenWatch(GDBusConnection *bus, const gchar *name, GDBusProxyFlags flags) {
  g_dbus_proxy_new(bus, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, NULL, name, "/", "org.example.I",
                   NULL, NULL, NULL);
  g_dbus_proxy_new(bus, flags, NULL, name, "/", "org.example.I", NULL, NULL, NULL);
  g_bus_watch_name(G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                   appeared, vanished, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-2]]:3: warning: 'name' is monitored only after it was called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: called here, before it is monitored
  // CHECK-MESSAGES: :[[@LINE-5]]:3: note: called here, before it is monitored
}
void watchThenProxy(GDBusConnection *bus, const gchar *name) {
  g_bus_watch_name(G_BUS_TYPE_SESSION, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                   appeared, vanished, NULL, NULL);
  GDBusProxy *p = g_dbus_proxy_new_sync(bus, G_DBUS_PROXY_FLAGS_NONE, NULL, name, "/",
                                        "org.example.I", NULL, NULL);
  g_object_unref(p);
}

// --- a caller's name copied (g_strdup) into a member, watched there -------
// (NetworkManager 1.x's nm_secret_agent_new keeps its RegisterAgent caller
// in priv->dbus_owner = g_strdup (dbus_owner) before subscribing.)
struct agent { gchar *owner; guint id; };
void copiedCaller(GDBusConnection *bus, GDBusMethodInvocation *invocation, struct agent *a) {
  const gchar *sender;
  sender = g_dbus_method_invocation_get_sender(invocation);
  a->owner = g_strdup(sender);
  a->id = g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                             "NameOwnerChanged", "/org/freedesktop/DBus", a->owner,
                                             G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-3]]:11: warning: 'a->owner' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-6]]:12: note: its request arrived here, before the watch starts
}
void copiedOtherName(GDBusConnection *bus, GDBusMethodInvocation *invocation, struct agent *a,
                     const gchar *service) {
  const gchar *sender;
  sender = g_dbus_method_invocation_get_sender(invocation);
  a->owner = g_strdup(service);
  a->id = g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                             "NameOwnerChanged", "/org/freedesktop/DBus", a->owner,
                                             G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  (void)sender;
}

// --- the bus asked GetNameOwner / NameHasOwner (a lookup of the name) -----
static GVariant *ownerOf(GDBusConnection *bus, const gchar *name) {
  return g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                     "org.freedesktop.DBus", "GetNameOwner",
                                     g_variant_new("(s)", name), G_VARIANT_TYPE("(s)"),
                                     G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
}
void askThenSubscribe(GDBusConnection *bus, const gchar *name) {
  GVariant *owner = g_dbus_connection_call_sync(
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
      g_variant_new("(s)", name), G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", name,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-3]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-7]]:21: note: looked up here, before the watch starts
  g_variant_unref(owner);
}
// Subscribe, then ask (NetworkManager's fix f662465948, synchronously):
// watch, then re-check.
gboolean subscribeThenAsk(GDBusConnection *bus, const gchar *name) {
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", name,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  GVariant *owner = g_dbus_connection_call_sync(
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetNameOwner",
      g_variant_new("(s)", name), G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (!owner)
    return FALSE;
  g_variant_unref(owner);
  return TRUE;
}

// Asked asynchronously, the answer goes to a callback. After the
// subscription it is still the re-check: the bus answers after it has set up
// the match rule, so a name already gone is reported to the callback
// (NetworkManager's f662465948, nm_dbus_connection_call_get_name_owner).
static void owner_answered(GObject *source, GAsyncResult *res, gpointer data) {}
void subscribeThenAskLater(GDBusConnection *bus, GDBusMethodInvocation *invocation) {
  const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", sender,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  g_dbus_connection_call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus", "GetNameOwner", g_variant_new("(s)", sender),
                         G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                         owner_answered, NULL);
}
void subscribeThenAskHasOwnerLater(GDBusConnection *bus, const gchar *name) {
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", name,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  g_dbus_connection_call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus", "NameHasOwner", g_variant_new("(s)", name),
                         G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                         owner_answered, NULL);
}
// Asked with no callback, nobody hears the answer: no re-check.
void subscribeThenAskNobody(GDBusConnection *bus, GDBusMethodInvocation *invocation) {
  const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", sender,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-3]]:3: warning: 'sender' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:25: note: its request arrived here, before the watch starts
  g_dbus_connection_call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus", "GetNameOwner", g_variant_new("(s)", sender),
                         G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}
// Asked first, subscribed after: the answer may be stale before the watch.
void askLaterThenSubscribe(GDBusConnection *bus, const gchar *name) {
  g_dbus_connection_call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus", "GetNameOwner", g_variant_new("(s)", name),
                         G_VARIANT_TYPE("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                         owner_answered, NULL);
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", name,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-3]]:3: warning: 'name' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-8]]:3: note: looked up here, before the watch starts
}

// --- the caller, and NameOwnerChanged for one name (an edge monitor) ------
static void handle(GDBusConnection *bus, GDBusMethodInvocation *invocation) {
  const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", sender,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-3]]:3: warning: 'sender' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-5]]:25: note: its request arrived here, before the watch starts
}
// Subscribing to a sender's other signals watches no one's death.
void callThenSubscribe(GDBusConnection *bus, const gchar *name) {
  g_dbus_connection_call(bus, name, "/", "org.example.I", "Hold", NULL, NULL,
                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
  g_dbus_connection_signal_subscribe(bus, name, "org.example.I", "Changed", "/", NULL,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
}
void subscribeThenCall(GDBusConnection *bus, const gchar *name) {
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", name,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  g_dbus_connection_call(bus, name, "/", "org.example.I", "Hold", NULL, NULL,
                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}

// --- a GDBusInterfaceVTable method handler: its caller is `sender` --------
// Watched late with NameOwnerChanged: reported, with the note at the
// parameter.
static void method_call(GDBusConnection *bus, const gchar *sender, const gchar *path,
                        const gchar *interface, const gchar *method, GVariant *params,
                        GDBusMethodInvocation *invocation, gpointer data) {
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", sender,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
  // CHECK-MESSAGES: :[[@LINE-3]]:3: warning: 'sender' is watched by an edge monitor only after it was looked up or called{{.*}} [peer-monitor-after-call]
  // CHECK-MESSAGES: :[[@LINE-7]]:60: note: its request arrived with this handler's call, the caller in this parameter, before the watch starts
}
// Watched with g_bus_watch_name_on_connection, which reports the current
// state first (iio-sensor-proxy): correct.
static void method_call_watched(GDBusConnection *bus, const gchar *sender,
                                const gchar *path, const gchar *interface,
                                const gchar *method, GVariant *params,
                                GDBusMethodInvocation *invocation, gpointer data) {
  g_bus_watch_name_on_connection(bus, sender, G_BUS_NAME_WATCHER_FLAGS_NONE, appeared,
                                 vanished, NULL, NULL);
}
// Another signature (no user_data): no handler, `sender` a plain value.
static void not_a_handler(GDBusConnection *bus, const gchar *sender, const gchar *path,
                          const gchar *interface, const gchar *method, GVariant *params,
                          GDBusMethodInvocation *invocation) {
  g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                     "NameOwnerChanged", "/org/freedesktop/DBus", sender,
                                     G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, NULL, NULL);
}
const GDBusInterfaceVTable vtable = {method_call, NULL, NULL};
const GDBusInterfaceVTable vtable_watched = {method_call_watched, NULL, NULL};
void use_not_a_handler(void) { (void)not_a_handler; }
