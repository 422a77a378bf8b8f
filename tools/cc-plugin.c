/* cc-plugin: installs the call-center plugin into a helpdesk's database, and
 * removes it again.
 *
 *   cc-plugin check     [OPTIONS]            validate the manifest; with --database,
 *                                            also the host database (changes nothing)
 *   cc-plugin install   [OPTIONS]            check, migrate, indexes, menu, grants, snippet
 *   cc-plugin uninstall [--purge] [OPTIONS]  remove what install added
 *   cc-plugin speech --audio-dir DIR [OPTIONS]  make the missing speech of the
 *                                            published IVR flows' text prompts
 *   cc-plugin grants    [OPTIONS]            print the SQL granting the services'
 *                                            accounts their rights (docs/install.md)
 *
 * Options:
 *   --manifest FILE        plugin-manifest.xml [./plugin-manifest.xml]
 *   --schema FILE          its RelaxNG schema [schemas/plugin-manifest.rng beside the manifest]
 *   --root DIR             the plugin's folder: migrations, static assets [the manifest's folder]
 *   --socket PATH | --host HOST [--port N]   the MariaDB server
 *   --database NAME        the helpdesk's database (required but for check)
 *   --user NAME [root]     --password-file FILE (first line)
 *   --nginx-snippet PATH   where to write the nginx locations (install), absolute
 *   --fastcgi-socket PATH  the web app's socket, in the snippet [the manifest's]
 *   --audio-dir DIR        the audio folder the B2BUA plays from (speech)
 *
 * Exits 0 on success, 1 on any failure (said on stderr in Chinese and
 * English), 2 on a usage error. docs/install.md is the operator's guide. */
#include "conf.h"
#include "db.h"
#include "manifest.h"
#include "tools/plugin/plugin.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct opts {
	const char *cmd, *manifest, *schema, *root, *socket, *host, *database, *user;
	const char *password_file, *snippet, *fastcgi, *audio_dir;
	unsigned port;
	int purge;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: cc-plugin check|install|uninstall|speech|grants [--purge] [--manifest FILE] [--schema FILE]\n"
		"         [--root DIR] (--socket PATH | --host HOST [--port N]) --database NAME\n"
		"         [--user NAME] [--password-file FILE] [--nginx-snippet PATH]\n"
		"         [--fastcgi-socket PATH] [--audio-dir DIR]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "manifest", required_argument, NULL, 'm' },
		{ "schema", required_argument, NULL, 'r' },
		{ "root", required_argument, NULL, 'R' },
		{ "socket", required_argument, NULL, 'S' },
		{ "host", required_argument, NULL, 'h' },
		{ "port", required_argument, NULL, 'P' },
		{ "database", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'u' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "nginx-snippet", required_argument, NULL, 'n' },
		{ "fastcgi-socket", required_argument, NULL, 'f' },
		{ "purge", no_argument, NULL, 'X' },
		{ "audio-dir", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, '?' },
		{ 0 },
	};
	*o = (struct opts){ .manifest = "plugin-manifest.xml", .user = "root" };
	int c;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'm': o->manifest = optarg; break;
		case 'r': o->schema = optarg; break;
		case 'R': o->root = optarg; break;
		case 'S': o->socket = optarg; break;
		case 'h': o->host = optarg; break;
		case 'P': o->port = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'd': o->database = optarg; break;
		case 'u': o->user = optarg; break;
		case 'p': o->password_file = optarg; break;
		case 'n': o->snippet = optarg; break;
		case 'f': o->fastcgi = optarg; break;
		case 'X': o->purge = 1; break;
		case 'a': o->audio_dir = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	o->cmd = argv[optind];
	if (strcmp(o->cmd, "check") && strcmp(o->cmd, "install") && strcmp(o->cmd, "uninstall") &&
	    strcmp(o->cmd, "speech") && strcmp(o->cmd, "grants"))
		usage();
	if (!strcmp(o->cmd, "speech") != !!o->audio_dir)
		usage();
	if (o->purge && strcmp(o->cmd, "uninstall"))
		usage();
	if (o->snippet && strcmp(o->cmd, "install") && strcmp(o->cmd, "check"))
		usage();
}

