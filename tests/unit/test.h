/*
 * test.h - the unit test harness: TEST_IMPL(name) defines a test, ASSERT* check conditions.
 *
 * Each test runs in its own forked process with a time limit, so a crash or a hang fails that
 * test alone. The runner's table is generated from the TEST_IMPL lines (see the Makefile).
 */
#ifndef KUBE_TEST_H
#define KUBE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_IMPL(name) int test_##name(void)

#define FAIL(...) \
	do { \
		fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		return 1; \
	} while (0)

#define ASSERT(c) \
	do { \
		if (!(c)) \
			FAIL("assertion failed: %s", #c); \
	} while (0)

#define ASSERT_EQ(a, b) \
	do { \
		long long a_ = (long long)(a), b_ = (long long)(b); \
		if (a_ != b_) \
			FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_); \
	} while (0)

#define ASSERT_STR(a, b) \
	do { \
		const char *a_ = (a), *b_ = (b); \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) \
			FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)

/* A fresh temporary directory for the running test (removed by the runner afterwards). */
const char *test_tmpdir(void);

#endif
