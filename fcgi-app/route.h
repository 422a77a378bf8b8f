/* The route table: every URL the app answers, in one X-macro.
 *
 *   X(method, pattern, handler, access, csrf, kind)
 *
 * pattern: literal segments and at most one "{id}" segment (an id of the
 * host: letters, digits, '-' and '_', up to 64). access: PUBLIC, SIGNED (any
 * signed-in user), AGENT, ADMIN, OUTBOUND (admins and holders of the
 * outbound system's resource code, WEB_OUTBOUND_CODE), MONITOR (admins and
 * holders of 通话监控, WEB_MONITOR_CODE: supervisors). csrf: YES for every POST. kind: how errors
 * are shown: PAGE (an HTML error page), JSON ({ok:false,error,message}),
 * TEXT, SSE (an event stream; errors as JSON).
 *
 * Admin resources (resource/resource.h) get their routes from one line each
 * in WEB_RESOURCES: X(name) gives the routes of RES_ROUTES, handled by the
 * generic resource code with the route's `res` set to res_<name>. */
#ifndef WEB_ROUTE_H
#define WEB_ROUTE_H

#include "web.h"

#define WEB_ROUTES(X) \
	X(GET,  "/cc/health",             health_get,         PUBLIC, NO,  TEXT) \
	X(GET,  "/cc/",                   home_get,           PUBLIC, NO,  PAGE) \
	X(GET,  "/cc/login",              login_get,          PUBLIC, NO,  PAGE) \
	X(POST, "/cc/login",              login_post,         PUBLIC, YES, PAGE) \
	X(POST, "/cc/logout",             logout_post,        SIGNED, YES, PAGE) \
	X(GET,  "/cc/workbench",          workbench_get,      AGENT,  NO,  PAGE) \
	X(GET,  "/cc/admin",              admin_get,          ADMIN,  NO,  PAGE) \
	X(GET,  "/cc/admin/audio",                 audio_list_get,     ADMIN, NO,  PAGE) \
	X(GET,  "/cc/admin/audio/new",             audio_new_get,      ADMIN, NO,  PAGE) \
	X(POST, "/cc/admin/audio/new",             audio_upload_post,  ADMIN, YES, PAGE) \
	X(POST, "/cc/admin/audio/tts",             audio_tts_post,     ADMIN, YES, PAGE) \
	X(GET,  "/cc/admin/audio/{id}",            audio_item_get,     ADMIN, NO,  PAGE) \
	X(POST, "/cc/admin/audio/{id}",            audio_update_post,  ADMIN, YES, PAGE) \
	X(POST, "/cc/admin/audio/{id}/delete",     audio_delete_post,  ADMIN, YES, PAGE) \
	X(GET,  "/cc/admin/audio/{id}/play",       audio_play_get,     ADMIN, NO,  TEXT) \
	X(GET,  "/cc/admin/audio/{id}/original",   audio_original_get, ADMIN, NO,  TEXT) \
	X(GET,  "/cc/api/admin/audio",             audio_list_get,     ADMIN, NO,  JSON) \
	X(POST, "/cc/api/admin/audio",             audio_upload_post,  ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/audio/tts",         audio_tts_post,     ADMIN, YES, JSON) \
	X(GET,  "/cc/api/admin/audio/{id}",        audio_item_get,     ADMIN, NO,  JSON) \
	X(POST, "/cc/api/admin/audio/{id}",        audio_update_post,  ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/audio/{id}/delete", audio_delete_post,  ADMIN, YES, JSON) \
	X(GET,  "/cc/events",             events_get,         SIGNED, NO,  SSE) \
	X(POST, "/cc/api/agent/state",    agent_state_post,   AGENT,  YES, JSON) \
	X(POST, "/cc/api/agent/dial",     agent_dial_post,    AGENT,  YES, JSON) \
	INCALL_ROUTES(X) \
	X(POST, "/cc/api/agent/call/record", agent_recording_post, AGENT, YES, JSON) \
	X(GET,  "/cc/api/contacts/{id}",  contact_get,        AGENT,  NO,  JSON) \
	X(POST, "/cc/api/contacts/save",  contact_save_post,  AGENT,  YES, JSON) \
	X(GET,  "/cc/api/workbench/calls/{id}", workbench_call_get, AGENT, NO, JSON) \
	X(GET,  "/cc/api/softphone",      softphone_get,      AGENT,  NO,  JSON) \
	X(GET,  "/cc/api/admin/overview", admin_overview_get, ADMIN,  NO,  JSON) \
	X(GET,  "/cc/admin/audit",        audit_page_get,     ADMIN,  NO,  PAGE) \
	X(GET,  "/cc/api/admin/audit",    audit_page_get,     ADMIN,  NO,  JSON) \
	X(POST, "/cc/api/admin/ivr/flows/{id}/simulate", ivr_simulate_post, ADMIN, YES, JSON) \
	AGENTS_ROUTES(X) \
	IVR_ROUTES(X) \
	IVR_EDITOR_ROUTES(X) \
	VOICEMAIL_ROUTES(X) \
	MISSED_ROUTES(X) \
	TASK_ROUTES(X) \
	REPORT_ROUTES(X) \
	RECORDS_ROUTES(X) \
	WALLBOARD_ROUTES(X)

