/*
 * json.h - small helpers over cJSON: path lookups, typed getters and setters, printing.
 *
 * Objects are cJSON trees owned by whoever created them; getters return borrowed pointers.
 */
#ifndef KUBE_JSON_H
#define KUBE_JSON_H

#include <cjson/cJSON.h>
#include <stdint.h>

struct buf;

/* Parses len bytes of JSON. Returns the tree (caller frees with cJSON_Delete) or NULL; on
 * failure, if err is not NULL, appends a message saying where parsing stopped. Rejects nesting
 * deeper than 256 levels and trailing garbage. */
cJSON *json_parse(const char *data, size_t len, struct buf *err);

/* Follows a NULL-terminated list of object keys; returns the item or NULL. */
cJSON *json_getv(const cJSON *obj, ...) __attribute__((sentinel));
/* Returns the string value of obj[key], or NULL when absent or not a string. */
const char *json_str(const cJSON *obj, const char *key);
/* Returns whether obj[key] is the boolean true. */
int json_true(const cJSON *obj, const char *key);
/* Same for a key path: json_strv(obj, "metadata", "name", NULL). */
const char *json_strv(const cJSON *obj, ...) __attribute__((sentinel));
/* Returns obj[key] when it is an object (NULL otherwise). */
cJSON *json_obj(const cJSON *obj, const char *key);
/* Returns obj[key], creating an empty object there if absent or not an object. */
cJSON *json_obj_force(cJSON *obj, const char *key);
/* Returns obj[key] when it is a number and integral, in *out; 0 on success, -1 otherwise. */
int json_int(const cJSON *obj, const char *key, int64_t *out);

/* Replaces or adds obj[key]. Takes ownership of item. */
void json_set(cJSON *obj, const char *key, cJSON *item);
void json_set_str(cJSON *obj, const char *key, const char *value);
void json_set_int(cJSON *obj, const char *key, int64_t value);
void json_set_bool(cJSON *obj, const char *key, int value);
/* Removes obj[key] if present. */
void json_del(cJSON *obj, const char *key);

/* Removes, in every object of the tree, all but the last of keys that appear more than once,
 * so that duplicates mean what they mean to Go's encoding/json (the last one wins). */
void json_dedupe(cJSON *item);

/* Appends the compact serialisation of item to out. */
void json_print(const cJSON *item, struct buf *out);
/* Returns a malloc'd compact serialisation. */
char *json_print_str(const cJSON *item);

#endif
