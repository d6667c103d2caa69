/*
 * opt.h - command-line options with environment and config-file fallbacks, and help output.
 *
 * DESIGN
 * A command declares its options as a table of struct opt (long name, type, target variable,
 * group heading, usage). opt_parse fills the targets from, in increasing precedence: the defaults
 * already in the variables, the YAML config file (keys are flag names without dashes), the
 * environment (KUBE_<NAME>, upper case, '-' as '_'), and the command line. Every problem (unknown
 * flag, unknown config key, bad value, unreadable file) is collected; parsing goes on so that all
 * of them are reported together.
 *
 * The config file is the one given by --config (or KUBE_CONFIG), else the command's default path
 * when that file exists. A file named explicitly must exist.
 */
#ifndef KUBE_OPT_H
#define KUBE_OPT_H

#include <stddef.h>
#include <stdio.h>

struct buf;

enum opt_type {
	OPT_STRING, /* char **: a malloc'd copy replaces the value (the old one is not freed:
		       defaults are usually literals; opt_free releases what parsing set) */
	OPT_BOOL,   /* int *: "--x", "--x=true|false", ParseBool spellings; YAML booleans */
	OPT_INT,    /* long long *: decimal, range [min, max] */
	OPT_MODE,   /* unsigned *: octal file mode like 0600 */
	OPT_LIST,   /* struct opt_list *: repeatable flag; env value is comma-separated; a YAML list
		       or a string in the file; a source replaces the lists from lower ones */
};

struct opt_list {
	char **v;
	size_t n;
};

struct opt {
	const char *name;     /* long name without dashes: "data-dir" */
	enum opt_type type;
	void *value;
	const char *group;    /* heading in help output: "Networking", ... */
	const char *usage;    /* one line */
	long long min, max;   /* OPT_INT range (both 0: any) */
	const char *metavar;  /* shown in help: "DIR", "PORT" (defaults from the type) */
	int hidden;
	/* Filled by opt_parse: where the value came from. */
	enum { OPT_SRC_DEFAULT, OPT_SRC_FILE, OPT_SRC_ENV, OPT_SRC_FLAG } source;
};

struct opt_cmd {
	const char *name;          /* "kube server" */
	const char *summary;       /* one line */
	const char *usage;         /* "kube server [flags]" */
	const char *default_config; /* e.g. "/etc/kube/config.yaml"; NULL: no config file */
	struct opt *opts;
	size_t nopts;
};

/* Parses argv (argv[0] is the subcommand name and is skipped). Positional arguments are
 * returned in *args/*nargs (pointers into argv; args is malloc'd, free it). --help and -h set
 * *help. Returns 0, or -KUBE_EINVAL with every problem on its own line in err. */
int opt_parse(struct opt_cmd *cmd, int argc, char **argv, char ***args, size_t *nargs, int *help,
	      struct buf *err);

/* Prints the command's help: summary, usage, then the flags grouped under their headings, with
 * the environment variable name and the current (default) value of each. */
void opt_print_help(const struct opt_cmd *cmd, FILE *out);

/* Frees what parsing allocated (strings and lists set by opt_parse). */
void opt_free(struct opt_cmd *cmd);

/* The environment variable for a flag name: "data-dir" -> "KUBE_DATA_DIR" (static buffer). */
const char *opt_env_name(const char *name);

#endif
