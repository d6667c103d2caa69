/*
 * fuzz-crilog.c - libFuzzer target for the agent's parsers of outside bytes: CRI log lines
 * (agent/logs.c: container output is written into them), RFC 3339 times (also from the
 * sinceTime query) and the raw HTTP answer of an unverified server's /cacerts (agent/join.c).
 *
 * Beyond "no crash, no leak, no UB": a parsed line's text lies inside the input, its tag is P or
 * F, and the time it prints parses back to the same instant.
 */
#include "agent/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct crilog_msg m;
	int64_t ns, back;
	int status;
	const char *body;
	size_t blen;
	if (crilog_parse(s, size, &m) == 0) {
		if (m.text < s || m.text + m.len > s + size || (m.partial != 0 && m.partial != 1))
			abort();
		if (crilog_parse_time(m.ts, strlen(m.ts), &back) < 0 || back != m.ns)
			abort();
	}
	crilog_parse_time(s, size, &ns);
	if (join_parse_http(s, size, &status, &body, &blen) == 0 &&
	    (status < 0 || status > 999 || body < s || body + blen > s + size))
		abort();
	return 0;
}
