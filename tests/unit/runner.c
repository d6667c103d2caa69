/*
 * runner.c - runs the unit tests listed in test-list.h, each in a forked child with a time
 * limit, and prints one line per test and a closing "N passed, N failed" line.
 *
 * Usage: unit-tests [NAME-OR-PREFIX...]   (no argument runs everything)
 */
#include "test.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_ENTRY(name) int test_##name(void);
#include "test-list.h"
#undef TEST_ENTRY

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
#define TEST_ENTRY(name) { #name, test_##name },
#include "test-list.h"
#undef TEST_ENTRY
};

static char tmpdir[256];

const char *test_tmpdir(void)
{
	return tmpdir;
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strncmp(name, argv[i], strlen(argv[i])) == 0)
			return 1;
	return 0;
}

static int run_one(int i)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/kube-unit-XXXXXX", base);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		alarm(120);
		exit(tests[i].fn() ? 1 : 0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", tmpdir);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "  killed by signal %d%s\n", WTERMSIG(status),
			WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
		return 1;
	}
	return WEXITSTATUS(status) != 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (!selected(tests[i].name, argc, argv))
			continue;
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		int bad = run_one((int)i);
		clock_gettime(CLOCK_MONOTONIC, &b);
		double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
		printf("%s %s (%.0f ms)\n", bad ? "FAIL" : "ok  ", tests[i].name, ms);
		if (bad)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
