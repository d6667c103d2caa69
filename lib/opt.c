/*
 * opt.c - command-line options with environment and config-file fallbacks, and help output.
 *
 * DESIGN
 * opt_parse first reads argv without touching any target (opt__scan): it records each flag
 * occurrence as a struct opt__set (the option and its value text), collects the positional
 * arguments, and notes --help and --config. Help stops there, so that the help printed next
 * shows the real defaults. Then the sources are applied in increasing precedence, each
 * overwriting what the one before set: the config file (opt__load_file), the environment
 * (opt__load_env), the recorded flags in order (opt__load_flags). A value that does not parse
 * leaves the target as it was and adds a line to the error buffer, so every source is checked
 * even where a higher one overrides it.
 *
 * opt->source records who set the current value. Values set by parsing are malloc'd and
 * defaults usually are not, so source is also what tells opt__release and opt_free that a
 * string or list may be freed.
 */
#include "opt.h"
#include "buf.h"
#include "util.h"
#include "yaml2json.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One occurrence of a flag on the command line. */
struct opt__set {
	struct opt *o;
	const char *value; /* borrowed from argv; NULL for a boolean flag without "=value" */
};

/* The state of one opt_parse call. */
struct opt__parse {
	struct opt_cmd *cmd;
	struct opt *config;     /* the table's "config" option, &builtin, or NULL: no file */
	struct opt builtin;     /* --config when the table declares none (never applied) */
	struct opt__set *sets;
	size_t nsets;
	char **args;
	size_t nargs;
	int want_args, help_ok, help;
	struct buf *err;
	int nerr;
};

/* A parsed value, before it is stored. */
union opt__val {
	char *s;
	int b;
	long long i;
	unsigned mode;
	struct opt_list list;
};

