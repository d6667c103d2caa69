/*
 * yaml.h - YAML to JSON (cJSON) with libyaml.
 *
 * Follows what Kubernetes' sigs.k8s.io/yaml does: one document, mappings become objects,
 * sequences arrays, plain scalars are typed as YAML 1.1 core does for Go (true/false/yes/no/on/off
 * as booleans, integers, floats, null/~), quoted scalars stay strings. Anchors and aliases are
 * expanded with a budget (total expanded nodes), so alias bombs fail fast with an error.
 */
#ifndef KUBE_YAML_H
#define KUBE_YAML_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct buf;

/* Parses the first YAML document in data. Returns a cJSON tree (caller frees), or NULL with a
 * message (with line and column) in err. An empty document gives an empty object. */
cJSON *yaml_to_json(const char *data, size_t len, struct buf *err);

#endif
