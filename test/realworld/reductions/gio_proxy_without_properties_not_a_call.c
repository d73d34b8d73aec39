// CORRECT (latent: no corpus function is judged on this alone): a GDBusProxy
// made with G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES (and
// DO_NOT_CONNECT_SIGNALS) for a unique name sends nothing to that name: it
// loads no properties, and a unique name needs no GetNameOwner. Watching the
// name after making such a proxy leaves no window that the proxy opened.
// Stands for: NetworkManager 52f9c8ecf3 (before f662465948)
// src/settings/nm-secret-agent.c nm_secret_agent_new, which makes its agent's
// proxy this way and then subscribes to NameOwnerChanged. That function is
// racy for another reason (its caller's RegisterAgent request arrived before
// the subscription, which the profile cannot see: the name comes from
// nm_auth_subject_get_unix_process_dbus_sender), and is found, but the
// finding's note points at the proxy ("called here"), not at the request.
// What the analysis did (main 5f32d40, the bin-snapshot): watch_agent() is
// reported (peer-monitor-after-call, note "called here" at
// g_dbus_proxy_new_sync), as is watch_agent_loading() (rightly: that proxy
// calls GetAll on the name). The gio profile takes every g_dbus_proxy_new*
// for a call of its name argument (docs/profiles/gio.md), whatever the flags.
// watch_agent() takes the name from its parameter and learns of no peer
// itself; by the corpus's rule (BlueZ agent_create) it is correct.
// Run: peer-tidy --checks='-*,peer-*' --config="{CheckOptions: {PeerProfiles:
//   gio}}" gio_proxy_without_properties_not_a_call.c -- $(pkg-config --cflags gio-2.0)
#include <gio/gio.h>

static void on_owner(GDBusConnection *c, const gchar *s, const gchar *p, const gchar *i,
                     const gchar *n, GVariant *v, gpointer d) {}

GDBusProxy *watch_agent(GDBusConnection *connection, const char *unique_name, guint *id) {
  GDBusProxy *proxy = g_dbus_proxy_new_sync(
      connection, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
      NULL, unique_name, "/org/freedesktop/NetworkManager/SecretAgent",
      "org.freedesktop.NetworkManager.SecretAgent", NULL, NULL); // sends nothing
  *id = g_dbus_connection_signal_subscribe(connection, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                           "NameOwnerChanged", "/org/freedesktop/DBus", unique_name,
                                           G_DBUS_SIGNAL_FLAGS_NONE, on_owner, NULL, NULL); // reported
  return proxy;
}

GDBusProxy *watch_agent_loading(GDBusConnection *connection, const char *unique_name, guint *id) {
  GDBusProxy *proxy = g_dbus_proxy_new_sync(connection, G_DBUS_PROXY_FLAGS_NONE, NULL, unique_name,
                                            "/org/freedesktop/NetworkManager/SecretAgent",
                                            "org.freedesktop.NetworkManager.SecretAgent", NULL,
                                            NULL); // calls GetAll on the name
  *id = g_dbus_connection_signal_subscribe(connection, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                           "NameOwnerChanged", "/org/freedesktop/DBus", unique_name,
                                           G_DBUS_SIGNAL_FLAGS_NONE, on_owner, NULL, NULL); // reported, rightly
  return proxy;
}