static void opt__errf(struct opt__parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void opt__errf(struct opt__parse *p, const char *fmt, ...)
{
	va_list ap;
	if (p->nerr++)
		buf_addch(p->err, '\n');
	va_start(ap, fmt);
	buf_vaddf(p->err, fmt, ap);
	va_end(ap);
}

const char *opt_env_name(const char *name)
{
	static char env[128];
	size_t i = 0;
	memcpy(env, "KUBE_", 5);
	for (; name[i] && i + 6 < sizeof(env); i++)
		env[5 + i] = name[i] == '-' ? '_' : (char)(name[i] >= 'a' && name[i] <= 'z' ?
							   name[i] - 'a' + 'A' : name[i]);
	env[5 + i] = '\0';
	return env;
}

static void opt__list_free(struct opt_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void opt__list_add(struct opt_list *l, char *item)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = item;
}

/* Frees the value of o if parsing set it. */
static void opt__release(struct opt *o)
{
	if (o->source == OPT_SRC_DEFAULT)
		return;
	if (o->type == OPT_STRING) {
		free(*(char **)o->value);
		*(char **)o->value = NULL;
	} else if (o->type == OPT_LIST) {
		opt__list_free(o->value);
	}
}

/* Splits s at commas, like pflag's StringSlice reads one CSV record: items are trimmed of
 * spaces and empty ones dropped; an item in double quotes may hold commas, "" is a quote.
 * Returns 0, or -1 for an unterminated quote or text after one (out is then left empty). */
static int opt__split(const char *s, struct opt_list *out)
{
	struct buf item = BUF_INIT;
	int rc = 0;
	while (rc == 0 && *s) {
		s += strspn(s, " \t");
		if (*s == '"') {
			for (s++; *s && !(s[0] == '"' && s[1] != '"'); s++) {
				s += s[0] == '"'; /* "" */
				buf_addch(&item, *s);
			}
			rc = *s == '"' ? 0 : -1;
			s += *s == '"';
			s += strspn(s, " \t");
			rc = rc == 0 && *s && *s != ',' ? -1 : rc;
		} else {
			size_t n = strcspn(s, ",");
			while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
				n--;
			buf_add(&item, s, n);
			s += strcspn(s, ",");
		}
		if (rc == 0 && item.len)
			opt__list_add(out, buf_detach(&item, NULL));
		buf_reset(&item);
		s += *s == ',';
	}
	buf_release(&item);
	if (rc < 0)
		opt__list_free(out);
	return rc;
}

/* Parses text (NULL: a bare boolean flag) as a value for o. Returns 0, or -1 with the reason in
 * why. */
static int opt__parse_value(const struct opt *o, const char *text, union opt__val *v,
			    char why[96])
{
	int64_t i;
	char *end;
	unsigned long m;
	long long lo = o->min || o->max ? o->min : LLONG_MIN;
	long long hi = o->min || o->max ? o->max : LLONG_MAX;
	switch (o->type) {
	case OPT_STRING:
		v->s = xstrdup(text);
		return 0;
	case OPT_BOOL:
		v->b = 1;
		if (!text || parse_bool(text, &v->b) == 0)
			return 0;
		snprintf(why, 96, "not a boolean (true or false)");
		return -1;
	case OPT_INT:
		if (parse_int64(text, INT64_MIN, INT64_MAX, &i) < 0) {
			snprintf(why, 96, "not an integer");
			return -1;
		}
		if (i < lo || i > hi) {
			snprintf(why, 96, "out of range [%lld, %lld]", lo, hi);
			return -1;
		}
		v->i = i;
		return 0;
	case OPT_MODE:
		errno = 0;
		m = strtoul(text, &end, 8);
		if (!*text || *end || errno || m > 07777 || strspn(text, "01234567") != strlen(text)) {
			snprintf(why, 96, "not an octal file mode like 0600");
			return -1;
		}
		v->mode = (unsigned)m;
		return 0;
	case OPT_LIST:
		v->list = (struct opt_list){ NULL, 0 };
		if (opt__split(text, &v->list) == 0)
			return 0;
		snprintf(why, 96, "bad quoting (a quoted item is \"...\" up to a comma)");
		return -1;
	}
	return -1;
}

/* Stores a parsed value into o's target, taking ownership of it. append: add list items to
 * those the same source set before. */
static void opt__store(struct opt *o, union opt__val *v, int source, int append)
{
	struct opt_list *l = o->value;
	if (o->type == OPT_LIST && append && (int)o->source == source) {
		for (size_t i = 0; i < v->list.n; i++)
			opt__list_add(l, v->list.v[i]);
		free(v->list.v);
		return;
	}
	opt__release(o);
	switch (o->type) {
	case OPT_STRING:
		*(char **)o->value = v->s;
		break;
	case OPT_BOOL:
		*(int *)o->value = v->b;
		break;
	case OPT_INT:
		*(long long *)o->value = v->i;
		break;
	case OPT_MODE:
		*(unsigned *)o->value = v->mode;
		break;
	case OPT_LIST:
		*l = v->list;
		break;
	}
	o->source = source;
}

static struct opt *opt__find(struct opt__parse *p, const char *name, size_t len)
{
	for (size_t i = 0; i < p->cmd->nopts; i++) {
		struct opt *o = &p->cmd->opts[i];
		if (strlen(o->name) == len && memcmp(o->name, name, len) == 0)
			return o;
	}
	if (p->config == &p->builtin && len == 6 && memcmp(name, "config", 6) == 0)
		return &p->builtin;
	return NULL;
}

/* Reads "--" + arg; next is the argument after it (or NULL). Returns 1 when it took next. */
static int opt__scan_flag(struct opt__parse *p, const char *arg, const char *next)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *value = eq ? eq + 1 : NULL;
	struct opt *o;
	int b = 1;
	if (len == 0 || arg[0] == '-') {
		opt__errf(p, "bad flag syntax: --%s", arg);
		return 0;
	}
	if (p->help_ok && len == 4 && memcmp(arg, "help", 4) == 0) {
		if (value && parse_bool(value, &b) < 0)
			opt__errf(p, "flag --help: invalid value \"%s\": not a boolean", value);
		p->help |= b;
		return 0;
	}
	if (!(o = opt__find(p, arg, len))) {
		opt__errf(p, "unknown flag: --%.*s", (int)len, arg);
		return 0;
	}
	if (!eq && o->type != OPT_BOOL) {
		if (!next) {
			opt__errf(p, "flag needs an argument: --%s", o->name);
			return 0;
		}
		value = next;
	}
	p->sets = xrealloc(p->sets, (p->nsets + 1) * sizeof(*p->sets));
	p->sets[p->nsets++] = (struct opt__set){ o, value };
	return !eq && o->type != OPT_BOOL;
}

