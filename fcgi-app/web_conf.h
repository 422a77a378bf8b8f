/* cc-web's configuration keys: one X-macro row per key (common/conf.h).
 * `cc-web --print-config` prints this table as the documented example. */
#ifndef WEB_CONF_H
#define WEB_CONF_H

#include "conf_shared.h"

#define WEB_CONF(X) \
	X(listen, STR, "var/run/web.sock", 0, 0, false, \
	  "UNIX socket nginx passes /cc/ requests to (FastCGI)") \
	X(listen_owner, STR, "", 0, 0, false, \
	  "user the socket is given to (a name); empty: the user cc-web runs as") \
	X(listen_group, STR, "", 0, 0, false, \
	  "group the socket is given to, nginx's workers' (a name); empty: cc-web's group") \
	X(listen_mode, STR, "0660", 0, 0, false, \
	  "the socket's mode, octal, at most 0770: whoever may connect may speak FastCGI " \
	  "and set REMOTE_ADDR, so only nginx's workers should") \
	X(threads, INT, "16", 1, 256, false, \
	  "threads accepting FastCGI requests (event streams get threads of their own)") \
	X(max_body_kb, INT, "64", 1, 4096, false, "largest request body accepted, in KB") \
	X(ctl_address, STR, "127.0.0.1:8021", 0, 0, false, \
	  "the B2BUA nodes' control and event sockets: host:port (or a UNIX socket path), " \
	  "several separated by spaces, at most 16; the web connects to each and shows them " \
	  "as one system (docs/web.md, \"Several B2BUA nodes\")") \
	X(ctl_secret_file, STR, "var/etc/ctl.secret", 0, 0, false, \
	  "file holding the control socket's shared secret (first line)") \
	X(ctl_timeout_ms, INT, "1500", 100, 30000, false, \
	  "how long a page waits for the B2BUA before showing it as unreachable") \
	X(sip_realm, STR, "cc.local", 0, 0, false, \
	  "digest realm of the agents' SIP accounts, as Kamailio's SIP_REALM (ha1 depends on it)") \
	X(softphone_ws, STR, "/ws", 0, 0, false, \
	  "where the workbench's browser phone opens its SIP WebSocket: a path on the " \
	  "workbench's own origin (ws:// or wss:// as the page), or a full wss:// URL; " \
	  "nginx proxies /ws to Kamailio's WebSocket listener (docs/softphone.md)") \
	X(kamailio_rpc, STR, "", 0, 0, false, \
	  "Kamailio's JSON-RPC datagram socket (jsonrpcs), to drop a disabled agent's phone " \
	  "at once; empty: only its cc_location row goes") \
	X(upload_max_kb, INT, "6144", 64, 65536, false, \
	  "largest CSV file an agents' import accepts (a text/csv body), in KB; nginx allows 6 MB") \
	CONF_DB_KEYS(X) \
	X(audio_dir, STR, "/var/lib/callcenter/audio", 0, 0, false, \
	  "the audio folder shared with the B2BUA (its audio_dir): uploads are stored here") \
	X(voicemail_dir, STR, "/var/lib/callcenter/voicemail", 0, 0, false, \
	  "the voicemail folder the B2BUA records into (its voicemail_dir); read, never served by nginx") \
	X(recording_dir, STR, "/var/lib/callcenter/recordings", 0, 0, false, \
	  "rtpengine's --recording-dir (its pcaps/, metadata/, tmp/); the calls' WAVs are made " \
	  "under it (YYYY/MM/DD/<call>.wav); read, never served by nginx") \
	X(recording_retention_days, INT, "90", 1, 3650, false, \
	  "days a call's recording is kept; then its WAV (or a failed one's pcaps) is deleted") \
	X(recording_scan_s, INT, "5", 1, 3600, false, \
	  "seconds between the recording worker's looks for recordings to convert or delete") \
	X(templates, STR, "templates", 0, 0, false, \
	  "folder of the XSLT page templates and i18n/ catalogues") \
	X(manifest, STR, "plugin-manifest.xml", 0, 0, false, \
	  "plugin manifest: names of the helpdesk's tables and columns") \
	X(manifest_schema, STR, "schemas/plugin-manifest.rng", 0, 0, false, \
	  "RelaxNG schema the manifest is checked against") \
	X(cookie_secure, BOOL, "yes", 0, 0, false, \
	  "mark cookies Secure (browsers then send them over HTTPS only)") \
	X(session_idle_minutes, INT, "480", 5, 10080, false, \
	  "a session ends after this many minutes without a request") \
	X(session_max_hours, INT, "24", 1, 720, false, \
	  "a session ends this many hours after sign-in, whatever happens") \
	X(login_max_failures, INT, "5", 1, 1000, false, \
	  "failed sign-ins for one account within 10 minutes before refusing it (one address: " \
	  "four times as many)") \
	X(login_lockout_minutes, INT, "15", 1, 1440, false, \
	  "how long sign-in stays refused after too many failures") \
	X(default_lang, STR, "zh-CN", 0, 0, false, "language of the pages: zh-CN or en") \
	X(report_rollup_s, INT, "15", 1, 3600, false, \
	  "seconds between runs of the reports' rollup: how far behind a report may be") \
	X(report_full_s, INT, "600", 60, 86400, false, \
	  "seconds between rollups of the last report_full_hours hours (rows written late)") \
	X(report_full_hours, INT, "48", 2, 720, false, \
	  "hours the periodic full rollup rewrites") \
	X(time_zone, STR, "", 0, 0, false, \
	  "the center's time zone (an IANA name such as Asia/Shanghai): what a day and an hour " \
	  "mean in reports and dates typed in forms; empty: the machine's own (/etc/localtime)") \
	X(sse_heartbeat_s, INT, "15", 1, 300, false, "seconds between keep-alive comments on event streams") \
	X(sse_queue_max, INT, "256", 8, 65536, false, \
	  "events waiting for one slow event stream before it is dropped") \
	X(sse_max_streams, INT, "256", 1, 4096, false, \
	  "event streams open at once (each has a thread); more are refused with 429") \
	X(sse_session_streams, INT, "4", 1, 64, false, \
	  "event streams of one session (browser tabs); a new one closes the oldest") \
	X(missed_claim_minutes, INT, "30", 1, 1440, false, \
	  "minutes a claim on a missed call (未接来电) holds without an outcome; then another " \
	  "agent may take it") \
	X(pop_threads, INT, "4", 1, 64, false, \
	  "screen-pop loaders (own database connection each); one is kept for answered calls") \
	X(malloc_arenas, INT, "2", 0, 64, false, \
	  "malloc arenas the threads share (glibc's M_ARENA_MAX); 0: glibc's default, 8 per core. " \
	  "Every arena keeps the largest page it built; few arenas keep the memory low") \
	X(malloc_trim_s, INT, "30", 0, 3600, false, \
	  "seconds between giving the heap's free pages back to the system (malloc_trim); 0: never") \
	CONF_PHONE_KEYS(X) \
	X(log_level, STR, "info", 0, 0, false, "error, warn, info or debug")

struct web_conf {
	WEB_CONF(CONF_MEMBER)
};

extern const struct conf_key web_conf_keys[];
extern const size_t web_conf_nkeys;

#endif
