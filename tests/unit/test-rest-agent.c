/*
 * Unit tests for the agent's pure parsers that take outside input: CRI log lines and their
 * times (agent/logs.c), join tokens and the raw HTTP answer of /cacerts (agent/join.c).
 */
#include "test.h"
#include "agent/internal.h"
#include "server/internal.h"

#include <string.h>

static int parse(const char *line, struct crilog_msg *m)
{
	return crilog_parse(line, strlen(line), m);
}

TEST_IMPL(rest_crilog_lines)
{
	struct crilog_msg m;
	ASSERT_EQ(parse("2024-05-01T10:00:01.000000001Z stdout F hello world", &m), 0);
	ASSERT_EQ(m.partial, 0);
	ASSERT_EQ(m.len, 11);
	ASSERT(!memcmp(m.text, "hello world", 11));
	ASSERT_STR(m.ts, "2024-05-01T10:00:01.000000001Z");
	ASSERT_EQ(m.ns, 1714557601000000001LL);
	ASSERT_EQ(parse("2024-05-01T10:00:02.250Z stderr P part", &m), 0);
	ASSERT_EQ(m.partial, 1);
	ASSERT_STR(m.ts, "2024-05-01T10:00:02.25Z");
	ASSERT_EQ(parse("2024-05-01T10:00:02Z stdout F", &m), 0); /* an empty line */
	ASSERT_EQ(m.len, 0);
	ASSERT_STR(m.ts, "2024-05-01T10:00:02Z");
	ASSERT_EQ(parse("2024-05-01T10:00:02Z stdout F:x text", &m), 0); /* more tags after ':' */
	ASSERT_EQ(parse("2024-05-01T12:00:02+02:00 stdout F x", &m), 0);
	ASSERT_STR(m.ts, "2024-05-01T10:00:02Z");
	const char *bad[] = { "", "hello", "2024-05-01T10:00:02Z", "2024-05-01T10:00:02Z stdin F x",
			      "2024-05-01T10:00:02Z stdout X x", "2024-05-01T10:00:02Z stdout FP x",
			      "2024-13-01T10:00:02Z stdout F x", "2024-05-01 10:00:02Z stdout F x",
			      "2024-05-01T10:00:02.Z stdout F x", "2024-05-01T10:00:02 stdout F x" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ASSERT_EQ(parse(bad[i], &m), -1);
	return 0;
}

TEST_IMPL(rest_crilog_time)
{
	int64_t ns;
	ASSERT_EQ(crilog_parse_time("1970-01-01T00:00:00Z", 20, &ns), 0);
	ASSERT_EQ(ns, 0);
	ASSERT_EQ(crilog_parse_time("1970-01-01T00:00:01.5Z", 22, &ns), 0);
	ASSERT_EQ(ns, 1500000000LL);
	ASSERT_EQ(crilog_parse_time("1970-01-01T01:00:00+01:00", 25, &ns), 0);
	ASSERT_EQ(ns, 0);
	ASSERT_EQ(crilog_parse_time("1970-01-01T00:00:00.1234567891234Z", 34, &ns), 0); /* beyond ns: cut */
	ASSERT_EQ(ns, 123456789LL);
	ASSERT_EQ(crilog_parse_time("1970-01-01T00:00:00Zjunk", 24, &ns), -1);
	/* outside what int64 nanoseconds hold (found by fuzz-crilog under UBSan) */
	ASSERT_EQ(crilog_parse_time("0000-01-01T00:00:00Z", 20, &ns), -1);
	ASSERT_EQ(crilog_parse_time("9999-12-31T23:59:59Z", 20, &ns), -1);
	ASSERT_EQ(crilog_parse_time("2262-01-01T00:00:00Z", 20, &ns), 0);
	ASSERT_EQ(crilog_parse_time("1970-01-01T00:00:00+0100", 24, &ns), -1);
	return 0;
}

TEST_IMPL(rest_join_token)
{
	char hash[65], *secret = NULL;
	char tok[200];
	snprintf(tok, sizeof(tok), "K10%064d::server:s3cret", 7);
	ASSERT_EQ(join_parse_token(tok, hash, &secret), 0);
	ASSERT_EQ(strlen(hash), 64);
	ASSERT_STR(secret, "s3cret");
	free(secret);
	ASSERT_EQ(join_parse_token("baresecret", hash, &secret), 0);
	ASSERT_STR(hash, "");
	ASSERT_STR(secret, "baresecret");
	free(secret);
	ASSERT_EQ(join_parse_token("K10abc::server:x", hash, &secret), -1);
	snprintf(tok, sizeof(tok), "K10%064d::server:", 7);
	ASSERT_EQ(join_parse_token(tok, hash, &secret), -1);
	snprintf(tok, sizeof(tok), "K10%063dZ::server:x", 7);
	ASSERT_EQ(join_parse_token(tok, hash, &secret), -1);
	ASSERT_EQ(join_parse_token("", hash, &secret), -1);
	return 0;
}

TEST_IMPL(rest_join_http)
{
	int status;
	const char *body;
	size_t len;
	const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello extra";
	ASSERT_EQ(join_parse_http(ok, strlen(ok), &status, &body, &len), 0);
	ASSERT_EQ(status, 200);
	ASSERT_EQ(len, 5);
	ASSERT(!memcmp(body, "hello", 5));
	const char *eof = "HTTP/1.0 404 Not Found\r\n\r\nall of it";
	ASSERT_EQ(join_parse_http(eof, strlen(eof), &status, &body, &len), 0);
	ASSERT_EQ(status, 404);
	ASSERT_EQ(len, 9);
	const char *bad[] = { "", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "SSH-2.0\r\n\r\n",
			      "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nshort",
			      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ASSERT_EQ(join_parse_http(bad[i], strlen(bad[i]), &status, &body, &len), -1);
	return 0;
}

TEST_IMPL(rest_kubelet_version)
{
	/* The kubelet reports the API server's version, with the distribution's suffix. */
	ASSERT(starts_with(AGENT_KUBELET_VERSION, KUBE_K8S_VERSION "+"));
	return 0;
}
