/*
 * fuzz-selector.c - libFuzzer target for server/selector.
 *
 * The first byte picks the parser (label string, field string, metav1.LabelSelector JSON); the
 * rest is the input. Beyond "no crash, no leak, no UB" it checks what must hold for any input: a
 * failure says why, and a parsed selector prints to a string that parses again (for label
 * selectors, to the same string).
 */
#include "lib/buf.h"
#include "lib/json.h"
#include "server/selector.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const cJSON *labels(void)
{
	static cJSON *l;
	static const char text[] = "{\"app\":\"web\",\"tier\":\"\",\"x\":\"10\",\"in\":\"notin\",\"metadata.name\":\"n\"}";
	if (!l)
		l = json_parse(text, sizeof(text) - 1, NULL);
	return l;
}

/* Uses sel the way the server does: match, index lookup, print. */
static void exercise(const struct selector *sel, struct buf *str)
{
	(void)selector_matches(sel, sel_lookup_json, labels());
	(void)selector_required_value(sel, "app");
	selector_string(sel, str);
}

static void check_labels(const char *s)
{
	struct selector a, b;
	struct buf err = BUF_INIT, s1 = BUF_INIT, s2 = BUF_INIT;
	if (selector_parse_labels(s, &a, &err) < 0) {
		if (!err.len)
			abort();
	} else {
		exercise(&a, &s1);
		if (selector_parse_labels(buf_str(&s1), &b, NULL) < 0)
			abort();
		selector_string(&b, &s2);
		if (strcmp(buf_str(&s1), buf_str(&s2)) || a.nreqs != b.nreqs)
			abort();
		selector_release(&b);
	}
	selector_release(&a);
	buf_release(&err);
	buf_release(&s1);
	buf_release(&s2);
}

static void check_fields(const char *s)
{
	struct selector a, b;
	struct buf err = BUF_INIT, s1 = BUF_INIT;
	if (selector_parse_fields(s, &a, &err) < 0) {
		if (!err.len)
			abort();
	} else {
		exercise(&a, &s1);
		if (selector_parse_fields(buf_str(&s1), &b, NULL) < 0 || a.nreqs != b.nreqs)
			abort();
		selector_release(&b);
	}
	selector_release(&a);
	buf_release(&err);
	buf_release(&s1);
}

static void check_json(const char *s, size_t len)
{
	struct selector a, b;
	struct buf err = BUF_INIT, s1 = BUF_INIT;
	cJSON *j = json_parse(s, len, NULL);
	if (!j)
		return;
	if (selector_from_json(j, &a, &err) < 0) {
		if (!err.len)
			abort();
	} else {
		exercise(&a, &s1);
		if (selector_parse_labels(buf_str(&s1), &b, NULL) < 0)
			abort();
		selector_release(&b);
	}
	selector_release(&a);
	buf_release(&err);
	buf_release(&s1);
	cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = strndup((const char *)data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		check_labels(s);
		break;
	case 1:
		check_fields(s);
		break;
	default:
		check_json(s, strlen(s));
		break;
	}
	free(s);
	return 0;
}