/* The agent's in-call controls (workbench/incall.c): the session's own
 * call only. */
#define INCALL_ROUTES(X) \
	X(POST, "/cc/api/agent/call/hold",        agent_call_hold_post,       AGENT, YES, JSON) \
	X(POST, "/cc/api/agent/call/resume",      agent_call_resume_post,     AGENT, YES, JSON) \
	X(POST, "/cc/api/agent/call/mute",        agent_call_mute_post,       AGENT, YES, JSON) \
	X(POST, "/cc/api/agent/call/unmute",      agent_call_unmute_post,     AGENT, YES, JSON) \
	X(POST, "/cc/api/agent/call/hangup",      agent_call_hangup_post,     AGENT, YES, JSON) \
	X(POST, "/cc/api/agent/call/dtmf",        agent_call_dtmf_post,       AGENT, YES, JSON) \
	X(POST, "/cc/api/agent/call/transfer",    agent_call_transfer_post,   AGENT, YES, JSON) \
	X(POST, "/cc/api/agent/call/consult",     agent_call_consult_post,    AGENT, YES, JSON) \
	X(POST, "/cc/api/agent/call/consult/complete", agent_call_consult_complete_post, AGENT, YES, JSON) \
	X(POST, "/cc/api/agent/call/consult/cancel", agent_call_consult_cancel_post, AGENT, YES, JSON) \
	X(GET,  "/cc/api/agent/transfer-targets", agent_transfer_targets_get, AGENT, NO,  JSON)

/* 数据报表 (report/query.h): admins. */
#define REPORT_ROUTES(X) \
	X(GET,  "/cc/admin/reports",             reports_get,          ADMIN, NO,  PAGE) \
	X(GET,  "/cc/api/admin/reports",         reports_get,          ADMIN, NO,  JSON) \
	X(GET,  "/cc/admin/reports/export.csv",  reports_csv_get,      ADMIN, NO,  TEXT) \
	X(GET,  "/cc/admin/reports/export.xlsx", reports_xlsx_get,     ADMIN, NO,  TEXT) \
	X(POST, "/cc/api/admin/reports/refresh", reports_refresh_post, ADMIN, YES, JSON)

/* 通话记录 (records/records.h): admins every call, agents their own; the
 * handler checks which calls the user sees (another's is 404). */
#define RECORDS_ROUTES(X) \
	X(GET,  "/cc/records",           records_list_get,  SIGNED, NO,  PAGE) \
	X(GET,  "/cc/api/records",       records_list_get,  SIGNED, NO,  JSON) \
	X(GET,  "/cc/records/{id}",      records_item_get,  SIGNED, NO,  PAGE) \
	X(GET,  "/cc/api/records/{id}",  records_item_get,  SIGNED, NO,  JSON) \
	X(GET,  "/cc/api/records/{id}/recording.wav", recording_wav_get, SIGNED, NO, TEXT)

/* 实时监控 (wallboard/wallboard.h): admins; the settings' POSTs are
 * checked and audited by the handler. */
#define WALLBOARD_ROUTES(X) \
	X(GET,  "/cc/wallboard",                 wallboard_get,           MONITOR, NO, PAGE) \
	X(GET,  "/cc/api/wallboard",             wallboard_api_get,       MONITOR, NO, JSON) \
	X(POST, "/cc/wallboard/settings",        wallboard_settings_post, ADMIN, YES, PAGE) \
	X(GET,  "/cc/api/wallboard/settings",    wallboard_settings_get,  ADMIN, NO,  JSON) \
	X(POST, "/cc/api/wallboard/settings",    wallboard_settings_post, ADMIN, YES, JSON) \
	X(POST, "/cc/api/wallboard/calls/{id}/listen", wallboard_listen_post, MONITOR, YES, JSON)

