/* Unit tests for lib/opt: flags, environment, config file, errors and help. */
#include "test.h"
#include "buf.h"
#include "opt.h"
#include "util.h"

#include <stdlib.h>
#include <sys/stat.h>

/* LeakSanitizer's checker, present only in sanitizer builds: the runner's children end with
 * _exit, so leaks are looked for explicitly. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* The option targets of the test command. */
struct topts {
	char *data_dir;
	int debug;
	long long port;
	unsigned mode;
	struct opt_list san;
	char *token;
	int secret;
	char *config;
};

#define NOPTS 7

/* Fills t with defaults and cmd with a table over it; tbl has room for NOPTS + 1. */
static void topts_cmd(struct topts *t, struct opt *tbl, struct opt_cmd *cmd,
		      const char *default_config)
{
	*t = (struct topts){ .data_dir = "/var/lib/kube", .port = 6443, .mode = 0600 };
	struct opt def[NOPTS] = {
		{ .name = "data-dir", .type = OPT_STRING, .value = &t->data_dir, .group = "General",
		  .usage = "Directory for state", .metavar = "DIR" },
		{ .name = "debug", .type = OPT_BOOL, .value = &t->debug, .group = "General",
		  .usage = "Turn on debug logs" },
		{ .name = "https-listen-port", .type = OPT_INT, .value = &t->port,
		  .group = "Listener", .usage = "HTTPS port", .min = 1, .max = 65535,
		  .metavar = "PORT" },
		{ .name = "tls-san", .type = OPT_LIST, .value = &t->san, .group = "Listener",
		  .usage = "Extra name in the serving certificate (repeatable)", .metavar = "NAME" },
		{ .name = "write-kubeconfig-mode", .type = OPT_MODE, .value = &t->mode,
		  .group = "Client", .usage = "File mode of the kubeconfig" },
		{ .name = "token", .type = OPT_STRING, .value = &t->token, .group = "Cluster",
		  .usage = "Shared secret", .metavar = "TOKEN" },
		{ .name = "secret-knob", .type = OPT_BOOL, .value = &t->secret, .group = "General",
		  .usage = "Not shown", .hidden = 1 },
	};
	memcpy(tbl, def, sizeof(def));
	*cmd = (struct opt_cmd){
		.name = "kube test", .summary = "Run a test component.",
		.usage = "kube test [flags] [ARG...]", .default_config = default_config,
		.opts = tbl, .nopts = NOPTS,
	};
}

static void clear_env(void)
{
	const char *names[] = { "data-dir", "debug", "https-listen-port", "tls-san",
				"write-kubeconfig-mode", "token", "secret-knob", "config" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		unsetenv(opt_env_name(names[i]));
}

/* Writes content to a new file in the test's directory; returns its path (static buffer). */
static const char *write_tmp(const char *name, const char *content)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(content, f) < 0 || fclose(f) != 0)
		abort();
	return path;
}

static int argc_of(char **argv)
{
	int n = 0;
	while (argv[n])
		n++;
	return n;
}

#define ARGV(...) ((char *[]){ "test", __VA_ARGS__, NULL })

/* Parses argv into cmd, without positional arguments or help. */
static int parse(struct opt_cmd *cmd, char **argv, struct buf *err)
{
	buf_reset(err);
	return opt_parse(cmd, argc_of(argv), argv, NULL, NULL, NULL, err);
}

/* Counts the lines of err. */
static int lines(const struct buf *err)
{
	int n = err->len ? 1 : 0;
	for (size_t i = 0; i < err->len; i++)
		n += err->data[i] == '\n';
	return n;
}

/* Checks that err holds line as one of its lines. */
#define ASSERT_LINE(err, line) \
	do { \
		char *l_ = xasprintf("\n%s\n", (line)); \
		char *all_ = xasprintf("\n%s\n", buf_str(err)); \
		int ok_ = strstr(all_, l_) != NULL; \
		free(l_); \
		free(all_); \
		if (!ok_) \
			FAIL("missing error line: %s\n  errors:\n%s", (line), buf_str(err)); \
	} while (0)