/* The manifest's folder, made absolute; root and schema default to it. */
static int paths(struct opts *o, char *dir, char *schema, char *root)
{
	char abs[PATH_MAX];
	if (!realpath(o->manifest, abs)) {
		plugin_err("无法读取清单 %s：%s", "cannot read the manifest %s: %s", o->manifest,
			   strerror(errno));
		return -1;
	}
	snprintf(dir, PATH_MAX, "%s", dirname(abs));
	if (!o->schema) {
		snprintf(schema, PATH_MAX + 64, "%s/schemas/plugin-manifest.rng", dir);
		o->schema = schema;
	}
	if (!realpath(o->root ? o->root : dir, root)) {
		plugin_err("无法读取插件目录 %s：%s", "cannot read the plugin's folder %s: %s",
			   o->root ? o->root : dir, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	parse(argc, argv, &o);
	static char dir[PATH_MAX], schema[PATH_MAX + 64], root[PATH_MAX];
	if (paths(&o, dir, schema, root))
		return 1;

	struct manifest *m = NULL;
	char err[1024];
	if (manifest_load(&m, o.manifest, o.schema, err, sizeof err)) {
		plugin_err("清单无效：%s", "the manifest is not valid: %s", err);
		return 1;
	}
	if (o.snippet && o.snippet[0] != '/') {
		plugin_err("--nginx-snippet 须为绝对路径：%s", "--nginx-snippet must be an absolute path: %s",
			   o.snippet);
		manifest_free(m);
		return 1;
	}
	static char snippet[16384];
	if (o.snippet && plugin_snippet(snippet, sizeof snippet, m, root,
					o.fastcgi ? o.fastcgi : m->nginx.fastcgi, err, sizeof err)) {
		plugin_err("无法生成 nginx 配置片段：%s", "cannot make the nginx snippet: %s", err);
		manifest_free(m);
		return 1;
	}
	if (!strcmp(o.cmd, "check") && !o.database) {
		plugin_say("清单有效：%s（%s %s）", "the manifest is valid: %s (%s %s)", o.manifest, m->id,
			   m->version);
		manifest_free(m);
		return 0;
	}
	if (!o.database || (!o.socket && !o.host)) {
		plugin_err("需要 --database 以及 --socket 或 --host", "--database and --socket or --host are required");
		manifest_free(m);
		return 2;
	}

	char password[512] = "";
	if (o.password_file && conf_read_first_line(o.password_file, password, sizeof password)) {
		plugin_err("无法读取密码文件 %s：%s", "cannot read the password file %s: %s",
			   o.password_file, strerror(errno));
		manifest_free(m);
		return 1;
	}
	struct db_conf dc = {
		.host = o.host, .port = o.port ? o.port : (o.host ? 3306 : 0), .socket = o.socket,
		.user = o.user, .password = password, .name = o.database, .timeout_s = 60,
	};
	struct db *db = NULL;
	int rc = 1;
	if (db_library_init() || db_alloc(&db, &dc)) {
		plugin_err("内存不足", "out of memory");
		goto out;
	}
	struct plugin_ctx c = {
		.m = m, .manifest_path = o.manifest, .root = root, .db = db, .socket = o.socket,
		.host = o.host, .port = dc.port, .user = o.user, .password = password,
		.database = o.database,
	};
	if (db_ping(db)) {
		plugin_err("无法连接数据库：%s", "cannot connect to the database: %s", db_error(db));
		goto out;
	}

	if (!strcmp(o.cmd, "check")) {
		int h = plugin_check_host(&c);
		if (h == 0 && !plugin_host_preflight(&c, o.snippet, snippet) && !plugin_migrate(&c, true))
			rc = 0;
	} else if (!strcmp(o.cmd, "install")) {
		/* Everything that can refuse is asked before anything is written. */
		if (plugin_check_host(&c)) {
			plugin_err("未安装任何内容", "nothing was installed");
			goto out;
		}
		if (plugin_host_preflight(&c, o.snippet, snippet)) {
			plugin_err("未安装任何内容", "nothing was installed");
			goto out;
		}
		if (plugin_migrate(&c, false) || plugin_changes_init(&c) ||
		    plugin_install_indexes(&c) || plugin_install_rows(&c, o.snippet, snippet))
			goto out;
		if (c.changes)
			plugin_say("已安装 %s %s：%u 项变更", "installed %s %s: %u changes", m->id, m->version,
				   c.changes);
		else
			plugin_say("%s %s 已安装，无需变更", "%s %s is installed already; nothing changed", m->id,
				   m->version);
		rc = 0;
	} else if (!strcmp(o.cmd, "speech")) {
		rc = plugin_speech(&c, o.audio_dir) ? 1 : 0;
	} else if (!strcmp(o.cmd, "grants")) {
		rc = plugin_print_grants(&c, stdout) ? 1 : 0;
	} else {
		if (plugin_uninstall_recorded(&c))
			goto out;
		if (o.purge) {
			if (plugin_drop_tables(&c))
				goto out;
			plugin_say("已卸载 %s，插件的表已删除", "uninstalled %s; the plugin's tables were dropped", m->id);
		} else {
			char kept[4096];
			if (plugin_list_tables(&c, kept, sizeof kept))
				goto out;
			plugin_say("已卸载 %s；保留插件的表（通话数据）：%s；加 --purge 可一并删除",
				   "uninstalled %s; the plugin's tables (call data) are kept: %s; --purge drops them",
				   m->id, *kept ? kept : "-");
		}
		rc = 0;
	}
out:
	db_free(db);
	db_library_end();
	manifest_free(m);
	return rc;
}
