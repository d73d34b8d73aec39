#include <gio/gio.h>
typedef void (*GetNameOwnerCb)(const char *owner, GError *error, gpointer data);
void call_get_name_owner(GDBusConnection *bus, const char *name, int timeout_msec,
                         GCancellable *cancellable, GetNameOwnerCb callback, gpointer data);