#define ASSERT_LIST(l, ...) \
	do { \
		const char *want_[] = { __VA_ARGS__ }; \
		ASSERT_EQ((l).n, ARRAY_SIZE(want_)); \
		for (size_t i_ = 0; i_ < ARRAY_SIZE(want_); i_++) \
			ASSERT_STR((l).v[i_], want_[i_]); \
	} while (0)

TEST_IMPL(opt_env_name)
{
	ASSERT_STR(opt_env_name("data-dir"), "KUBE_DATA_DIR");
	ASSERT_STR(opt_env_name("https-listen-port"), "KUBE_HTTPS_LISTEN_PORT");
	ASSERT_STR(opt_env_name("x"), "KUBE_X");
	return 0;
}

TEST_IMPL(opt_defaults)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	clear_env();
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_STR(t.data_dir, "/var/lib/kube");
	ASSERT_EQ(t.port, 6443);
	ASSERT_EQ(t.mode, 0600);
	ASSERT_EQ(t.debug, 0);
	ASSERT_EQ(t.san.n, 0);
	ASSERT(!t.token);
	ASSERT(!cmd.config_path);
	for (size_t i = 0; i < NOPTS; i++)
		ASSERT_EQ(tbl[i].source, OPT_SRC_DEFAULT);
	opt_free(&cmd);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_precedence)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	clear_env();
	const char *path = write_tmp("config.yaml",
				     "data-dir: /from/file\n"
				     "debug: yes\n"
				     "https-listen-port: 7000\n"
				     "tls-san: [f1, f2]\n"
				     "write-kubeconfig-mode: 0640\n"
				     "token: filetoken\n");
	char *cfg = xstrdup(path);
	/* default < file */
	topts_cmd(&t, tbl, &cmd, cfg);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_STR(cmd.config_path, cfg);
	ASSERT_STR(t.data_dir, "/from/file");
	ASSERT_EQ(t.debug, 1);
	ASSERT_EQ(t.port, 7000);
	ASSERT_LIST(t.san, "f1", "f2");
	ASSERT_EQ(t.mode, 0640);
	ASSERT_STR(t.token, "filetoken");
	for (size_t i = 0; i < NOPTS - 1; i++)
		ASSERT_EQ(tbl[i].source, OPT_SRC_FILE);
	ASSERT_EQ(tbl[NOPTS - 1].source, OPT_SRC_DEFAULT);
	opt_free(&cmd);
	/* file < env, for the options the environment sets */
	setenv("KUBE_HTTPS_LISTEN_PORT", "8000", 1);
	setenv("KUBE_TLS_SAN", "e1,e2", 1);
	setenv("KUBE_DEBUG", "false", 1);
	setenv("KUBE_TOKEN", "", 1); /* empty: unset */
	topts_cmd(&t, tbl, &cmd, cfg);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_EQ(t.port, 8000);
	ASSERT_EQ(tbl[2].source, OPT_SRC_ENV);
	ASSERT_LIST(t.san, "e1", "e2");
	ASSERT_EQ(t.debug, 0);
	ASSERT_STR(t.data_dir, "/from/file");
	ASSERT_STR(t.token, "filetoken");
	ASSERT_EQ(tbl[5].source, OPT_SRC_FILE);
	opt_free(&cmd);
	/* env < flag */
	topts_cmd(&t, tbl, &cmd, cfg);
	ASSERT_EQ(parse(&cmd, ARGV("--https-listen-port", "9000", "--data-dir=/from/flag",
				   "--tls-san", "x", "--debug"), &err), 0);
	ASSERT_EQ(t.port, 9000);
	ASSERT_EQ(tbl[2].source, OPT_SRC_FLAG);
	ASSERT_STR(t.data_dir, "/from/flag");
	ASSERT_EQ(tbl[0].source, OPT_SRC_FLAG);
	ASSERT_LIST(t.san, "x");
	ASSERT_EQ(t.debug, 1);
	ASSERT_EQ(t.mode, 0640);
	ASSERT_STR(t.token, "filetoken");
	opt_free(&cmd);
	/* env alone, and flag alone, over defaults */
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_EQ(t.port, 8000);
	ASSERT_STR(t.data_dir, "/var/lib/kube");
	opt_free(&cmd);
	clear_env();
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(parse(&cmd, ARGV("--write-kubeconfig-mode", "0644"), &err), 0);
	ASSERT_EQ(t.mode, 0644);
	ASSERT_EQ(t.port, 6443);
	opt_free(&cmd);
	free(cfg);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_lists)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	clear_env();
	/* Repeated flags append; each value is split at commas (pflag's StringSlice). */
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(parse(&cmd, ARGV("--tls-san", "a", "--tls-san=b,c", "--tls-san", " d , e ,,"),
			&err), 0);
	ASSERT_LIST(t.san, "a", "b", "c", "d", "e");
	opt_free(&cmd);
	/* Quoted items may hold commas. */
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(parse(&cmd, ARGV("--tls-san", "\"x,y\",z, \"q\"\"uote\" "), &err), 0);
	ASSERT_LIST(t.san, "x,y", "z", "q\"uote");
	opt_free(&cmd);
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT(parse(&cmd, ARGV("--tls-san", "\"open,x"), &err) < 0);
	ASSERT_STR(buf_str(&err), "flag --tls-san: invalid value \"\"open,x\": bad quoting (a "
		   "quoted item is \"...\" up to a comma)");
	ASSERT(parse(&cmd, ARGV("--tls-san", "\"a\"b,c"), &err) < 0);
	opt_free(&cmd);
	/* An empty value gives an empty list. */
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(parse(&cmd, ARGV("--tls-san="), &err), 0);
	ASSERT_EQ(t.san.n, 0);
	ASSERT_EQ(tbl[3].source, OPT_SRC_FLAG);
	opt_free(&cmd);
	/* Environment: comma-separated. */
	setenv("KUBE_TLS_SAN", "e1, e2", 1);
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_LIST(t.san, "e1", "e2");
	opt_free(&cmd);
	unsetenv("KUBE_TLS_SAN");
	/* File: a YAML list is taken item by item, never split; a string is split. */
	char *cfg = xstrdup(write_tmp("list.yaml", "tls-san: [p, \"q,r\", 3, true]\n"));
	topts_cmd(&t, tbl, &cmd, cfg);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_LIST(t.san, "p", "q,r", "3", "true");
	opt_free(&cmd);
	/* A flag replaces the file's list instead of adding to it. */
	topts_cmd(&t, tbl, &cmd, cfg);
	ASSERT_EQ(parse(&cmd, ARGV("--tls-san", "f"), &err), 0);
	ASSERT_LIST(t.san, "f");
	opt_free(&cmd);
	free(cfg);
	cfg = xstrdup(write_tmp("list2.yaml", "tls-san: s1,s2\n"));
	topts_cmd(&t, tbl, &cmd, cfg);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_LIST(t.san, "s1", "s2");
	opt_free(&cmd);
	free(cfg);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_errors_together)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	clear_env();
	char *cfg = xstrdup(write_tmp("bad.yaml", "unknown-key: 1\nhttps-listen-port: 70000\n"
				      "token: ok\n"));
	setenv("KUBE_WRITE_KUBECONFIG_MODE", "999", 1);
	topts_cmd(&t, tbl, &cmd, cfg);
	int rc = parse(&cmd, ARGV("--nope", "--https-listen-port", "abc", "--debug=maybe",
				  "--data-dir", "/still/applied", "-v"), &err);
	ASSERT_EQ(rc, -KUBE_EINVAL);
	ASSERT_LINE(&err, "unknown flag: --nope");
	ASSERT_LINE(&err, "unknown shorthand flag: 'v' in -v");
	ASSERT_LINE(&err, "flag --https-listen-port: invalid value \"abc\": not an integer");
	ASSERT_LINE(&err, "flag --debug: invalid value \"maybe\": not a boolean (true or false)");
	ASSERT_LINE(&err, "environment variable KUBE_WRITE_KUBECONFIG_MODE: invalid value \"999\" "
		    "for --write-kubeconfig-mode: not an octal file mode like 0600");
	char *line = xasprintf("config file %s: unknown key \"unknown-key\"", cfg);
	ASSERT_LINE(&err, line);
	free(line);
	line = xasprintf("config file %s: key \"https-listen-port\": invalid value \"70000\": "
			 "out of range [1, 65535]", cfg);
	ASSERT_LINE(&err, line);
	free(line);
	ASSERT_EQ(lines(&err), 7);
	ASSERT(err.data[err.len - 1] != '\n');
	/* Good values are still applied; bad ones leave the previous value. */
	ASSERT_STR(t.data_dir, "/still/applied");
	ASSERT_STR(t.token, "ok");
	ASSERT_EQ(t.port, 6443);
	ASSERT_EQ(tbl[2].source, OPT_SRC_DEFAULT);
	ASSERT_EQ(t.mode, 0600);
	opt_free(&cmd);
	free(cfg);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_config_explicit)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	clear_env();
	char *def = xstrdup(write_tmp("default.yaml", "token: from-default\n"));
	char *other = xstrdup(write_tmp("other.yaml", "token: from-other\n"));
	char *missing = xasprintf("%s/missing.yaml", test_tmpdir());
	/* --config and KUBE_CONFIG name a file that must exist. */
	topts_cmd(&t, tbl, &cmd, def);
	ASSERT(parse(&cmd, ARGV("--config", missing), &err) < 0);
	char *want = xasprintf("config file %s: No such file or directory", missing);
	ASSERT_STR(buf_str(&err), want);
	free(want);
	opt_free(&cmd);
	setenv("KUBE_CONFIG", missing, 1);
	topts_cmd(&t, tbl, &cmd, def);
	ASSERT(parse(&cmd, ARGV(NULL), &err) < 0);
	ASSERT(strstr(buf_str(&err), "No such file or directory"));
	ASSERT(!t.token);
	opt_free(&cmd);
	/* A directory is not readable as a file. */
	topts_cmd(&t, tbl, &cmd, def);
	ASSERT(parse(&cmd, ARGV("--config", (char *)test_tmpdir()), &err) < 0);
	ASSERT(strstr(buf_str(&err), "Is a directory"));
	opt_free(&cmd);
	/* The flag wins over KUBE_CONFIG, which wins over the default. */
	setenv("KUBE_CONFIG", other, 1);
	topts_cmd(&t, tbl, &cmd, def);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_STR(t.token, "from-other");
	ASSERT_STR(cmd.config_path, other);
	opt_free(&cmd);
	topts_cmd(&t, tbl, &cmd, def);
	ASSERT_EQ(parse(&cmd, ARGV("--config=" "/dev/null", "--config", def), &err), 0);
	ASSERT_STR(t.token, "from-default");
	opt_free(&cmd);
	/* An empty KUBE_CONFIG is unset. */
	setenv("KUBE_CONFIG", "", 1);
	topts_cmd(&t, tbl, &cmd, def);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_STR(t.token, "from-default");
	opt_free(&cmd);
	unsetenv("KUBE_CONFIG");
	/* Without a default config there is no --config flag. */
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT(parse(&cmd, ARGV("--config", def), &err) < 0);
	ASSERT(starts_with(buf_str(&err), "unknown flag: --config\nunexpected argument"));
	opt_free(&cmd);
	free(def);
	free(other);
	free(missing);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_config_default_absent)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	clear_env();
	char *def = xasprintf("%s/absent/config.yaml", test_tmpdir());
	topts_cmd(&t, tbl, &cmd, def);
	ASSERT_EQ(parse(&cmd, ARGV("--debug"), &err), 0);
	ASSERT_STR(buf_str(&err), "");
	ASSERT(!cmd.config_path);
	ASSERT_EQ(t.debug, 1);
	opt_free(&cmd);
	free(def);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_config_declared)
{
	struct topts t;
	struct opt tbl[NOPTS + 1];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	clear_env();
	char *path = xstrdup(write_tmp("c.yaml", "token: t1\n"));
	/* A table may declare "config" itself: it receives the path, and works without a
	 * default. */
	topts_cmd(&t, tbl, &cmd, NULL);
	tbl[NOPTS] = (struct opt){ .name = "config", .type = OPT_STRING, .value = &t.config,
				   .group = "General", .usage = "Config file", .metavar = "FILE" };
	cmd.nopts = NOPTS + 1;
	ASSERT_EQ(parse(&cmd, ARGV("--config", path), &err), 0);
	ASSERT_STR(t.config, path);
	ASSERT_EQ(tbl[NOPTS].source, OPT_SRC_FLAG);
	ASSERT_STR(t.token, "t1");
	ASSERT_STR(cmd.config_path, path);
	opt_free(&cmd);
	ASSERT(!t.config);
	setenv("KUBE_CONFIG", path, 1);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
	ASSERT_STR(t.config, path);
	ASSERT_EQ(tbl[NOPTS].source, OPT_SRC_ENV);
	ASSERT_STR(t.token, "t1");
	opt_free(&cmd);
	unsetenv("KUBE_CONFIG");
	/* The file cannot name another file. */
	free(path);
	path = xstrdup(write_tmp("d.yaml", "config: /other.yaml\n"));
	ASSERT(parse(&cmd, ARGV("--config", path), &err) < 0);
	char *want = xasprintf("config file %s: key \"config\" cannot be set in a config file",
			       path);
	ASSERT_STR(buf_str(&err), want);
	free(want);
	opt_free(&cmd);
	free(path);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_config_file_errors)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	const struct {
		const char *yaml, *error; /* error: "" for none, else after "config file PATH: " */
	} cases[] = {
		{ "", "" },
		{ "# nothing\n", "" },
		{ "token:\n", "" }, /* null: not set */
		{ "- a\n- b\n", "expected a mapping of flag names to values" },
		{ "token: a: b\n", "line 1, column 9: mapping values are not allowed in this context" },
		{ "token: [a]\n", "key \"token\": expected a single value, not a list or a mapping" },
		{ "tls-san: {a: 1}\n", "key \"tls-san\": expected a list or a string" },
		{ "tls-san: [[a]]\n", "key \"tls-san\": list items must be strings" },
		{ "debug: \"yes\"\n", "key \"debug\": invalid value \"yes\": not a boolean (true or "
				      "false)" },
		{ "https-listen-port: 0x10\n", "key \"https-listen-port\": invalid value \"0x10\": "
					       "not an integer" },
		{ "data-dir: !!binary aGk=\n", "line 1, column 11: !!binary values are not "
					       "supported" },
	};
	clear_env();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *path = xstrdup(write_tmp("e.yaml", cases[i].yaml));
		topts_cmd(&t, tbl, &cmd, path);
		int rc = parse(&cmd, ARGV(NULL), &err);
		char *want = *cases[i].error ? xasprintf("config file %s: %s", path, cases[i].error)
					     : xstrdup("");
		if (strcmp(buf_str(&err), want) != 0)
			FAIL("case %zu: got \"%s\", want \"%s\"", i, buf_str(&err), want);
		ASSERT_EQ(rc, *cases[i].error ? -KUBE_EINVAL : 0);
		free(want);
		opt_free(&cmd);
		free(path);
	}
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_bool_spellings)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	const char *yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	const char *no[] = { "0", "f", "F", "FALSE", "false", "False" };
	char flag[64];
	clear_env();
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		for (int v = 0; v < 2; v++) {
			snprintf(flag, sizeof(flag), "--debug=%s", v ? yes[i] : no[i]);
			topts_cmd(&t, tbl, &cmd, NULL);
			t.debug = !v;
			ASSERT_EQ(parse(&cmd, ARGV(flag), &err), 0);
			ASSERT_EQ(t.debug, v);
			setenv("KUBE_DEBUG", v ? yes[i] : no[i], 1);
			t.debug = !v;
			ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
			ASSERT_EQ(t.debug, v);
			unsetenv("KUBE_DEBUG");
		}
	}
	/* A bare boolean flag is true and never takes the next argument. */
	topts_cmd(&t, tbl, &cmd, NULL);
	char **args;
	size_t nargs;
	char **argv = ARGV("--debug", "false");
	ASSERT_EQ(opt_parse(&cmd, argc_of(argv), argv, &args, &nargs, NULL, &err), 0);
	ASSERT_EQ(t.debug, 1);
	ASSERT_EQ(nargs, 1);
	ASSERT_STR(args[0], "false");
	free(args);
	/* YAML spellings are for the file only. */
	const char *bad[] = { "--debug=yes", "--debug=on", "--debug=", "--debug=tRUE" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ASSERT_EQ(parse(&cmd, ARGV((char *)bad[i]), &err), -KUBE_EINVAL);
	setenv("KUBE_DEBUG", "yes", 1);
	ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), -KUBE_EINVAL);
	ASSERT_STR(buf_str(&err), "environment variable KUBE_DEBUG: invalid value \"yes\" for "
		   "--debug: not a boolean (true or false)");
	unsetenv("KUBE_DEBUG");
	const char *fyes[] = { "yes", "Yes", "on", "ON", "y", "true", "True", "\"true\"", "'1'" };
	const char *fno[] = { "no", "No", "off", "OFF", "n", "false", "FALSE", "\"false\"", "'0'" };
	for (size_t i = 0; i < ARRAY_SIZE(fyes); i++) {
		for (int v = 0; v < 2; v++) {
			snprintf(flag, sizeof(flag), "debug: %s\n", v ? fyes[i] : fno[i]);
			char *path = xstrdup(write_tmp("b.yaml", flag));
			topts_cmd(&t, tbl, &cmd, path);
			t.debug = !v;
			ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
			ASSERT_EQ(t.debug, v);
			ASSERT_EQ(tbl[1].source, OPT_SRC_FILE);
			opt_free(&cmd);
			free(path);
		}
	}
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_syntax)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	char **args = NULL;
	size_t nargs = 0;
	int help = -1;
	clear_env();
	/* Positional arguments anywhere; "--" ends the flags; "-" is an argument. */
	topts_cmd(&t, tbl, &cmd, NULL);
	char **argv = ARGV("a", "--debug", "-", "--data-dir", "/x", "b", "--", "--token", "c");
	ASSERT_EQ(opt_parse(&cmd, argc_of(argv), argv, &args, &nargs, &help, &err), 0);
	ASSERT_EQ(help, 0);
	ASSERT_EQ(nargs, 5);
	ASSERT_STR(args[0], "a");
	ASSERT_STR(args[1], "-");
	ASSERT_STR(args[2], "b");
	ASSERT_STR(args[3], "--token");
	ASSERT_STR(args[4], "c");
	ASSERT(args[3] == argv[8]);
	ASSERT_STR(t.data_dir, "/x");
	ASSERT(!t.token);
	free(args);
	opt_free(&cmd);
	/* No arguments: args is NULL. */
	ASSERT_EQ(opt_parse(&cmd, 1, ARGV(NULL), &args, &nargs, &help, &err), 0);
	ASSERT(!args && nargs == 0);
	/* The last of repeated values wins; a value may look like a flag; hidden flags work. */
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(parse(&cmd, ARGV("--data-dir", "/a", "--data-dir=/b", "--token", "--debug",
				   "--secret-knob", "--data-dir=x=y"), &err), 0);
	ASSERT_STR(t.data_dir, "x=y");
	ASSERT_STR(t.token, "--debug");
	ASSERT_EQ(t.debug, 0);
	ASSERT_EQ(t.secret, 1);
	opt_free(&cmd);
	/* Syntax errors. */
	ASSERT(parse(&cmd, ARGV("---x", "--=x", "-data-dir", "pos", "--data-dir"), &err) < 0);
	ASSERT_STR(buf_str(&err), "bad flag syntax: ---x\n"
		   "bad flag syntax: --=x\n"
		   "unknown shorthand flag: 'd' in -data-dir\n"
		   "unexpected argument \"pos\"\n"
		   "flag needs an argument: --data-dir");
	opt_free(&cmd);
	/* err may be NULL. */
	argv = ARGV("--nope");
	ASSERT_EQ(opt_parse(&cmd, 2, argv, NULL, NULL, NULL, NULL), -KUBE_EINVAL);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_help_flag)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	char **args;
	size_t nargs;
	int help = 0;
	clear_env();
	char *cfg = xstrdup(write_tmp("h.yaml", "token: x\nbogus: 1\n"));
	setenv("KUBE_DATA_DIR", "/env", 1);
	/* Help wins over everything and applies nothing, so the help shows the defaults. */
	const char *variants[] = { "-h", "--help", "--help=true" };
	for (size_t i = 0; i < ARRAY_SIZE(variants); i++) {
		topts_cmd(&t, tbl, &cmd, cfg);
		char **argv = ARGV("--nope", "--https-listen-port=x", (char *)variants[i], "arg");
		help = 0;
		ASSERT_EQ(opt_parse(&cmd, argc_of(argv), argv, &args, &nargs, &help, &err), 0);
		ASSERT_EQ(help, 1);
		ASSERT_STR(t.data_dir, "/var/lib/kube");
		ASSERT(!t.token);
		ASSERT(!cmd.config_path);
		free(args);
		opt_free(&cmd);
	}
	unsetenv("KUBE_DATA_DIR");
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(opt_parse(&cmd, 2, ARGV("--help=false"), NULL, NULL, &help, &err), 0);
	ASSERT_EQ(help, 0);
	/* Without a help pointer, -h and --help are unknown. */
	ASSERT(parse(&cmd, ARGV("-h", "--help"), &err) < 0);
	ASSERT_STR(buf_str(&err), "unknown shorthand flag: 'h' in -h\nunknown flag: --help");
	free(cfg);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_help_text)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	char *text = NULL;
	size_t len = 0;
	topts_cmd(&t, tbl, &cmd, "/etc/kube/config.yaml");
	static char *san[] = { "a.example", "b.example" };
	t.san = (struct opt_list){ san, 2 };
	FILE *f = open_memstream(&text, &len);
	ASSERT(f);
	opt_print_help(&cmd, f);
	fclose(f);
	/* The usage column starts 3 after the longest flag (--write-kubeconfig-mode MODE). */
	const char *want =
		"Run a test component.\n"
		"\n"
		"Usage:\n"
		"  kube test [flags] [ARG...]\n"
		"\n"
		"General:\n"
		"      --data-dir DIR                 Directory for state (default \"/var/lib/kube\") [$KUBE_DATA_DIR]\n"
		"      --debug                        Turn on debug logs [$KUBE_DEBUG]\n"
		"\n"
		"Listener:\n"
		"      --https-listen-port PORT       HTTPS port (default 6443) [$KUBE_HTTPS_LISTEN_PORT]\n"
		"      --tls-san NAME                 Extra name in the serving certificate (repeatable) (default [a.example,b.example]) [$KUBE_TLS_SAN]\n"
		"\n"
		"Client:\n"
		"      --write-kubeconfig-mode MODE   File mode of the kubeconfig (default 0600) [$KUBE_WRITE_KUBECONFIG_MODE]\n"
		"\n"
		"Cluster:\n"
		"      --token TOKEN                  Shared secret [$KUBE_TOKEN]\n"
		"\n"
		"Other:\n"
		"      --config FILE                  Load configuration from FILE (default \"/etc/kube/config.yaml\") [$KUBE_CONFIG]\n"
		"  -h, --help                         Show this help\n";
	if (strcmp(text, want) != 0)
		FAIL("help differs; got:\n%s", text);
	ASSERT(!strstr(text, "secret-knob"));
	free(text);
	/* Options without a group go under "Flags"; no config line without a config file. */
	tbl[0].group = NULL;
	cmd.default_config = NULL;
	cmd.usage = NULL;
	f = open_memstream(&text, &len);
	opt_print_help(&cmd, f);
	fclose(f);
	ASSERT(strstr(text, "Usage:\n  kube test [flags]\n\nFlags:\n      --data-dir DIR "));
	ASSERT(!strstr(text, "--config"));
	free(text);
	return 0;
}