/* 外呼系统 > 任务列表 (task/tasks.h): admins and holders of the outbound
 * system's resource code; literal paths before {id}. */
#define TASK_ROUTES(X) \
	X(GET,  "/cc/admin/tasks",                   task_list_get,    OUTBOUND, NO,  PAGE) \
	X(GET,  "/cc/admin/tasks/new",               task_new_get,     OUTBOUND, NO,  PAGE) \
	X(GET,  "/cc/admin/tasks/deleted",           task_deleted_get, OUTBOUND, NO,  PAGE) \
	X(GET,  "/cc/admin/tasks/dnc",               task_dnc_get,     OUTBOUND, NO,  PAGE) \
	X(GET,  "/cc/admin/tasks/{id}",              task_monitor_get, OUTBOUND, NO,  PAGE) \
	X(GET,  "/cc/api/admin/tasks",               task_list_get,    OUTBOUND, NO,  JSON) \
	X(POST, "/cc/api/admin/tasks",               task_create_post, OUTBOUND, YES, JSON) \
	X(GET,  "/cc/api/admin/tasks/deleted",       task_deleted_get, OUTBOUND, NO,  JSON) \
	X(GET,  "/cc/api/admin/tasks/dnc",           task_dnc_get,     OUTBOUND, NO,  JSON) \
	X(POST, "/cc/api/admin/tasks/dnc",           task_dnc_post,    OUTBOUND, YES, JSON) \
	X(POST, "/cc/api/admin/tasks/dnc/remove",    task_dnc_remove_post, OUTBOUND, YES, JSON) \
	X(GET,  "/cc/api/admin/tasks/load/{id}",     jobs_progress_get, OUTBOUND, NO,  JSON) \
	X(GET,  "/cc/api/admin/tasks/{id}",          task_monitor_get, OUTBOUND, NO,  JSON) \
	X(POST, "/cc/api/admin/tasks/{id}/start",    task_start_post,  OUTBOUND, YES, JSON) \
	X(POST, "/cc/api/admin/tasks/{id}/stop",     task_stop_post,   OUTBOUND, YES, JSON) \
	X(POST, "/cc/api/admin/tasks/{id}/edit",     task_edit_post,   OUTBOUND, YES, JSON) \
	X(POST, "/cc/api/admin/tasks/{id}/delete",   task_delete_post, OUTBOUND, YES, JSON)

/* 留言 (voicemail/voicemail.h): admins and the groups' agents; the handler
 * checks which messages the user sees. */
#define VOICEMAIL_ROUTES(X) \
	X(GET,  "/cc/voicemail",                 voicemail_list_get,     SIGNED, NO,  PAGE) \
	X(GET,  "/cc/api/voicemail",             voicemail_list_get,     SIGNED, NO,  JSON) \
	X(GET,  "/cc/voicemail/{id}/play",       voicemail_play_get,     SIGNED, NO,  TEXT) \
	X(GET,  "/cc/voicemail/{id}/download",   voicemail_download_get, SIGNED, NO,  TEXT) \
	X(POST, "/cc/voicemail/{id}/handle",     voicemail_handle_post,  SIGNED, YES, PAGE) \
	X(POST, "/cc/api/voicemail/{id}/handle", voicemail_handle_post,  SIGNED, YES, JSON)

/* 未接来电 (missed/missed.h): admins and the groups' agents; the handler
 * checks which calls the user sees. */
#define MISSED_ROUTES(X) \
	X(GET,  "/cc/missed",                   missed_list_get,     SIGNED, NO,  PAGE) \
	X(GET,  "/cc/api/missed",               missed_list_get,     SIGNED, NO,  JSON) \
	X(POST, "/cc/api/missed/{id}/claim",    missed_claim_post,   SIGNED, YES, JSON) \
	X(POST, "/cc/api/missed/{id}/release",  missed_release_post, SIGNED, YES, JSON) \
	X(POST, "/cc/api/missed/{id}/outcome",  missed_outcome_post, SIGNED, YES, JSON)

