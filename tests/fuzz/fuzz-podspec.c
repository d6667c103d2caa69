/*
 * fuzz-podspec.c - libFuzzer target for the pod spec's parsers of user input (agent/podspec.c):
 * resource quantities, $(VAR) expansion, downward API field paths and resolv.conf generation
 * from a pod and a host file.
 *
 * Input: one byte choosing the mode, then text.
 *   mode 0: a quantity. When it parses, value >= 0 and, unless milli saturated, value is
 *           ceil(milli / 1000); cgroup values stay within their bounds.
 *   mode 1: a string expanded with a small environment; text without '$' comes out unchanged.
 *   mode 2: "pod JSON NUL host resolv.conf": podspec_resolv_conf, and every fieldRef path taken
 *           from the text after the NUL, must not crash; the resolv.conf has at most 3
 *           nameserver lines and no empty line (a value cannot inject lines).
 */
#include "agent/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void quantity(const char *s)
{
	int64_t milli, value;
	if (podspec_quantity(s, &milli, &value) < 0)
		return;
	if (value < 0 || milli < 0)
		abort();
	if (milli != INT64_MAX && value != milli / 1000 + (milli % 1000 ? 1 : 0))
		abort();
	int64_t sh = podspec_cpu_shares(milli), q = podspec_cpu_quota(milli, 100000);
	if (sh < 2 || sh > 262144 || q < 0)
		abort();
}

static void expand(const char *s)
{
	static const char *const env[] = { "A=1", "B=$(A)", "C=" };
	struct buf out = BUF_INIT;
	podspec_expand(s, env, 3, &out);
	if (!strchr(s, '$') && strcmp(buf_str(&out), s) != 0)
		abort();
	buf_release(&out);
}

static void resolv(const char *s, size_t size)
{
	size_t n = strlen(s);
	const char *host = n < size ? s + n + 1 : "";
	struct buf out = BUF_INIT, err = BUF_INIT;
	cJSON *pod = cJSON_Parse(s);
	if (podspec_resolv_conf(pod, "10.43.0.10", "cluster.local", host, &out, &err) == 0) {
		int ns = 0;
		const char *o = buf_str(&out);
		for (const char *p = o; (p = strstr(p, "nameserver ")); p++)
			if (p == o || p[-1] == '\n')
				ns++;
		if (ns > 3 || strstr(o, "\n\n") || (*o && o[strlen(o) - 1] != '\n'))
			abort();
	}
	buf_reset(&out);
	podspec_field_ref(pod, host, "192.0.2.1", &out, &err);
	podspec_qos_class(pod);
	cJSON_Delete(pod);
	buf_release(&out);
	buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	switch (data[0] % 3) {
	case 0:
		quantity(s);
		break;
	case 1:
		expand(s);
		break;
	default:
		resolv(s, size - 1);
	}
	free(s);
	return 0;
}