TEST_IMPL(opt_mode_and_int)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	const struct {
		const char *text;
		unsigned mode;
	} modes[] = { { "0600", 0600 }, { "600", 0600 }, { "0", 0 }, { "7777", 07777 },
		      { "00644", 0644 } };
	clear_env();
	topts_cmd(&t, tbl, &cmd, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		ASSERT_EQ(parse(&cmd, ARGV("--write-kubeconfig-mode", (char *)modes[i].text), &err),
			  0);
		ASSERT_EQ(t.mode, modes[i].mode);
	}
	const char *badmodes[] = { "0800", "8", "abc", "-1", "010000", "0x1", "", " 644" };
	for (size_t i = 0; i < ARRAY_SIZE(badmodes); i++)
		ASSERT_EQ(parse(&cmd, ARGV("--write-kubeconfig-mode", (char *)badmodes[i]), &err),
			  -KUBE_EINVAL);
	/* In the file, 0644 (a YAML 1.1 octal), "0644" and 644 all mean 0644. */
	const char *fmodes[] = { "0644", "\"0644\"", "644" };
	for (size_t i = 0; i < ARRAY_SIZE(fmodes); i++) {
		char doc[64];
		snprintf(doc, sizeof(doc), "write-kubeconfig-mode: %s\n", fmodes[i]);
		char *path = xstrdup(write_tmp("m.yaml", doc));
		topts_cmd(&t, tbl, &cmd, path);
		ASSERT_EQ(parse(&cmd, ARGV(NULL), &err), 0);
		ASSERT_EQ(t.mode, 0644);
		opt_free(&cmd);
		free(path);
	}
	/* Integers: decimal within [min, max]. */
	topts_cmd(&t, tbl, &cmd, NULL);
	ASSERT_EQ(parse(&cmd, ARGV("--https-listen-port", "65535"), &err), 0);
	ASSERT_EQ(t.port, 65535);
	ASSERT(parse(&cmd, ARGV("--https-listen-port", "0"), &err) < 0);
	ASSERT_STR(buf_str(&err), "flag --https-listen-port: invalid value \"0\": out of range "
		   "[1, 65535]");
	const char *badints[] = { "+5", " 5", "5 ", "0x10", "1e3", "", "99999999999999999999" };
	for (size_t i = 0; i < ARRAY_SIZE(badints); i++)
		ASSERT_EQ(parse(&cmd, ARGV("--https-listen-port", (char *)badints[i]), &err),
			  -KUBE_EINVAL);
	/* min and max both 0: any 64-bit value. */
	tbl[2].max = 0;
	tbl[2].min = 0;
	ASSERT_EQ(parse(&cmd, ARGV("--https-listen-port=-9223372036854775808"), &err), 0);
	ASSERT_EQ(t.port, INT64_MIN);
	buf_release(&err);
	return 0;
}

