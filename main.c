/*
 * main.c - the subcommand table of the one kube binary.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lib/version.h"
#include "server/server.h"

enum cmd_flags {
	CMD_IGNORE_SIGPIPE = 1 << 0, /* long-running network command */
};

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);
/* The agent's commands (agent/, cri/). */
int cmd_agent(int argc, char **argv);
int cmd_images(int argc, char **argv);
int cmd_shim(int argc, char **argv);
int cmd_runtime(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	unsigned flags;
	const char *summary;
} cmds[] = {
	{ "server", cmd_server, CMD_IGNORE_SIGPIPE, "Run the control plane (API server and datastore)" },
	{ "agent", cmd_agent, CMD_IGNORE_SIGPIPE, "Run a node: join a cluster with a token and run its pods" },
	{ "images", cmd_images, 0, "Manage the node's image store: import, list, rm" },
	{ "version", cmd_version, 0, "Print the version of kube and of the libraries it uses" },
	{ "help", cmd_help, 0, "Show this help" },
	{ "shim", cmd_shim, 0, NULL },       /* the per-container shim (started by the runtime) */
	{ "runtime", cmd_runtime, 0, NULL }, /* test and debug front end of the runtime */
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("kube - a small, compatible Kubernetes distribution\n\nUsage:\n  kube COMMAND [flags]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i].summary)
			printf("  %-10s %s\n", cmds[i].name, cmds[i].summary);
	printf("\nRun 'kube COMMAND --help' for the flags of a command.\n");
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	version_print(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc, argv);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc, argv);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		if (cmds[i].flags & CMD_IGNORE_SIGPIPE)
			signal(SIGPIPE, SIG_IGN);
		return cmds[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "kube: unknown command \"%s\"\nRun 'kube --help' for usage.\n", argv[1]);
	return 2;
}