/* First pass: sorts argv into flag occurrences and positional arguments. */
static void opt__scan(struct opt__parse *p, int argc, char **argv)
{
	int only_args = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_args && strcmp(a, "--") == 0) {
			only_args = 1;
		} else if (only_args || a[0] != '-' || a[1] == '\0') {
			if (!p->want_args)
				opt__errf(p, "unexpected argument \"%s\"", a);
			p->args = xrealloc(p->args, (p->nargs + 1) * sizeof(*p->args));
			p->args[p->nargs++] = argv[i];
		} else if (a[1] != '-') {
			if (p->help_ok && strcmp(a, "-h") == 0)
				p->help = 1;
			else
				opt__errf(p, "unknown shorthand flag: '%c' in %s", a[1], a);
		} else {
			i += opt__scan_flag(p, a + 2, i + 1 < argc ? argv[i + 1] : NULL);
		}
	}
}

/* Applies one value from the config file. */
static void opt__from_json(struct opt__parse *p, struct opt *o, const cJSON *item,
			   const char *path)
{
	union opt__val v;
	char why[96], num[32];
	const char *text = cJSON_IsString(item) ? item->valuestring : cJSON_IsTrue(item) ? "true" :
			   cJSON_IsFalse(item) ? "false" : NULL;
	if (cJSON_IsNull(item))
		return;
	if (cJSON_IsNumber(item)) { /* only tagged ones: plain numbers come as their text */
		snprintf(num, sizeof(num), "%.17g", item->valuedouble);
		text = num;
	}
	if (cJSON_IsArray(item) && o->type == OPT_LIST) {
		v.list = (struct opt_list){ NULL, 0 };
		for (const cJSON *c = item->child; c; c = c->next) {
			const char *t = cJSON_IsString(c) ? c->valuestring : cJSON_IsTrue(c) ? "true" :
					cJSON_IsFalse(c) ? "false" : NULL;
			if (!t) {
				opt__errf(p, "config file %s: key \"%s\": list items must be strings",
					  path, item->string);
				opt__list_free(&v.list);
				return;
			}
			opt__list_add(&v.list, xstrdup(t));
		}
		opt__store(o, &v, OPT_SRC_FILE, 0);
	} else if (!text) {
		opt__errf(p, "config file %s: key \"%s\": expected %s", path, item->string,
			  o->type == OPT_LIST ? "a list or a string" : "a single value, not a list "
			  "or a mapping");
	} else if (opt__parse_value(o, text, &v, why) < 0) {
		opt__errf(p, "config file %s: key \"%s\": invalid value \"%s\": %s", path,
			  item->string, text, why);
	} else {
		opt__store(o, &v, OPT_SRC_FILE, 0);
	}
}

/* Applies the members of a parsed config file. */
static void opt__apply_file(struct opt__parse *p, const cJSON *root, const char *path)
{
	if (!cJSON_IsObject(root)) {
		opt__errf(p, "config file %s: expected a mapping of flag names to values", path);
		return;
	}
	for (const cJSON *c = root->child; c; c = c->next) {
		struct opt *o = opt__find(p, c->string, strlen(c->string));
		if (o && o == p->config)
			opt__errf(p, "config file %s: key \"%s\" cannot be set in a config file",
				  path, c->string);
		else if (!o)
			opt__errf(p, "config file %s: unknown key \"%s\"", path, c->string);
		else
			opt__from_json(p, o, c, path);
	}
}

/* Reads the config file named by --config or KUBE_CONFIG, else the default one if it exists. */
static void opt__load_file(struct opt__parse *p)
{
	const char *path = NULL, *env = getenv("KUBE_CONFIG");
	char *data = NULL;
	size_t len = 0;
	struct buf yerr = BUF_INIT;
	cJSON *root = NULL;
	int explicit, rc;
	for (size_t i = 0; i < p->nsets; i++)
		if (p->sets[i].o == p->config)
			path = p->sets[i].value;
	if (!path && env && *env)
		path = env;
	explicit = path != NULL;
	if (!path)
		path = p->cmd->default_config;
	if (!p->config || !path)
		goto out;
	rc = read_file(path, &data, &len);
	if (rc == -ENOENT && !explicit)
		goto out;
	if (rc < 0) {
		opt__errf(p, "config file %s: %s", path, strerror(-rc));
		goto out;
	}
	p->cmd->config_path = xstrdup(path);
	root = y2j_parse_flags(data, len, Y2J_NUMBERS_AS_TEXT, &yerr);
	if (!root)
		opt__errf(p, "config file %s: %s", path, buf_str(&yerr));
	else
		opt__apply_file(p, root, path);
out:
	cJSON_Delete(root);
	buf_release(&yerr);
	free(data);
}