TEST_IMPL(opt_free_releases)
{
	struct topts t;
	struct opt tbl[NOPTS];
	struct opt_cmd cmd;
	struct buf err = BUF_INIT;
	clear_env();
	char *cfg = xstrdup(write_tmp("f.yaml", "data-dir: /f\ntoken: t\ntls-san: [a, b]\n"));
	setenv("KUBE_TOKEN", "envtoken", 1);
	topts_cmd(&t, tbl, &cmd, cfg);
	/* Each source's string and list replaces the lower one's, which is freed. */
	ASSERT_EQ(parse(&cmd, ARGV("--data-dir", "/1", "--data-dir", "/2", "--tls-san", "x",
				   "--tls-san", "y"), &err), 0);
	ASSERT_STR(t.data_dir, "/2");
	ASSERT_STR(t.token, "envtoken");
	ASSERT_LIST(t.san, "x", "y");
	opt_free(&cmd);
	ASSERT(!t.data_dir && !t.token && !t.san.v && t.san.n == 0);
	ASSERT(!cmd.config_path);
	for (size_t i = 0; i < NOPTS; i++)
		ASSERT_EQ(tbl[i].source, OPT_SRC_DEFAULT);
	free(cfg);
	buf_release(&err);
	if (__lsan_do_recoverable_leak_check)
		ASSERT_EQ(__lsan_do_recoverable_leak_check(), 0);
	return 0;
}
