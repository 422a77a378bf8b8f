/* Configuration keys both programs have, defined once: how to reach the
 * database and how phone numbers are read. Each program puts these rows
 * into its own key table (conf.h), so the names, bounds, defaults and docs
 * are the same in both example files; the macros below turn them into the
 * structs the libraries take. */
#ifndef CC_CONF_SHARED_H
#define CC_CONF_SHARED_H

#include "conf.h"
#include "db.h"
#include "phone.h"

#define CONF_DB_KEYS(X)                                                                   \
	X(db_host, STR, "", 0, 0, false,                                                  \
	  "MariaDB host, or several (host or host:port, space-separated, the preferred "   \
	  "first: a Galera cluster, docs/galera.md); empty: use db_socket")               \
	X(db_port, INT, "3306", 1, 65535, false,                                           \
	  "MariaDB TCP port (of the db_host entries that name none)")                     \
	X(db_socket, STR, "/run/mysqld/mysqld.sock", 0, 0, false,                          \
	  "MariaDB UNIX socket, or several (space-separated, the preferred first: a "     \
	  "Galera cluster's nodes, each used while the ones before it are away or not "   \
	  "Synced), when db_host is empty")                                               \
	X(db_user, STR, "cc", 0, 0, false, "database user")                                \
	X(db_password_file, STR, "", 0, 0, false,                                         \
	  "file holding the database password (first line); empty for none")              \
	X(db_name, STR, "cc", 0, 0, false,                                                \
	  "database holding the helpdesk's and the plugin's tables")                      \
	X(db_timeout_s, INT, "5", 1, 300, false,                                           \
	  "connect, read and write timeout of a database connection, in seconds")

#define CONF_PHONE_KEYS(X)                                                                \
	X(phone_country, STR, "86", 0, 0, false, "country calling code of local numbers")  \
	X(phone_trunk_prefix, STR, "0", 0, 0, false, "national trunk prefix (empty: none)") \
	X(phone_intl_prefix, STR, "00", 0, 0, false, "international call prefix")          \
	X(phone_area_code, STR, "", 0, 0, false,                                          \
	  "area code added to local numbers without one (empty: none)")                   \
	X(phone_nsn_min, INT, "10", 4, 15, false, "shortest national significant number") \
	X(phone_nsn_max, INT, "11", 4, 15, false, "longest national significant number")

/* The struct db_conf of config struct c (which has the CONF_DB_KEYS
 * members) with secret, the password read from db_password_file. */
#define CONF_DB_OF(c, secret)                                                           \
	((struct db_conf){ .host = (c)->db_host, .port = (unsigned)(c)->db_port,          \
			   .socket = (c)->db_socket, .user = (c)->db_user,                 \
			   .password = (secret), .name = (c)->db_name,                   \
			   .timeout_s = (unsigned)(c)->db_timeout_s })

/* The phone rules of config struct c (CONF_PHONE_KEYS members); local
 * numbers are 7-8 digits, as in the reference host's country. */
#define CONF_PHONE_OF(c)                                                                  \
	((struct phone_rules){ .country = (c)->phone_country, .trunk = (c)->phone_trunk_prefix, \
			       .intl = (c)->phone_intl_prefix, .area = (c)->phone_area_code, \
			       .nsn_min = (unsigned)(c)->phone_nsn_min,                    \
			       .nsn_max = (unsigned)(c)->phone_nsn_max,                    \
			       .local_min = 7, .local_max = 8 })

#endif