static void opt__load_env(struct opt__parse *p)
{
	for (size_t i = 0; i < p->cmd->nopts; i++) {
		struct opt *o = &p->cmd->opts[i];
		const char *env = opt_env_name(o->name), *text = getenv(env);
		union opt__val v;
		char why[96];
		if (!text || !*text)
			continue;
		if (opt__parse_value(o, text, &v, why) == 0)
			opt__store(o, &v, OPT_SRC_ENV, 0);
		else
			opt__errf(p, "environment variable %s: invalid value \"%s\" for --%s: %s",
				  opt_env_name(o->name), text, o->name, why);
	}
}

static void opt__load_flags(struct opt__parse *p)
{
	for (size_t i = 0; i < p->nsets; i++) {
		struct opt__set *s = &p->sets[i];
		union opt__val v;
		char why[96];
		if (s->o == &p->builtin)
			continue;
		/* The first occurrence of a list flag replaces lower sources, later ones append. */
		int append = 0;
		for (size_t j = 0; j < i && !append; j++)
			append = p->sets[j].o == s->o;
		if (opt__parse_value(s->o, s->value, &v, why) == 0)
			opt__store(s->o, &v, OPT_SRC_FLAG, append);
		else
			opt__errf(p, "flag --%s: invalid value \"%s\": %s", s->o->name, s->value, why);
	}
}

int opt_parse(struct opt_cmd *cmd, int argc, char **argv, char ***args, size_t *nargs, int *help,
	      struct buf *err)
{
	struct buf scratch = BUF_INIT;
	struct opt__parse p = {
		.cmd = cmd, .err = err ? err : &scratch, .want_args = args != NULL,
		.help_ok = help != NULL,
		.builtin = { .name = "config", .type = OPT_STRING },
	};
	int rc = 0;
	cmd->config_path = NULL;
	for (size_t i = 0; i < cmd->nopts; i++) {
		cmd->opts[i].source = OPT_SRC_DEFAULT;
		if (strcmp(cmd->opts[i].name, "config") == 0)
			p.config = &cmd->opts[i];
	}
	if (!p.config && cmd->default_config)
		p.config = &p.builtin;
	opt__scan(&p, argc, argv);
	if (p.help) {
		*help = 1;
		goto out;
	}
	opt__load_file(&p);
	opt__load_env(&p);
	opt__load_flags(&p);
	rc = p.nerr ? -KUBE_EINVAL : 0;
out:
	if (help && !p.help)
		*help = 0;
	if (args && rc == 0) {
		*args = p.args;
		*nargs = p.nargs;
		p.args = NULL;
	} else if (args) {
		*args = NULL;
		*nargs = 0;
	}
	free(p.args);
	free(p.sets);
	buf_release(&scratch);
	return rc;
}

void opt_free(struct opt_cmd *cmd)
{
	for (size_t i = 0; i < cmd->nopts; i++) {
		opt__release(&cmd->opts[i]);
		cmd->opts[i].source = OPT_SRC_DEFAULT;
	}
	free(cmd->config_path);
	cmd->config_path = NULL;
}

/* ---- Help ---- */

static const char *opt__metavar(const struct opt *o)
{
	static const char *const def[] = {
		[OPT_STRING] = "STRING", [OPT_BOOL] = "", [OPT_INT] = "INT", [OPT_MODE] = "MODE",
		[OPT_LIST] = "STRINGS",
	};
	return o->type == OPT_BOOL ? "" : o->metavar ? o->metavar : def[o->type];
}

