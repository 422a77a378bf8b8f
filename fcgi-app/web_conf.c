/* cc-web's configuration table (see web_conf.h). */
#include "web_conf.h"

const struct conf_key web_conf_keys[] = {
#define KEY(name, type, def, min, max, rt, doc) \
	CONF_KEY(struct web_conf, name, type, def, min, max, rt, doc)
	WEB_CONF(KEY)
#undef KEY
};

const size_t web_conf_nkeys = sizeof web_conf_keys / sizeof web_conf_keys[0];
