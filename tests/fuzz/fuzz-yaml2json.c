/*
 * fuzz-yaml.c - libFuzzer target for y2j_parse.
 *
 * Any input must either convert or fail with a message, within the budgets (no crash, leak,
 * hang or memory blow-up), in both typing modes; a result must print as JSON that json_parse
 * reads back, since converted documents are stored and served as JSON.
 */
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/yaml2json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(const char *data, size_t size, unsigned flags)
{
	struct buf err = BUF_INIT;
	cJSON *j = y2j_parse_flags(data, size, flags, &err);
	if (j) {
		char *text = json_print_str(j);
		cJSON *back = json_parse(text, strlen(text), NULL);
		if (!back || err.len)
			abort();
		cJSON_Delete(back);
		free(text);
		cJSON_Delete(j);
	} else if (!err.len) {
		abort(); /* a failure always says why */
	}
	buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check((const char *)data, size, 0);
	check((const char *)data, size, Y2J_NUMBERS_AS_TEXT);
	return 0;
}
