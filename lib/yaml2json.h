/*
 * yaml2json.h - YAML to JSON (cJSON) with libyaml.
 *
 * Follows what Kubernetes' sigs.k8s.io/yaml does: one document, mappings become objects,
 * sequences arrays, plain scalars are typed as YAML 1.1 core does for Go (true/false/yes/no/on/off
 * as booleans, integers, floats, null/~), quoted scalars stay strings. Anchors and aliases are
 * expanded with a budget (total expanded nodes), so alias bombs fail fast with an error.
 *
 * In detail (sigs.k8s.io/yaml decodes with go-yaml v2, then re-encodes as JSON):
 * - Plain scalars are resolved as go-yaml v2 does. Booleans: y Y yes Yes YES true True TRUE
 *   on On ON, and n N no No NO false False FALSE off Off OFF. Null: empty, ~ null Null NULL.
 *   Integers: decimal, 0x hex, 0o or leading-0 octal, 0b binary, with an optional sign and '_'
 *   anywhere ("1_000"). Floats: 1.5 .5 1e3 -1.5E-3; .inf/.nan in their go-yaml spellings are
 *   errors, as JSON has no such numbers. Decimal integers beyond 64 bits become floats.
 *   Anything else is a string, and so is every quoted scalar and every scalar tagged !!str or
 *   with a tag go-yaml does not resolve (custom tags, "!"). Timestamps stay strings.
 * - Tags !!int !!float !!bool !!null on a scalar force that type (an error if it does not fit).
 *   !!binary is refused.
 * - Mapping keys must be scalars (or aliases of scalars). Non-string keys become strings as
 *   sigs.k8s.io/yaml makes them: 1 -> "1", 0x10 -> "16", yes -> "true", 1.5 -> "1.5" (a float
 *   key is printed as Go prints a float32); null keys and integers beyond int64 are errors.
 *   Object members keep document order.
 * - Duplicate keys: the last one wins. Merge keys ("<<: *base", "<<: [*a, *b]") copy the entries
 *   of the merged mappings at the point where "<<" stands, earlier mappings of a list winning
 *   over later ones; like go-yaml v2, keys written after "<<" override merged ones and keys
 *   written before it are overridden.
 * - Aliases are copied. The whole result (nodes read plus nodes copied) may hold at most
 *   max(1,000,000, input length) nodes and max(64 MiB, 2 x input length) bytes of strings, and
 *   collections may nest at most 256 deep; past that the conversion fails ("billion laughs").
 * - Strings holding NUL characters (from "\0" escapes) are refused: cJSON cannot hold them.
 * - Only the first document of a stream is read; later ones are not parsed (nor checked).
 */
#ifndef KUBE_YAML2JSON_H
#define KUBE_YAML2JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct buf;

enum y2j_flags {
	/* Untagged plain scalars that resolve to numbers become strings holding their source text
	 * ("0644", "1.10", "1e3", ".inf"). For config files whose values are read as flag text. */
	Y2J_NUMBERS_AS_TEXT = 1 << 0,
};

/* Parses the first YAML document in data. Returns a cJSON tree (caller frees), or NULL with a
 * message (with line and column) in err. An empty document gives an empty object. err may be
 * NULL. */
cJSON *y2j_parse(const char *data, size_t len, struct buf *err);

/* The same with flags (enum y2j_flags). */
cJSON *y2j_parse_flags(const char *data, size_t len, unsigned flags, struct buf *err);

#endif
