/*
 * opt.h - command-line options with environment and config-file fallbacks, and help output.
 *
 * DESIGN
 * A command declares its options as a table of struct opt (long name, type, target variable,
 * group heading, usage). opt_parse fills the targets from, in increasing precedence: the defaults
 * already in the variables, the YAML config file (keys are the long flag names without the
 * leading "--": "data-dir: /srv/kube"), the environment (KUBE_<NAME>, upper case, '-' as '_'),
 * and the command line. Every problem (unknown flag, unknown config key, bad value, unreadable
 * file) is collected; parsing goes on so that all of them are reported together.
 *
 * The config file is the one given by --config (or KUBE_CONFIG), else the command's default path
 * when that file exists. A file named explicitly must exist.
 *
 * Command-line syntax is pflag's (Cobra): "--name value", "--name=value"; a boolean is "--name"
 * or "--name=false" and never takes the next argument; "--" ends the flags; other arguments are
 * positional, anywhere among the flags. A non-list flag given twice keeps the last value. An
 * environment variable that is set but empty counts as unset.
 */
#ifndef KUBE_OPT_H
#define KUBE_OPT_H

#include <stddef.h>
#include <stdio.h>

struct buf;

enum opt_type {
	OPT_STRING, /* char **: a malloc'd copy replaces the value (the old one is not freed:
		       defaults are usually literals; opt_free releases what parsing set).
		       In the file: a string, number or boolean (as written) */
	OPT_BOOL,   /* int *: "--x", "--x=true|false", ParseBool spellings (1 t T TRUE true True,
		       0 f F FALSE false False) on the command line and in the environment; in the
		       file a YAML boolean (true, yes, on, ...) or a string in ParseBool spelling */
	OPT_INT,    /* long long *: decimal, range [min, max] */
	OPT_MODE,   /* unsigned *: octal file mode like 0600 or 600, at most 07777; in the file
		       write 0600 or "0600" (the text is read as octal) */
	OPT_LIST,   /* struct opt_list *: repeatable flag; env value is comma-separated; a YAML list
		       or a string in the file; a source replaces the lists from lower ones.
		       Flag, environment and file string values are split at commas like pflag's
		       StringSlice: "a, b" gives a and b (spaces around items trimmed, empty items
		       dropped), a double-quoted item may hold commas ("\"a,b\",c"). Items of a
		       YAML list are taken whole, never split */
};

struct opt_list {
	char **v;
	size_t n;
};

struct opt {
	const char *name;     /* long name without dashes: "data-dir" */
	enum opt_type type;
	void *value;
	const char *group;    /* heading in help output: "Networking", ... (NULL: "Flags") */
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
	/* Filled by opt_parse: the config file that was read, or NULL (freed by opt_free). */
	char *config_path;
};

/* Parses argv (argv[0] is the subcommand name and is skipped). Positional arguments are
 * returned in *args and *nargs (pointers into argv; args is malloc'd, free it; NULL when there are
 * none). args may be NULL for a command that takes none: positional arguments are then errors.
 * --help and -h set *help (which may be NULL: the flags are then unknown); when help is asked
 * for, nothing else is applied or checked, so that opt_print_help shows the defaults, and 0 is
 * returned. Returns 0, or -KUBE_EINVAL with every problem on its own line in err (lines joined
 * by '\n', no final newline), each naming the flag and where the bad value came from:
 *
 *   unknown flag: --foo
 *   flag --https-listen-port: invalid value "x": not an integer
 *   environment variable KUBE_HTTPS_LISTEN_PORT: invalid value "x" for --https-listen-port: ...
 *   config file /etc/kube/config.yaml: unknown key "foo"
 *
 * The config file (see DESIGN) is read when cmd->default_config is set or the table declares an
 * option named "config". --config FILE and KUBE_CONFIG are built in unless the table declares
 * "config" (an OPT_STRING, set from the flag and KUBE_CONFIG only, never from the file itself).
 * Call once per command; opt_free before parsing the same table again. */
int opt_parse(struct opt_cmd *cmd, int argc, char **argv, char ***args, size_t *nargs, int *help,
	      struct buf *err);

/* Prints the command's help: summary, usage, then the flags grouped under their headings, with
 * the environment variable name and the current (default) value of each. Groups come in table
 * order, hidden options are left out, and a last group lists the built-in --config (when the
 * command has a config file) and -h, --help. Each line reads
 *       --data-dir DIR          Usage. (default "/var/lib/kube") [$KUBE_DATA_DIR]
 * with the usage column aligned across the whole help. */
void opt_print_help(const struct opt_cmd *cmd, FILE *out);

/* Frees what parsing allocated (strings and lists set by opt_parse): the value of every option
 * whose source is not OPT_SRC_DEFAULT, which is then set to NULL (or an empty list) with its
 * source back to OPT_SRC_DEFAULT, and config_path. A caller that replaces such a value itself
 * must free the old one and reset source. */
void opt_free(struct opt_cmd *cmd);

/* The environment variable for a flag name: "data-dir" -> "KUBE_DATA_DIR" (static buffer). */
const char *opt_env_name(const char *name);

#endif