/* Appends " (default ...)" when o's current value is not the zero value. */
static void opt__add_default(const struct opt *o, struct buf *b)
{
	const struct opt_list *l = o->value;
	const char *s = o->type == OPT_STRING ? *(char *const *)o->value : NULL;
	if (s && *s)
		buf_addf(b, " (default \"%s\")", s);
	else if (o->type == OPT_BOOL && *(const int *)o->value)
		buf_adds(b, " (default true)");
	else if (o->type == OPT_INT && *(const long long *)o->value)
		buf_addf(b, " (default %lld)", *(const long long *)o->value);
	else if (o->type == OPT_MODE && *(const unsigned *)o->value)
		buf_addf(b, " (default %04o)", *(const unsigned *)o->value);
	else if (o->type == OPT_LIST && l->n) {
		buf_adds(b, " (default [");
		for (size_t i = 0; i < l->n; i++)
			buf_addf(b, "%s%s", i ? "," : "", l->v[i]);
		buf_adds(b, "])");
	}
}

/* Appends one help line: left column padded to width, then usage, default and variable. */
static void opt__help_line(struct buf *b, const char *left, int width, const char *usage,
			   const struct opt *o, const char *env)
{
	buf_addf(b, "%-*s%s", width, left, usage ? usage : "");
	if (o)
		opt__add_default(o, b);
	if (env)
		buf_addf(b, " [$%s]", env);
	buf_addch(b, '\n');
}

static char *opt__left(const struct opt *o)
{
	const char *mv = opt__metavar(o);
	return xasprintf("      --%s%s%s", o->name, *mv ? " " : "", mv);
}

/* Width of the left column: the longest flag with its metavar, plus a gap. */
static int opt__help_width(const struct opt_cmd *cmd)
{
	size_t w = strlen("      --config FILE");
	for (size_t i = 0; i < cmd->nopts; i++) {
		char *left = opt__left(&cmd->opts[i]);
		if (!cmd->opts[i].hidden)
			w = MAX(w, strlen(left));
		free(left);
	}
	return (int)w + 3;
}

static int opt__has_config(const struct opt_cmd *cmd)
{
	for (size_t i = 0; i < cmd->nopts; i++)
		if (strcmp(cmd->opts[i].name, "config") == 0)
			return 1;
	return 0;
}

/* Appends the visible options of one group. */
static void opt__help_group(const struct opt_cmd *cmd, const char *group, int width,
			    struct buf *b)
{
	int heading = 0;
	for (size_t i = 0; i < cmd->nopts; i++) {
		const struct opt *o = &cmd->opts[i];
		const char *g = o->group;
		if (o->hidden || (g != group && (!g || !group || strcmp(g, group) != 0)))
			continue;
		if (!heading++)
			buf_addf(b, "\n%s:\n", group ? group : "Flags");
		char *left = opt__left(o);
		opt__help_line(b, left, width, o->usage, o, opt_env_name(o->name));
		free(left);
	}
}

void opt_print_help(const struct opt_cmd *cmd, FILE *out)
{
	struct buf b = BUF_INIT;
	int width = opt__help_width(cmd);
	if (cmd->summary)
		buf_addf(&b, "%s\n\n", cmd->summary);
	buf_adds(&b, "Usage:\n");
	if (cmd->usage)
		buf_addf(&b, "  %s\n", cmd->usage);
	else
		buf_addf(&b, "  %s [flags]\n", cmd->name ? cmd->name : "kube");
	for (size_t i = 0; i < cmd->nopts; i++) {
		const char *g = cmd->opts[i].group;
		size_t j = 0; /* print each group once, where it first appears */
		while (j < i && !(cmd->opts[j].group == g || (g && cmd->opts[j].group &&
							       strcmp(cmd->opts[j].group, g) == 0)))
			j++;
		if (j == i)
			opt__help_group(cmd, g, width, &b);
	}
	buf_adds(&b, "\nOther:\n");
	if (cmd->default_config && !opt__has_config(cmd)) {
		char *usage = xasprintf("Load configuration from FILE (default \"%s\")",
					cmd->default_config);
		opt__help_line(&b, "      --config FILE", width, usage, NULL, "KUBE_CONFIG");
		free(usage);
	}
	opt__help_line(&b, "  -h, --help", width, "Show this help", NULL, NULL);
	fputs(buf_str(&b), out);
	buf_release(&b);
}
