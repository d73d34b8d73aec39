/* peer/annotations.h - declare which functions look up, call and monitor a
 * peer.
 *
 * peer-tidy reads these annotations to learn an API's roles without any
 * configuration. The header is self-contained and may be copied into any
 * project (C or C++). On compilers other than Clang the macros expand to
 * nothing, so annotated code builds everywhere.
 *
 *   PEER_LOOKUP             returns a handle to the peer registered under the
 *                           key given by its arguments, or an empty handle.
 *   PEER_CALL(n)            talks to the peer passed as parameter n.
 *   PEER_UNPINNED_CALL(n)   talks to the peer by a raw identity (a pid) that
 *                           the system gives to another peer once this one
 *                           is gone.
 *   PEER_MONITOR(n)         starts watching parameter n for its exit, and
 *                           reports at once if it is already gone.
 *   PEER_EDGE_MONITOR(n)    starts watching parameter n, but reports only
 *                           later changes (a death before it is missed).
 *   PEER_MONITORED_CALL(n)  monitors parameter n and talks to it in one
 *                           atomic step; safe by construction.
 *   PEER_CALLER             returns the identity (a name, a pid) of the peer
 *                           whose request is being handled: never empty, but
 *                           that peer may be gone already.
 *   PEER_SCAN               returns a peer found by enumerating what exists
 *                           now (a /proc entry, a process-table row): no key,
 *                           a new find at each call, named by an identity the
 *                           system reuses once the peer is gone.
 *   PEER_CONVERSION(n)      does nothing to a peer: returns the peer that
 *                           parameter n names, in another form (a pid
 *                           parsed from a /proc entry).
 *   PEER_PROXY(n)           on a class: its objects (and those of derived
 *                           classes) talk to the peer named by constructor
 *                           parameter n; derived classes' members are calls.
 *
 * n is the 0-based index of the parameter that holds the peer. Leave it out
 * (write PEER_CALL()) for the default: the implicit object for a member
 * function, parameter 0 otherwise.
 */
#ifndef PEER_ANNOTATIONS_H
#define PEER_ANNOTATIONS_H

/* The index travels inside the string ("peer::call@1"; "peer::call@" for the
 * default) so that an empty PEER_CALL() needs no GNU comma extension.
 * Writing [[clang::annotate("peer::call", 1)]] by hand is equally understood.
 */
#if defined(__clang__)
#define PEER_ROLE_(role) __attribute__((annotate(role)))
#else
#define PEER_ROLE_(role)
#endif

#define PEER_LOOKUP PEER_ROLE_("peer::lookup")
#define PEER_CALL(...) PEER_ROLE_("peer::call@" #__VA_ARGS__)
#define PEER_UNPINNED_CALL(...) PEER_ROLE_("peer::unpinned_call@" #__VA_ARGS__)
#define PEER_PROXY(...) PEER_ROLE_("peer::proxy@" #__VA_ARGS__)
#define PEER_MONITOR(...) PEER_ROLE_("peer::monitor@" #__VA_ARGS__)
#define PEER_EDGE_MONITOR(...) PEER_ROLE_("peer::edge_monitor@" #__VA_ARGS__)
#define PEER_CALLER PEER_ROLE_("peer::caller")
#define PEER_SCAN PEER_ROLE_("peer::scan")
#define PEER_CONVERSION(...) PEER_ROLE_("peer::conversion@" #__VA_ARGS__)
#define PEER_MONITORED_CALL(...)                                               \
  PEER_ROLE_("peer::monitored_call@" #__VA_ARGS__)

#endif /* PEER_ANNOTATIONS_H */
