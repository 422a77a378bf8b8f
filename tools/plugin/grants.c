/* cc-plugin grants: the rights of the services' database accounts, printed
 * as SQL for the operator to apply as the database's administrator after
 * install (and again after an upgrade adds a table). docs/install.md,
 * "Database accounts", says why each right is there.
 *
 *   cc_web@localhost       SELECT on the database; INSERT, UPDATE, DELETE on
 *                          the plugin's tables; INSERT, UPDATE on the
 *                          helpdesk's users (agents' import, last sign-in)
 *                          and contacts (the workbench saves them)
 *   cc_b2bua@localhost     SELECT on the database; INSERT, UPDATE, DELETE on
 *                          the plugin's tables
 *   cc_kamailio@127.0.0.1  SELECT on cc_kam_version, cc_sip_account,
 *                          cc_gateway; SELECT, INSERT, UPDATE, DELETE on
 *                          cc_location
 *
 * The plugin's tables are those its migrations create, less the installer's
 * records (version and changes tables) and Kamailio's version table, which
 * only the administrator writes. Nothing is granted on another database, and
 * no right to alter a table: migrations run as the administrator. */
#include "manifest.h"
#include "tools/plugin/plugin.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define WEB "'cc_web'@'localhost'"
#define B2BUA "'cc_b2bua'@'localhost'"
#define KAMAILIO "'cc_kamailio'@'127.0.0.1'"

static const char *const kamailio_reads[] = { "cc_kam_version", "cc_sip_account", "cc_gateway" };

int plugin_print_grants(struct plugin_ctx *c, FILE *out)
{
	char tables[16384];
	if (plugin_list_tables(c, tables, sizeof tables)) {
		plugin_db_failed(c);
		return -1;
	}
	const char *db = c->database;
	for (const char *p = db; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '$') {
			plugin_err("数据库名只能含字母、数字、_ 和 $：%s",
				   "a database name of letters, digits, _ and $ only: %s", db);
			return -1;
		}
	fprintf(out, "-- The services' accounts on `%s` (cc-plugin grants)\n", db);
	fprintf(out, "REVOKE ALL PRIVILEGES, GRANT OPTION FROM %s, %s, %s;\n", WEB, B2BUA, KAMAILIO);
	fprintf(out, "GRANT SELECT ON `%s`.* TO %s, %s;\n", db, WEB, B2BUA);
	fprintf(out, "GRANT INSERT, UPDATE ON `%s`.`%s` TO %s;\n", db, c->m->users.table, WEB);
	fprintf(out, "GRANT INSERT, UPDATE ON `%s`.`%s` TO %s;\n", db, c->m->contacts.table, WEB);
	for (char *save = NULL, *t = strtok_r(tables, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		if (!strcmp(t, c->m->migrations_table) || !strcmp(t, c->m->changes_table) ||
		    !strcmp(t, "cc_kam_version"))
			continue;
		fprintf(out, "GRANT INSERT, UPDATE, DELETE ON `%s`.`%s` TO %s, %s;\n", db, t, WEB, B2BUA);
	}
	for (size_t i = 0; i < sizeof kamailio_reads / sizeof kamailio_reads[0]; i++)
		fprintf(out, "GRANT SELECT ON `%s`.`%s` TO %s;\n", db, kamailio_reads[i], KAMAILIO);
	fprintf(out, "GRANT SELECT, INSERT, UPDATE, DELETE ON `%s`.`cc_location` TO %s;\n", db, KAMAILIO);
	return fflush(out) ? -1 : 0;
}
