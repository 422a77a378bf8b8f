/* IVR flows (docs/ivr.md): a flow document (schemas/ivr-flow.rng) read into
 * a graph of nodes and exits, and the checks a flow must pass before it is
 * published. The web app reads drafts with it (the editor, validate,
 * publish); the B2BUA reads published flows with it and runs them.
 *
 * Reading (ivr_parse) checks the document's shape against the schema and
 * that node ids are unique. Checking (ivr_check) looks at the graph: every
 * exit leads to a node, every node can be reached from the start, every
 * loop waits for something and can be left, every audio file, skill group,
 * agent and sub-flow named exists (asked through a callback), and no
 * variable is read on a path where nothing has set it. Each problem names
 * its node (for the editor to mark) and line, and is a catalogue key with a
 * detail, so that the page says it in the admin's language.
 *
 * Pure apart from reading the schema file: no database, no clock. */
#ifndef CC_IVR_H
#define CC_IVR_H

#include <stdbool.h>
#include <stddef.h>

/* X(name, element, waits, ends): waits: the node waits for the caller, a
 * reply or the other side, so a loop through it does not spin; ends: the
 * call may end there (a terminal node, or one that connects the caller). */
#define IVR_NODE_TYPES(X)                                 \
	X(START, "start", false, false)                   \
	X(PLAY, "play", true, false)                      \
	X(MENU, "menu", true, false)                      \
	X(COLLECT, "collect", true, false)                \
	X(BRANCH, "branch", false, false)                 \
	X(TIME, "time", false, false)                     \
	X(SET, "set", false, false)                       \
	X(HTTP, "http", true, false)                      \
	X(QUEUE, "queue", true, true)                     \
	X(AGENT, "agent", true, true)                     \
	X(DIAL, "dial", true, true)                       \
	X(VOICEMAIL, "voicemail", true, true)             \
	X(SURVEY, "survey", true, false)                  \
	X(SUBFLOW, "subflow", false, false)               \
	X(HANGUP, "hangup", false, true)                  \
	X(END, "end", false, true)

#define IVR_NODE_ENUM(name, el, waits, ends) IVR_##name,
enum ivr_node_type { IVR_NODE_TYPES(IVR_NODE_ENUM) IVR_NODE_TYPE_COUNT };
#undef IVR_NODE_ENUM

/* What a flow refers to outside itself. */
#define IVR_REF_KINDS(X) X(AUDIO, "audio") X(GROUP, "group") X(AGENT, "agent") X(FLOW, "flow")
#define IVR_REF_ENUM(name, str) IVR_REF_##name,
enum ivr_ref_kind { IVR_REF_KINDS(IVR_REF_ENUM) IVR_REF_KIND_COUNT };
#undef IVR_REF_ENUM

/* The most variables one flow may name (built-in ones included). */
#define IVR_MAX_VARS 64

struct ivr_exit {
	const char *name;	/* "next", "fail", "key 1", "case 2", "else", ... */
	const char *target;	/* the node id it names; NULL: a required exit not
				 * given (ivr_check: ivr.exit_unconnected) */
	int to;			/* that node's index, or -1 when there is none */
	const char *defines;	/* a variable set on the way out (collect, set), or NULL */
	const char *const *defines_list;	/* more of them (http results), NULL-ended */
};

struct ivr_ref {
	enum ivr_ref_kind kind;
	const char *key;
	int line;
};

struct ivr_node {
	enum ivr_node_type type;
	const char *id;
	int line;
	struct ivr_exit *exits;
	size_t nexits;
	const char **reads;	/* variables its templates and conditions read */
	size_t nreads;
	struct ivr_ref *refs;
	size_t nrefs;
	void *xml;		/* its element (xmlNode), for the reader of its settings */
};

struct ivr_flow {
	const char *name;
	struct ivr_node *nodes;	/* nodes[0] is the start */
	size_t n;
	const char **params;	/* the start's parameters (defined from the start) */
	size_t nparams;
	void *doc;		/* the xmlDoc, owned */
	struct arena *arena;	/* everything else, owned */
};

struct ivr_problem {
	const char *code;	/* catalogue key: "ivr.unreachable", ... (static) */
	char node[64];		/* the node's id (a copy: a problem outlives the
				 * flow it was found in), "" for the whole flow */
	int line;
	char detail[160];	/* what the message fills in: an exit, a variable, a key */
};

struct ivr_problems {
	struct ivr_problem *v;
	size_t n, cap;
};

/* Reads a flow document. 0 with *out set, or -1 with the problems (the
 * schema's, each with its line, "ivr.schema"; a node id used twice,
 * "ivr.duplicate_id"); *out is then NULL. schema: the path of
 * ivr-flow.rng, or NULL to trust the document's shape (a published
 * version, checked when it was published). */
int ivr_parse(const char *xml, size_t len, const char *schema, struct ivr_flow **out,
	      struct ivr_problems *p);
void ivr_free(struct ivr_flow *f);

/* Whether what a flow names exists (a published flow, for IVR_REF_FLOW). */
typedef bool (ivr_exists_h)(void *arg, enum ivr_ref_kind kind, const char *key);

/* The graph's problems, added to p (exists may be NULL: references are not
 * checked). Returns how many were found. */
size_t ivr_check(const struct ivr_flow *f, ivr_exists_h *exists, void *arg,
		 struct ivr_problems *p);

/* Whether name is a variable every call has (caller, callee, call_id,
 * digits, contact_id, contact_name and contact_<field>, ...). */
bool ivr_builtin_var(const char *name);

const char *ivr_node_type_name(enum ivr_node_type t);
const char *ivr_ref_kind_name(enum ivr_ref_kind k);
int ivr_node_type_parse(const char *element);

/* Adds a problem to p (fmt: the detail, or NULL). */
void ivr_problem(struct ivr_problems *p, const char *code, const char *node, int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void ivr_problems_free(struct ivr_problems *p);

#endif
