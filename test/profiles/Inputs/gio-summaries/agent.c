// The caller of a request, kept and watched with NameOwnerChanged (later
// changes only), as NetworkManager's nm_secret_agent_new before and after
// f662465948.
#include <gio/gio.h>
#include "dbus-aux.h"

struct agent { gchar *owner; guint id; };
static void owner_changed(GDBusConnection *c, const gchar *s, const gchar *p, const gchar *i,
                          const gchar *sig, GVariant *params, gpointer d) {}
static void got_owner(const char *owner, GError *error, gpointer data) {}

static guint subscribe(GDBusConnection *bus, const char *name, struct agent *a) {
  return g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                            "NameOwnerChanged", "/org/freedesktop/DBus", name,
                                            G_DBUS_SIGNAL_FLAGS_NONE, owner_changed, a, NULL);
}

// Before the fix: the caller is subscribed to after its request arrived.
void agent_new_racy(GDBusConnection *bus, GDBusMethodInvocation *invocation, struct agent *a) {
  a->owner = g_strdup(g_dbus_method_invocation_get_sender(invocation));
  a->id = subscribe(bus, a->owner, a);
}

// The fix: subscribe, then ask the bus who owns the name (another unit's
// helper); a caller already gone is reported to got_owner.
void agent_new_fixed(GDBusConnection *bus, GDBusMethodInvocation *invocation, struct agent *a) {
  a->owner = g_strdup(g_dbus_method_invocation_get_sender(invocation));
  a->id = subscribe(bus, a->owner, a);
  call_get_name_owner(bus, a->owner, -1, NULL, got_owner, a);
}

// Asked with no callback to hear the answer: no re-check.
void agent_new_deaf(GDBusConnection *bus, GDBusMethodInvocation *invocation, struct agent *a) {
  a->owner = g_strdup(g_dbus_method_invocation_get_sender(invocation));
  a->id = subscribe(bus, a->owner, a);
  call_get_name_owner(bus, a->owner, -1, NULL, NULL, a);
}
