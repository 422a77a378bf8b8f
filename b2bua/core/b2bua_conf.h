/* The B2BUA's configuration keys: one table, from which the struct, the
 * defaults, the parser and `cc-b2bua --print-config` (the documented example
 * file) all come. X(name, type, default, min, max, runtime, doc). */
#ifndef B2BUA_CONF_H
#define B2BUA_CONF_H

#include "conf_shared.h"

#define B2BUA_CONF_KEYS(X)                                                                 \
	X(node_id, STR, "node1", 0, 0, false,                                              \
	  "name of this B2BUA node in call records and agent reservations")                \
	X(log_level, STR, "info", 0, 0, true, "error, warn, info or debug")                \
	X(sip_listen, STR, "127.0.0.1:5070", 0, 0, false,                                  \
	  "address and UDP port of the B2BUA's SIP stack (Kamailio's dispatcher points here)") \
	X(sip_proxy, STR, "127.0.0.1:5060", 0, 0, false,                                   \
	  "Kamailio's address: every outgoing leg is routed through it")                   \
	X(trusted_sources, STR, "", 0, 0, false,                                           \
	  "addresses or CIDR blocks (comma separated) SIP requests are taken from; others get 403. Empty: sip_proxy's address") \
	X(sip_domain, STR, "cc.local", 0, 0, false,                                        \
	  "domain of agents' SIP URIs (Kamailio's realm)")                                 \
	X(sip_udp_buffer, INT, "4194304", 65536, 67108864, false,                          \
	  "UDP receive buffer of the SIP socket in bytes (the default overflows near 2,500 calls/s)") \
	X(sip_t1x64_ms, INT, "32000", 1000, 64000, false,                                   \
	  "SIP timer 64*T1: how long a transaction waits (e.g. for the ACK of a 200) and stays in memory") \
	X(max_calls, INT, "10000", 1, 1000000, true,                                       \
	  "calls handled at once; beyond it new calls get 503")                            \
	X(max_call_s, INT, "14400", 5, 86400, true,                                       \
	  "longest a call may last; then the B2BUA hangs up both sides (a safety net for lost signalling)") \
	X(ng_address, STR, "127.0.0.1:2223", 0, 0, false, "rtpengine's ng control address (UDP)") \
	X(ng_timeout_ms, INT, "500", 10, 10000, false,                                     \
	  "wait before resending an ng request")                                           \
	X(ng_tries, INT, "3", 1, 10, false, "sends of an ng request before giving up")     \
	X(max_ng_lagging, INT, "200", 0, 1000000, true,                                     \
	  "new calls get 503 while more ng requests than this wait past ng_timeout_ms (rtpengine is falling behind)") \
	X(dtmf_listen, STR, "127.0.0.1:2224", 0, 0, false,                                 \
	  "where rtpengine sends DTMF events (its --dtmf-log-dest); empty: none")          \
	X(task_poll_ms, INT, "1000", 100, 60000, false,                                   \
	  "how often the dialer reads the outbound tasks that are running (a stop takes effect within it)") \
	X(ctl_listen, STR, "127.0.0.1:8021", 0, 0, false,                                  \
	  "control and event socket (TCP); keep it on loopback or a private network")      \
	X(ctl_secret_file, STR, "", 0, 0, false,                                           \
	  "file holding the control socket's shared secret (required)")                    \
	X(ctl_max_bad_secrets, INT, "10", 1, 1000, false,                                  \
	  "wrong secrets from one address within ctl_lockout_s before its sign-ins are locked") \
	X(ctl_lockout_s, INT, "60", 1, 86400, false,                                        \
	  "how long an address stays locked out of the control socket (and the window its wrong secrets count in)") \
	CONF_DB_KEYS(X)                                                                    \
	X(db_threads, INT, "4", 1, 64, false, "database worker threads")                   \
	X(db_queue_max, INT, "200000", 100, 10000000, false,                               \
	  "database jobs waiting at most; past it new writes are dropped and logged")      \
	X(db_retry_s, INT, "60", 0, 3600, false,                                           \
	  "how long a call-record write is retried while the database is away")           \
	X(db_write_gather_ms, INT, "20", 0, 1000, false,                                   \
	  "a database writer waits this long for more writes to commit with the first (one transaction, one statement per table)") \
	X(audio_dir, STR, "/var/lib/callcenter/audio", 0, 0, false,                        \
	  "folder of prompt and music files (absolute; rtpengine reads them)")             \
	X(voicemail_dir, STR, "/var/lib/callcenter/voicemail", 0, 0, false,                \
	  "folder of voicemail recordings (absolute; the web app reads it; never served directly)") \
	X(record_addr, STR, "127.0.0.1", 0, 0, false,                                      \
	  "address of the sockets that receive a recording's audio from rtpengine")        \
	X(record_port_min, INT, "28000", 1024, 65535, false,                               \
	  "lowest UDP port of a recording's socket (outside rtpengine's range)")           \
	X(record_port_max, INT, "28999", 1024, 65535, false,                               \
	  "highest UDP port of a recording's socket")                                      \
	X(manifest, STR, "plugin-manifest.xml", 0, 0, false, "the plugin manifest")        \
	X(manifest_schema, STR, "schemas/plugin-manifest.rng", 0, 0, false,               \
	  "RelaxNG schema of the manifest")                                                \
	X(reg_poll_ms, INT, "1000", 100, 60000, true,                                      \
	  "how often agents' phone registrations are read from Kamailio's table")         \
	X(agent_sync_ms, INT, "250", 50, 10000, true,                                      \
	  "with other nodes alive: how often agents' states changed by them are read (docs/cluster.md)") \
	X(node_dead_s, INT, "5", 2, 600, true,                                             \
	  "a node silent this long is dead: the agents it held in a call are made ready again") \
	X(reload_s, INT, "60", 0, 86400, true,                                             \
	  "how often numbers, skill groups and agents are re-read (0: only on `reload`)")  \
	X(contact_sync_s, INT, "30", 0, 86400, true,                                       \
	  "how often new or changed contacts enter the phone index (0: never)")            \
	X(contact_cache_max, INT, "100000", 0, 10000000, true,                             \
	  "callers' lookups kept in memory by number, found or not (the least recently used go first); 0: none, every call asks the database") \
	X(contact_cache_mb, INT, "64", 1, 4096, true,                                      \
	  "memory the kept lookups may take, in MB")                                       \
	X(contact_cache_ttl_s, INT, "600", 1, 86400, true,                                 \
	  "longest a kept lookup is used: a save in the workbench and the index sync drop the contact's at once; this bounds changes neither sees (docs/lookup.md)") \
	CONF_PHONE_KEYS(X)                                                                 \
	X(moh_delay_ms, INT, "1000", 0, 10000, true,                                        \
	  "music on hold starts this long after a call joins a queue, if no agent has answered") \
	X(moh_repeat, INT, "10000", 1, 1000000, false,                                     \
	  "times music on hold is looped (rtpengine repeat-times)")                          \
	X(dial_ring_timeout_s, INT, "30", 1, 600, true,                                     \
	  "an external number an IVR flow dials rings this long before the flow goes on")

struct b2bua_conf {
	B2BUA_CONF_KEYS(CONF_MEMBER)
	/* Read from the files named above at load. */
	char *ctl_secret;
	char *db_password;
};

/* Loads defaults, then path (if not NULL), then the overrides; reads the
 * secret files. On error writes a reason naming file and line to err. */
int b2bua_conf_load(struct b2bua_conf *c, const char *path, char **overrides, int noverrides,
		    char *err, size_t errlen);
void b2bua_conf_free(struct b2bua_conf *c);
/* Every key at its default, and no secrets (tests). 0 or -1. */
int b2bua_conf_defaults(struct b2bua_conf *c);
/* Takes the run-time keys of fresh into c (fresh keeps the old values). */
void b2bua_conf_apply_runtime(struct b2bua_conf *c, struct b2bua_conf *fresh);
void b2bua_conf_print(void);
/* What the database and phone libraries take, from c. */
void b2bua_conf_db(const struct b2bua_conf *c, struct db_conf *out);
void b2bua_conf_phone(const struct b2bua_conf *c, struct phone_rules *out);

#endif