/* 客服管理 > 坐席 (agents/agents.h): literal paths before {id}. */
#define AGENTS_ROUTES(X) \
	X(GET,  "/cc/admin/agents",                        agents_list_get,       ADMIN, NO,  PAGE) \
	X(GET,  "/cc/admin/agents/new",                    agents_new_get,        ADMIN, NO,  PAGE) \
	X(GET,  "/cc/admin/agents/import",                 agents_import_get,     ADMIN, NO,  PAGE) \
	X(GET,  "/cc/admin/agents/export",                 agents_export_get,     ADMIN, NO,  TEXT) \
	X(GET,  "/cc/admin/agents/template",               agents_template_get,   ADMIN, NO,  TEXT) \
	X(GET,  "/cc/admin/agents/{id}",                   agents_item_get,       ADMIN, NO,  PAGE) \
	X(GET,  "/cc/api/admin/agents",                    agents_list_get,       ADMIN, NO,  JSON) \
	X(POST, "/cc/api/admin/agents",                    agents_create_post,    ADMIN, YES, JSON) \
	X(GET,  "/cc/api/admin/agents/users",              agents_users_get,      ADMIN, NO,  JSON) \
	X(GET,  "/cc/api/admin/agents/contacts",           agents_contacts_get,   ADMIN, NO,  JSON) \
	X(GET,  "/cc/api/admin/agents/next-extension",     agents_next_ext_get,   ADMIN, NO,  JSON) \
	X(POST, "/cc/api/admin/agents/import",             agents_import_post,    ADMIN, YES, JSON) \
	X(GET,  "/cc/api/admin/agents/import/{id}",        jobs_progress_get,     ADMIN, NO,  JSON) \
	X(GET,  "/cc/api/admin/agents/{id}",               agents_item_get,       ADMIN, NO,  JSON) \
	X(POST, "/cc/api/admin/agents/{id}",               agents_update_post,    ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/agents/{id}/enabled",       agents_enabled_post,   ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/agents/{id}/password",      agents_password_post,  ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/agents/{id}/dedicated",     agents_dedicated_post, ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/agents/{id}/delete",        agents_delete_post,    ADMIN, YES, JSON)

/* 流程管理 > IVR流程 (ivr/ivr.h): the list page, its forms and the JSON API
 * (docs/ivr.md); literal paths before {id}. */
