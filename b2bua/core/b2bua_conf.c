/* The B2BUA's configuration: see conf.h. */
#include "b2bua/core/b2bua_conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY(name, type, def, min, max, rt, doc) \
	CONF_KEY(struct b2bua_conf, name, type, def, min, max, rt, doc)
static const struct conf_key keys[] = { B2BUA_CONF_KEYS(KEY) };
#undef KEY
#define NKEYS (sizeof keys / sizeof *keys)

/* A secret file's first line, as a string the config owns. */
static char *read_secret(const char *path, char *err, size_t errlen)
{
	char buf[512];
	if (conf_read_first_line(path, buf, sizeof buf)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	return strdup(buf);
}

int b2bua_conf_load(struct b2bua_conf *c, const char *path, char **overrides, int noverrides,
		    char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	if (conf_defaults(keys, NKEYS, c)) {
		snprintf(err, errlen, "bad built-in default");
		return -1;
	}
	if (path && conf_load(path, keys, NKEYS, c, err, errlen))
		return -1;
	for (int i = 0; i < noverrides; i++)
		if (conf_set(overrides[i], keys, NKEYS, c, err, errlen))
			return -1;
	if (!*c->ctl_secret_file) {
		snprintf(err, errlen, "%s: ctl_secret_file is required", path ? path : "config");
		return -1;
	}
	if (!(c->ctl_secret = read_secret(c->ctl_secret_file, err, errlen)))
		return -1;
	if (strlen(c->ctl_secret) < 16) {
		snprintf(err, errlen, "%s: the control secret must have 16 characters or more",
			 c->ctl_secret_file);
		return -1;
	}
	if (*c->db_password_file) {
		if (!(c->db_password = read_secret(c->db_password_file, err, errlen)))
			return -1;
	} else {
		c->db_password = strdup("");
	}
	if (c->audio_dir[0] != '/') {
		snprintf(err, errlen, "audio_dir must be an absolute path (rtpengine opens the files)");
		return -1;
	}
	if (c->dtmf_ng_tcp && *c->dtmf_listen) {
		snprintf(err, errlen, "%s: dtmf_ng_tcp and dtmf_listen are both set; rtpengine would "
			 "report each key twice: empty dtmf_listen (dtmf_listen =)",
			 path ? path : "config");
		return -1;
	}
	if (c->phone_nsn_min > c->phone_nsn_max) {
		snprintf(err, errlen, "phone_nsn_min is larger than phone_nsn_max");
		return -1;
	}
	return 0;
}

int b2bua_conf_defaults(struct b2bua_conf *c)
{
	memset(c, 0, sizeof *c);
	return conf_defaults(keys, NKEYS, c) ? -1 : 0;
}

void b2bua_conf_free(struct b2bua_conf *c)
{
	conf_free(keys, NKEYS, c);
	free(c->ctl_secret);
	free(c->db_password);
	c->ctl_secret = c->db_password = NULL;
}

void b2bua_conf_apply_runtime(struct b2bua_conf *c, struct b2bua_conf *fresh)
{
	conf_copy_runtime(keys, NKEYS, c, fresh);
}

void b2bua_conf_db(const struct b2bua_conf *c, struct db_conf *out)
{
	*out = CONF_DB_OF(c, c->db_password);
}

void b2bua_conf_phone(const struct b2bua_conf *c, struct phone_rules *out)
{
	*out = CONF_PHONE_OF(c);
}

void b2bua_conf_print(void)
{
	conf_print_example("cc-b2bua configuration", keys, NKEYS);
}