#define IVR_ROUTES(X) \
	X(GET,  "/cc/admin/ivr",                           ivr_list_get,      ADMIN, NO,  PAGE) \
	X(POST, "/cc/admin/ivr/new",                       ivr_create_post,   ADMIN, YES, PAGE) \
	X(POST, "/cc/admin/ivr/import",                    ivr_import_post,   ADMIN, YES, PAGE) \
	X(POST, "/cc/admin/ivr/{id}/copy",                 ivr_copy_post,     ADMIN, YES, PAGE) \
	X(POST, "/cc/admin/ivr/{id}/publish",              ivr_publish_post,  ADMIN, YES, PAGE) \
	X(POST, "/cc/admin/ivr/{id}/delete",               ivr_delete_post,   ADMIN, YES, PAGE) \
	X(GET,  "/cc/api/admin/ivr",                       ivr_list_get,      ADMIN, NO,  JSON) \
	X(GET,  "/cc/api/admin/ivr/flows",                 ivr_list_get,      ADMIN, NO,  JSON) \
	X(POST, "/cc/api/admin/ivr/flows",                 ivr_create_post,   ADMIN, YES, JSON) \
	X(GET,  "/cc/api/admin/ivr/refs",                  ivr_refs_get,      ADMIN, NO,  JSON) \
	X(POST, "/cc/api/admin/ivr/import",                ivr_import_post,   ADMIN, YES, JSON) \
	X(GET,  "/cc/api/admin/ivr/flows/{id}",            ivr_flow_get,      ADMIN, NO,  JSON) \
	X(POST, "/cc/api/admin/ivr/flows/{id}/lock",       ivr_lock_post,     ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/ivr/flows/{id}/unlock",     ivr_unlock_post,   ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/ivr/flows/{id}/draft",      ivr_draft_post,    ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/ivr/flows/{id}/validate",   ivr_validate_post, ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/ivr/flows/{id}/publish",    ivr_publish_post,  ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/ivr/flows/{id}/copy",       ivr_copy_post,     ADMIN, YES, JSON) \
	X(POST, "/cc/api/admin/ivr/flows/{id}/delete",     ivr_delete_post,   ADMIN, YES, JSON) \
	X(GET,  "/cc/api/admin/ivr/flows/{id}/export",     ivr_export_get,    ADMIN, NO,  TEXT)

/* 流程管理 > IVR流程: the editor of one flow (ivr/editor.c). */
#define IVR_EDITOR_ROUTES(X) \
	X(GET,  "/cc/admin/ivr/{id}",                      ivr_editor_get,        ADMIN, NO,  PAGE)

/* Admin resources: admin/<name>.c defines `const struct resource res_<name>`. */
#define WEB_RESOURCES(X) \
	X(groups) \
	X(numbers)

/* Routes whose handler takes a larger body than max_body_kb, in KB (an
 * upload of AUDIO_MAX_BYTES and the form around it; a flow document of
 * IVR_DOC_MAX, as a file or as a JSON string, whose escapes may double
 * it). Only these accept multipart/form-data. */
#define WEB_BIG_BODIES(X) \
	X(audio_upload_post, 5 * 1024 + 256) \
	X(ivr_import_post, 1024 + 64) \
	X(ivr_draft_post, 2 * 1024 + 64) \
	X(ivr_validate_post, 2 * 1024 + 64) \
	X(task_create_post, 6 * 1024) \
	X(task_dnc_post, 512) \
	X(task_dnc_remove_post, 512)

/* The routes of resource n: pages under /cc/admin/n, JSON under
 * /cc/api/admin/n. A change is a POST (CSRF), never a GET; "new" comes
 * before {id} so that it is not taken for a key. */
#define RES_ROUTES(X, n) \
	X(GET,  "/cc/admin/" #n,                    res_list_get,    ADMIN, NO,  PAGE, n) \
	X(GET,  "/cc/admin/" #n "/new",             res_new_get,     ADMIN, NO,  PAGE, n) \
	X(POST, "/cc/admin/" #n "/new",             res_create_post, ADMIN, YES, PAGE, n) \
	X(GET,  "/cc/admin/" #n "/{id}",            res_item_get,    ADMIN, NO,  PAGE, n) \
	X(POST, "/cc/admin/" #n "/{id}",            res_update_post, ADMIN, YES, PAGE, n) \
	X(POST, "/cc/admin/" #n "/{id}/delete",     res_delete_post, ADMIN, YES, PAGE, n) \
	X(GET,  "/cc/api/admin/" #n,                res_list_get,    ADMIN, NO,  JSON, n) \
	X(POST, "/cc/api/admin/" #n,                res_create_post, ADMIN, YES, JSON, n) \
	X(GET,  "/cc/api/admin/" #n "/{id}",        res_item_get,    ADMIN, NO,  JSON, n) \
	X(POST, "/cc/api/admin/" #n "/{id}",        res_update_post, ADMIN, YES, JSON, n) \
	X(POST, "/cc/api/admin/" #n "/{id}/delete", res_delete_post, ADMIN, YES, JSON, n)

enum access { ACC_PUBLIC, ACC_SIGNED, ACC_AGENT, ACC_ADMIN, ACC_OUTBOUND, ACC_MONITOR };
enum route_kind { RK_PAGE, RK_JSON, RK_TEXT, RK_SSE };

struct resource;

struct route {
	const char *method, *pattern, *name;
	route_h *handler;
	enum access access;
	bool csrf;
	enum route_kind kind;
	const struct resource *res;	/* an admin resource's route, else NULL */
};

#define ROUTE_DECLARE(m, p, h, acc, csrf, kind) route_h h;
WEB_ROUTES(ROUTE_DECLARE)
#undef ROUTE_DECLARE
#define RES_ROUTE_DECLARE(m, p, h, acc, csrf, kind, n) route_h h;
RES_ROUTES(RES_ROUTE_DECLARE, any)
#undef RES_ROUTE_DECLARE
#define RES_DECLARE(n) extern const struct resource res_##n;
WEB_RESOURCES(RES_DECLARE)
#undef RES_DECLARE

extern const struct route web_routes[];
extern const size_t web_nroutes;

/* The route for method and path. On a match, *id is the {id} segment (in a,
 * or NULL). When the path matches but the method does not, returns NULL and
 * sets *wrong_method. */
const struct route *route_match(const char *method, const char *path, struct arena *a,
				const char **id, bool *wrong_method);
/* How errors are shown for a request no route took (a malformed body, an
 * id that is no id, an unknown path): the kind of the route the path would
 * be with any id and any method, else JSON under /cc/api/, else a page. */
enum route_kind route_error_kind(const char *method, const char *path);
/* The largest body the route takes, in bytes: its WEB_BIG_BODIES size, else
 * dflt. */
size_t route_body_max(const struct route *rt, size_t dflt);
/* True when the route takes multipart/form-data (WEB_BIG_BODIES). */
bool route_takes_files(const struct route *rt);
/* True when the session may use the route (access level only; a resource's
 * route also needs the resource's own access level). */
bool route_allows(const struct route *rt, const struct session *s);

#endif
