/*
 * validate_pod.c - upstream's validation of pod specs and pod templates (v1.33
 * pkg/apis/core/validation: ValidatePodSpec, validateContainers, ValidateVolumes,
 * ValidateResourceRequirements, probes, tolerations, affinity, ...), shared by Pods and every
 * workload kind's template.
 *
 * DESIGN
 * The checks walk the JSON tree in upstream's order and report upstream's field paths and
 * messages, including its quirks (a mount's subPath reported under "volumeMounts.subPath", a
 * template's labels under "template.labels"). Volumes are validated first into a small table
 * of names (and whether each is a claim), which the container checks look mounts and devices
 * up in, as upstream's map of volume sources. Rarely used volume plugins are recognised (one
 * source per volume) but their own fields are not checked.
 */
#include "server/kinds.h"
#include "server/quantity.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANGE_INT32_MSG "must be between 0 and 2147483647, inclusive"

/* The volumes a pod spec declares, for the containers' mounts. */
struct vols {
	const char **names;
	int *claim; /* a persistentVolumeClaim or ephemeral volume (block devices need one) */
	size_t n;
};

/* What a container check needs besides the container. */
struct pod_ctx {
	const cJSON *spec;
	const struct vols *vols;
	const cJSON *grace; /* terminationGracePeriodSeconds */
	int host_users;     /* the pod shares the host's user namespace (hostUsers not false) */
	struct field_errors *errs;
};

/* ---- small helpers -------------------------------------------------------------------------- */

static int vols_find(const struct vols *v, const char *name)
{
	for (size_t i = 0; name && i < v->n; i++)
		if (!strcmp(v->names[i], name))
			return (int)i;
	return -1;
}

/* Adds Required when s is empty, else one Invalid per message of fn. */
static void required_name(struct field_errors *errs, const char *field, const char *s, validate_name_fn *fn)
{
	if (!s || !*s)
		field_errors_add(errs, FE_REQUIRED, field, NULL, NULL);
	else
		validate_each(errs, field, s, fn);
}

/* A DNS subdomain that may end in '-' (a name prefix: NameIsDNSSubdomain(s, true)). */
static int subdomain_prefix(const char *s, struct buf *why)
{
	size_t n = strlen(s);
	if (n >= 2 && s[n - 1] == '-') {
		char *m = xasprintf("%.*sa", (int)(n - 2), s);
		int rc = validate_dns1123_subdomain(m, why);
		free(m);
		return rc;
	}
	return validate_dns1123_subdomain(s, why);
}

/* validateLocalDescendingPath: relative, without ".." elements. */
static void descending_path(struct field_errors *errs, const char *field, const char *p)
{
	if (*p == '/')
		field_errors_add_str(errs, FE_INVALID, field, p, "must be a relative path");
	for (const char *s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 2 && !strncmp(s, "..", 2)) {
			field_errors_add_str(errs, FE_INVALID, field, p, "must not contain '..'");
			break;
		}
		s += n + (e ? 1 : 0);
	}
}

/* ValidateLocalNonReservedPath */
static void local_path(struct field_errors *errs, const char *field, const char *p)
{
	descending_path(errs, field, p);
	if (starts_with(p, "..") && !starts_with(p, "../"))
		field_errors_add_str(errs, FE_INVALID, field, p, "must not start with '..'");
}

static void id_range(struct field_errors *errs, const char *field, const cJSON *v)
{
	if (v && (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 2147483647))
		field_errors_add(errs, FE_INVALID, field, v, RANGE_INT32_MSG);
}

static void file_mode(struct field_errors *errs, const char *field, const cJSON *v)
{
	if (v && (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 0777))
		field_errors_add(errs, FE_INVALID, field, v, "must be a number between 0 and 0777 (octal), both inclusive");
}

/* ---- volumes -------------------------------------------------------------------------------- */

/* The volume sources in upstream's order, with the path a second source is reported under. */
static const struct {
	const char *key, *forbidden_as;
} sources[] = {
	{ "emptyDir", "emptyDir" },
	{ "hostPath", "hostPath" },
	{ "gitRepo", "gitRepo" },
	{ "gcePersistentDisk", "gcePersistentDisk" },
	{ "awsElasticBlockStore", "awsElasticBlockStore" },
	{ "secret", "secret" },
	{ "nfs", "nfs" },
	{ "iscsi", "iscsi" },
	{ "glusterfs", "glusterfs" },
	{ "flocker", "flocker" },
	{ "persistentVolumeClaim", "persistentVolumeClaim" },
	{ "rbd", "rbd" },
	{ "cinder", "cinder" },
	{ "cephfs", "cephFS" },
	{ "quobyte", "quobyte" },
	{ "downwardAPI", "downwarAPI" },
	{ "fc", "fc" },
	{ "flexVolume", "flexVolume" },
	{ "configMap", "configMap" },
	{ "azureFile", "azureFile" },
	{ "vsphereVolume", "vsphereVolume" },
	{ "photonPersistentDisk", "photonPersistentDisk" },
	{ "portworxVolume", "portworxVolume" },
	{ "azureDisk", "azureDisk" },
	{ "storageos", "storageos" },
	{ "projected", "projected" },
	{ "scaleIO", "scaleIO" },
	{ "csi", "csi" },
	{ "ephemeral", "ephemeral" },
};

static void key_to_paths(const cJSON *items, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *kp;
	int i = 0;
	cJSON_ArrayForEach(kp, items) {
		if (!*jstr0(kp, "key"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.items[%d].key", path, i), NULL, NULL);
		if (!*jstr0(kp, "path"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.items[%d].path", path, i), NULL, NULL);
		local_path(errs, validate_path(f, "%s.items[%d].path", path, i), jstr0(kp, "path"));
		file_mode(errs, validate_path(f, "%s.items[%d].mode", path, i), jget(kp, "mode"));
		i++;
	}
}

/* A source keyed by a name field that must be set (secret, configMap, persistentVolumeClaim,
 * csi, ...). */
static void required_field(const cJSON *src, const char *path, const char *key, struct field_errors *errs)
{
	char f[VPATH_MAX];
	if (!*jstr0(src, key))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.%s", path, key), NULL, NULL);
}

static void host_path_source(const cJSON *hp, const char *path, struct field_errors *errs)
{
	static const char *const types[] = { "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate",
					     "File", "FileOrCreate", "Socket", NULL };
	char f[VPATH_MAX];
	const char *p = jstr0(hp, "path");
	const cJSON *t = jget(hp, "type");
	if (!*p) {
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.path", path), NULL, NULL);
		return;
	}
	for (const char *s = p; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 2 && !strncmp(s, "..", 2)) {
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s.path", path), p, "must not contain '..'");
			break;
		}
		s += n + (e ? 1 : 0);
	}
	if (t && !(cJSON_IsString(t) && validate_one_of(t->valuestring, types)))
		validate_not_supported(errs, validate_path(f, "%s.type", path), t, types);
}

static void downward_items(const cJSON *items, const char *path, struct field_errors *errs);

static void source_fields(const char *key, const cJSON *src, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *q;
	if (!strcmp(key, "hostPath")) {
		host_path_source(src, path, errs);
	} else if (!strcmp(key, "emptyDir")) {
		struct quantity sz;
		const char *err;
		if ((q = jget(src, "sizeLimit")) && quantity_from_json(q, &sz, &err) == 0 && quantity_sign(&sz) < 0)
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.sizeLimit", path), NULL,
					 "SizeLimit field must be a valid resource quantity");
	} else if (!strcmp(key, "secret") || !strcmp(key, "configMap")) {
		required_field(src, path, !strcmp(key, "secret") ? "secretName" : "name", errs);
		file_mode(errs, validate_path(f, "%s.defaultMode", path), jget(src, "defaultMode"));
		key_to_paths(jget(src, "items"), path, errs);
	} else if (!strcmp(key, "persistentVolumeClaim")) {
		required_field(src, path, "claimName", errs);
	} else if (!strcmp(key, "nfs")) {
		required_field(src, path, "server", errs);
		required_field(src, path, "path", errs);
		if (*jstr0(src, "path") != '/')
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s.path", path), jstr0(src, "path"),
					     "must be an absolute path");
	} else if (!strcmp(key, "gitRepo")) {
		required_field(src, path, "repository", errs);
		descending_path(errs, validate_path(f, "%s.directory", path), jstr0(src, "directory"));
	} else if (!strcmp(key, "csi")) {
		required_field(src, path, "driver", errs);
	} else if (!strcmp(key, "downwardAPI") || !strcmp(key, "projected")) {
		file_mode(errs, validate_path(f, "%s.defaultMode", path), jget(src, "defaultMode"));
		if (!strcmp(key, "downwardAPI"))
			downward_items(jget(src, "items"), path, errs);
	}
}

/* validateVolumeSource: exactly one source, each checked. */
static void volume_source(const cJSON *vol, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	int n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(sources); i++) {
		const cJSON *src = jget(vol, sources[i].key);
		if (!src)
			continue;
		if (n++) {
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.%s", path, sources[i].forbidden_as), NULL,
					 "may not specify more than 1 volume type");
			continue;
		}
		source_fields(sources[i].key, src, validate_path(f, "%s.%s", path, sources[i].key), errs);
	}
	if (!n && !jget(vol, "image"))
		field_errors_add(errs, FE_REQUIRED, path, NULL, "must specify a volume type");
}

/* Appends the errors of from to errs, leaving from empty. */
static void move_errors(struct field_errors *errs, struct field_errors *from)
{
	if (errs->n + from->n > errs->cap) {
		errs->cap = errs->n + from->n + 8;
		errs->v = xrealloc(errs->v, errs->cap * sizeof(*errs->v));
	}
	if (from->n)
		memcpy(errs->v + errs->n, from->v, from->n * sizeof(*from->v));
	errs->n += from->n;
	free(from->v);
	from->v = NULL;
	from->n = from->cap = 0;
}

/* ValidateVolumes: fills vols with the names that validated. */
static void volumes(const cJSON *list, const char *path, struct vols *vols, struct field_errors *errs)
{
	char f[VPATH_MAX], vp[VPATH_MAX];
	const cJSON *v;
	int i = 0;
	size_t cap = (size_t)cJSON_GetArraySize(list) + 1;
	vols->names = xcalloc(cap, sizeof(*vols->names));
	vols->claim = xcalloc(cap, sizeof(*vols->claim));
	cJSON_ArrayForEach(v, list) {
		struct field_errors el = FIELD_ERRORS_INIT;
		const char *name = jstr0(v, "name");
		validate_path(vp, "%s[%d]", path, i++);
		volume_source(v, vp, &el);
		required_name(&el, validate_path(f, "%s.name", vp), name, validate_dns1123_label);
		if (vols_find(vols, name) >= 0)
			field_errors_add_str(&el, FE_DUPLICATE, f, name, NULL);
		if (!el.n) {
			vols->claim[vols->n] = jget(v, "persistentVolumeClaim") || jget(v, "ephemeral");
			vols->names[vols->n++] = name;
		}
		move_errors(errs, &el);
	}
}

/* ---- downward API and environment ----------------------------------------------------------- */

static const char *const env_field_paths[] = { "metadata.name", "metadata.namespace", "metadata.uid",
					       "spec.nodeName", "spec.serviceAccountName", "status.hostIP",
					       "status.hostIPs", "status.podIP", "status.podIPs", NULL };
static const char *const volume_field_paths[] = { "metadata.annotations", "metadata.labels", "metadata.name",
						  "metadata.namespace", "metadata.uid", NULL };
static const char *const convertible_paths[] = { "metadata.annotations", "metadata.labels", "metadata.name",
						 "metadata.namespace", "metadata.uid", "spec.nodeName",
						 "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
						 "status.phase", "status.hostIP", "status.hostIPs", "status.podIP",
						 "status.podIPs", "spec.host", NULL };

/* fieldpath.SplitMaybeSubscriptedPath: "metadata.labels['k']" → path and subscript. */
static int split_subscript(const char *fp, char *path, size_t plen, const char **sub, size_t *sublen)
{
	const char *open = strstr(fp, "['");
	size_t n = strlen(fp);
	if (!open || n < 4 || strcmp(fp + n - 2, "']"))
		return 0;
	snprintf(path, plen, "%.*s", (int)(open - fp), fp);
	*sub = open + 2;
	*sublen = (size_t)(fp + n - 2 - *sub);
	return 1;
}

/* validateObjectFieldSelector */
static void field_selector(const cJSON *fs, const char *const *allowed, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX], sp[VPATH_MAX];
	const char *av = jstr0(fs, "apiVersion"), *fp = jstr0(fs, "fieldPath"), *sub;
	size_t sublen;
	if (!*av || !*fp) {
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.%s", path, *av ? "fieldPath" : "apiVersion"), NULL, NULL);
		return;
	}
	int subscripted = split_subscript(fp, sp, sizeof(sp), &sub, &sublen);
	if (strcmp(av, "v1") || (subscripted ? strcmp(sp, "metadata.annotations") && strcmp(sp, "metadata.labels")
					     : !validate_one_of(fp, convertible_paths))) {
		field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s.fieldPath", path), fp,
				     "error converting fieldPath: %s%s", strcmp(av, "v1") ? "unsupported pod version: " :
				     subscripted ? "field label does not support subscript: " : "field label not supported: ",
				     strcmp(av, "v1") ? av : fp);
		return;
	}
	if (subscripted) {
		char *key = xstrndup(sub, sublen);
		if (!strcmp(sp, "metadata.annotations"))
			for (char *p = key; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		validate_each(errs, path, key, validate_qualified_name);
		free(key);
	} else if (!validate_one_of(!strcmp(fp, "spec.host") ? "spec.nodeName" : fp, allowed)) {
		validate_not_supported_str(errs, validate_path(f, "%s.fieldPath", path),
					   !strcmp(fp, "spec.host") ? "spec.nodeName" : fp, allowed);
	}
}

/* validateContainerResourceFieldSelector (divisors are not checked). */
static void resource_selector(const cJSON *rs, int volume, const char *path, struct field_errors *errs)
{
	static const char *const exprs[] = { "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
					     "requests.ephemeral-storage", "requests.memory", NULL };
	char f[VPATH_MAX];
	const char *r = jstr0(rs, "resource");
	if (volume && !*jstr0(rs, "containerName"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.containerName", path), NULL, NULL);
	else if (!*r)
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.resource", path), NULL, NULL);
	else if (!validate_one_of(r, exprs) && !starts_with(r, "requests.hugepages-") && !starts_with(r, "limits.hugepages-"))
		validate_not_supported_str(errs, validate_path(f, "%s.resource", path), r, exprs);
}

static void downward_items(const cJSON *items, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *it;
	cJSON_ArrayForEach(it, items) {
		const cJSON *fr = jget(it, "fieldRef"), *rr = jget(it, "resourceFieldRef");
		if (!*jstr0(it, "path"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.path", path), NULL, NULL);
		local_path(errs, validate_path(f, "%s.path", path), jstr0(it, "path"));
		if (fr) {
			field_selector(fr, volume_field_paths, validate_path(f, "%s.fieldRef", path), errs);
			if (rr)
				field_errors_add_str(errs, FE_INVALID, path, "resource",
						     "fieldRef and resourceFieldRef can not be specified simultaneously");
		} else if (rr) {
			resource_selector(rr, 1, validate_path(f, "%s.resourceFieldRef", path), errs);
		} else {
			field_errors_add(errs, FE_REQUIRED, path, NULL, "one of fieldRef and resourceFieldRef is required");
		}
		file_mode(errs, validate_path(f, "%s.mode", path), jget(it, "mode"));
	}
}

/* configMapKeyRef / secretKeyRef */
static void key_selector(const cJSON *ks, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	validate_each(errs, validate_path(f, "%s.name", path), jstr0(ks, "name"), validate_dns1123_subdomain);
	if (!*jstr0(ks, "key"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.key", path), NULL, NULL);
	else
		validate_each(errs, f, jstr0(ks, "key"), validate_config_map_key);
}

static void env_value_from(const cJSON *ev, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *vf = jget(ev, "valueFrom"), *s;
	int n = 0;
	if (!vf)
		return;
	if ((s = jget(vf, "fieldRef")) && ++n)
		field_selector(s, env_field_paths, validate_path(f, "%s.fieldRef", path), errs);
	if ((s = jget(vf, "resourceFieldRef")) && ++n)
		resource_selector(s, 0, validate_path(f, "%s.resourceFieldRef", path), errs);
	if ((s = jget(vf, "configMapKeyRef")) && ++n)
		key_selector(s, validate_path(f, "%s.configMapKeyRef", path), errs);
	if ((s = jget(vf, "secretKeyRef")) && ++n)
		key_selector(s, validate_path(f, "%s.secretKeyRef", path), errs);
	if (!n)
		field_errors_add_str(errs, FE_INVALID, path, "",
				     "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
	else if (*jstr0(ev, "value"))
		field_errors_add_str(errs, FE_INVALID, path, "", "may not be specified when `value` is not empty");
	else if (n > 1)
		field_errors_add_str(errs, FE_INVALID, path, "", "may not have more than one field specified at a time");
}

static void env(const cJSON *list, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *ev;
	int i = 0;
	cJSON_ArrayForEach(ev, list) {
		required_name(errs, validate_path(f, "%s[%d].name", path, i), jstr0(ev, "name"), validate_env_var_name);
		env_value_from(ev, validate_path(f, "%s[%d].valueFrom", path, i), errs);
		i++;
	}
}

static void env_from(const cJSON *list, const char *path, struct field_errors *errs)
{
	static const char *const refs[] = { "configMapRef", "secretRef" };
	char f[VPATH_MAX];
	const cJSON *ev;
	int i = 0;
	cJSON_ArrayForEach(ev, list) {
		int n = 0;
		if (*jstr0(ev, "prefix"))
			validate_each(errs, validate_path(f, "%s[%d].prefix", path, i), jstr0(ev, "prefix"),
				      validate_env_var_name);
		for (int r = 0; r < 2; r++) {
			const cJSON *ref = jget(ev, refs[r]);
			if (ref && ++n)
				required_name(errs, validate_path(f, "%s[%d].%s.name", path, i, refs[r]), jstr0(ref, "name"),
					      subdomain_prefix);
		}
		if (!n)
			field_errors_add_str(errs, FE_INVALID, path, "", "must specify one of: `configMapRef` or `secretRef`");
		else if (n > 1)
			field_errors_add_str(errs, FE_INVALID, path, "", "may not have more than one field specified at a time");
		i++;
	}
}

/* ---- ports, mounts, resources ---------------------------------------------------------------- */

static const char *const protocols[] = { "SCTP", "TCP", "UDP", NULL };

static void container_ports(const cJSON *list, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *p, *q;
	int i = 0;
	cJSON_ArrayForEach(p, list) {
		const char *name = jstr0(p, "name");
		const cJSON *cp = jget(p, "containerPort"), *hp = jget(p, "hostPort"), *proto = jget(p, "protocol");
		int dup = 0;
		for (q = list->child; q != p && *name; q = q->next)
			dup |= !strcmp(jstr0(q, "name"), name);
		if (*name && validate_port_name(name, NULL) < 0)
			validate_each(errs, validate_path(f, "%s[%d].name", path, i), name, validate_port_name);
		else if (dup)
			field_errors_add_str(errs, FE_DUPLICATE, validate_path(f, "%s[%d].name", path, i), name, NULL);
		if (!cp || (cJSON_IsNumber(cp) && cp->valuedouble == 0))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s[%d].containerPort", path, i), NULL, NULL);
		else
			validate_port_num(errs, validate_path(f, "%s[%d].containerPort", path, i), cp);
		if (hp && !(cJSON_IsNumber(hp) && hp->valuedouble == 0))
			validate_port_num(errs, validate_path(f, "%s[%d].hostPort", path, i), hp);
		if (!*jstr0(p, "protocol"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s[%d].protocol", path, i), NULL, NULL);
		else if (!validate_one_of(proto->valuestring, protocols))
			validate_not_supported(errs, validate_path(f, "%s[%d].protocol", path, i), proto, protocols);
		i++;
	}
}

/* Is name the name of one of the list's entries (by key), other than skip? */
static int list_has(const cJSON *list, const char *key, const char *name, const cJSON *skip)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, list)
		if (it != skip && !strcmp(jstr0(it, key), name))
			return 1;
	return 0;
}

static void mount_extras(const cJSON *m, const cJSON *ctr, const char *path, struct field_errors *errs)
{
	static const char *const props[] = { "Bidirectional", "HostToContainer", "None", NULL };
	static const char *const rro[] = { "Disabled", "Enabled", "IfPossible", NULL };
	char f[VPATH_MAX];
	const cJSON *prop = jget(m, "mountPropagation"), *r = jget(m, "recursiveReadOnly");
	if (*jstr0(m, "subPath"))
		descending_path(errs, validate_path(f, "%s.subPath", path), jstr0(m, "subPath"));
	if (*jstr0(m, "subPathExpr")) {
		if (*jstr0(m, "subPath"))
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s.subPathExpr", path),
					     jstr0(m, "subPathExpr"), "subPathExpr and subPath are mutually exclusive");
		descending_path(errs, validate_path(f, "%s.subPathExpr", path), jstr0(m, "subPathExpr"));
	}
	if (prop && !validate_one_of(jstr(m, "mountPropagation"), props))
		validate_not_supported(errs, validate_path(f, "%s.mountPropagation", path), prop, props);
	if (prop && !strcmp(jstr0(m, "mountPropagation"), "Bidirectional") &&
	    !jtrue(jget(ctr, "securityContext"), "privileged"))
		field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.mountPropagation", path), NULL,
				 "Bidirectional mount propagation is available only to privileged containers");
	if (r && !strcmp(jstr0(m, "recursiveReadOnly"), "Disabled"))
		return;
	if (r && validate_one_of(jstr(m, "recursiveReadOnly"), rro)) {
		if (!jtrue(m, "readOnly"))
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.recursiveReadOnly", path), NULL,
					 "may only be specified when readOnly is true");
		if (prop && strcmp(jstr0(m, "mountPropagation"), "None"))
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.recursiveReadOnly", path), NULL,
					 "may only be specified when mountPropagation is None or not specified");
	} else if (r) {
		validate_not_supported(errs, validate_path(f, "%s.recursiveReadOnly", path), r, rro);
	}
}

/* ValidateVolumeMounts: upstream reports subPath and propagation under the list's path. */
static void volume_mounts(const cJSON *ctr, const struct vols *vols, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *list = jget(ctr, "volumeMounts"), *devs = jget(ctr, "volumeDevices"), *m, *q;
	int i = 0;
	cJSON_ArrayForEach(m, list) {
		const char *name = jstr0(m, "name"), *mp = jstr0(m, "mountPath");
		int seen = 0;
		for (q = list->child; q != m; q = q->next)
			seen |= !strcmp(jstr0(q, "mountPath"), mp);
		if (!*name)
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s[%d].name", path, i), NULL, NULL);
		if (vols_find(vols, name) < 0)
			field_errors_add_str(errs, FE_NOT_FOUND, validate_path(f, "%s[%d].name", path, i), name, NULL);
		if (!*mp)
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s[%d].mountPath", path, i), NULL, NULL);
		if (seen)
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[%d].mountPath", path, i), mp, "must be unique");
		if (list_has(devs, "name", name, NULL))
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[%d].name", path, i), name,
					     "must not already exist in volumeDevices");
		if (list_has(devs, "devicePath", mp, NULL))
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[%d].mountPath", path, i), mp,
					     "must not already exist as a path in volumeDevices");
		mount_extras(m, ctr, path, errs);
		i++;
	}
}

static void volume_devices(const cJSON *ctr, const struct vols *vols, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *list = jget(ctr, "volumeDevices"), *mounts = jget(ctr, "volumeMounts"), *d, *q;
	int i = 0;
	cJSON_ArrayForEach(d, list) {
		const char *name = jstr0(d, "name"), *dp = jstr0(d, "devicePath");
		int v = vols_find(vols, name), dup_name = 0, dup_path = 0;
		for (q = list->child; q != d; q = q->next) {
			dup_name |= *jstr0(q, "name") && !strcmp(jstr0(q, "name"), name);
			dup_path |= !strcmp(jstr0(q, "devicePath"), dp);
		}
		if (!*name)
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s[%d].name", path, i), NULL, NULL);
		if (dup_name)
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[%d].name", path, i), name, "must be unique");
		if (v >= 0 && !vols->claim[v])
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[%d].name", path, i), name,
					     "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode");
		if (v < 0)
			field_errors_add_str(errs, FE_NOT_FOUND, validate_path(f, "%s[%d].name", path, i), name, NULL);
		if (!*dp)
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s[%d].devicePath", path, i), NULL, NULL);
		if (dup_path)
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[%d].devicePath", path, i), dp, "must be unique");
		if (list_has(mounts, "name", name, NULL))
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[%d].name", path, i), name,
					     "must not already exist in volumeMounts");
		if (list_has(mounts, "mountPath", dp, NULL))
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[%d].devicePath", path, i), dp,
					     "must not already exist as a path in volumeMounts");
		i++;
	}
}

static int is_native(const char *name)
{
	return !strchr(name, '/') || strstr(name, "kubernetes.io/");
}

static int is_hugepages(const char *name)
{
	return starts_with(name, "hugepages-");
}

/* validateResourceName + validateContainerResourceName */
static void container_resource_name(const char *name, const char *path, struct field_errors *errs)
{
	static const char *const standard[] = { "cpu", "memory", "ephemeral-storage", "requests.cpu",
						"requests.memory", "requests.ephemeral-storage", "limits.cpu",
						"limits.memory", "limits.ephemeral-storage", "pods", "services",
						"replicationcontrollers", "resourcequotas", "secrets", "configmaps",
						"persistentvolumeclaims", "requests.storage", "services.nodeports",
						"services.loadbalancers", NULL };
	static const char *const container[] = { "cpu", "memory", "ephemeral-storage", NULL };
	size_t before = errs->n;
	validate_each(errs, path, name, validate_qualified_name);
	if (errs->n != before)
		return;
	if (!strchr(name, '/')) {
		if (!validate_one_of(name, standard) && !is_hugepages(name) && !starts_with(name, "requests.hugepages-"))
			field_errors_add_str(errs, FE_INVALID, path, name, "must be a standard resource type or fully qualified");
		if (!validate_one_of(name, container) && !is_hugepages(name))
			field_errors_add_str(errs, FE_INVALID, path, name, "must be a standard resource for containers");
	} else if (!is_native(name)) {
		char *req = xasprintf("requests.%s", name);
		if (starts_with(name, "requests.") || validate_qualified_name(req, NULL) < 0)
			field_errors_add_str(errs, FE_INVALID, path, name, "doesn't follow extended resource name standard");
		free(req);
	}
}

/* Parses and checks one quantity of a resource list; returns 0 with *q, or -1. */
static int resource_quantity(const char *name, const cJSON *v, const char *path, struct quantity *q,
			     struct field_errors *errs)
{
	const char *err;
	struct buf s = BUF_INIT;
	if (quantity_from_json(v, q, &err) < 0) {
		field_errors_add(errs, FE_INVALID, path, v, "%s", err);
		return -1;
	}
	quantity_format(q, &s);
	if (quantity_sign(q) < 0)
		field_errors_add_str(errs, FE_INVALID, path, buf_str(&s), "must be greater than or equal to 0");
	if (!is_native(name) && !quantity_is_integer(q))
		field_errors_add_str(errs, FE_INVALID, path, buf_str(&s), "must be an integer");
	buf_release(&s);
	return 0;
}

/* Compares one request with its limit (requests <= limits; equal for extended resources). */
static void request_vs_limit(const char *name, const struct quantity *req, const cJSON *limits, const char *path,
			     struct field_errors *errs)
{
	char f[VPATH_MAX];
	struct quantity lim;
	const char *err;
	const cJSON *l = jget(limits, name);
	int overcommit = is_native(name) && !is_hugepages(name);
	struct buf rs = BUF_INIT, ls = BUF_INIT;
	if (!l) {
		if (!overcommit)
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.limits", path), NULL,
					 "Limit must be set for non overcommitable resources");
		return;
	}
	if (quantity_from_json(l, &lim, &err) < 0)
		return;
	quantity_format(req, &rs);
	quantity_format(&lim, &ls);
	validate_path(f, "%s.requests", path);
	if (!overcommit && quantity_cmp(req, &lim) != 0)
		field_errors_add_str(errs, FE_INVALID, f, buf_str(&rs), "must be equal to %s limit of %s", name, buf_str(&ls));
	else if (quantity_cmp(req, &lim) > 0)
		field_errors_add_str(errs, FE_INVALID, f, buf_str(&rs), "must be less than or equal to %s limit of %s", name,
				     buf_str(&ls));
	buf_release(&rs);
	buf_release(&ls);
}

void validate_resources(const cJSON *res, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *limits = json_obj(res, "limits"), *requests = json_obj(res, "requests"), *v;
	int cpu_mem = 0, huge = 0;
	struct quantity q;
	cJSON_ArrayForEach(v, limits) {
		validate_path(f, "%s.limits[%s]", path, v->string);
		container_resource_name(v->string, f, errs);
		resource_quantity(v->string, v, f, &q, errs);
		huge |= is_hugepages(v->string);
		cpu_mem |= !strcmp(v->string, "cpu") || !strcmp(v->string, "memory");
	}
	cJSON_ArrayForEach(v, requests) {
		validate_path(f, "%s.requests[%s]", path, v->string);
		container_resource_name(v->string, f, errs);
		if (resource_quantity(v->string, v, f, &q, errs) == 0)
			request_vs_limit(v->string, &q, limits, path, errs);
		huge |= is_hugepages(v->string);
		cpu_mem |= !strcmp(v->string, "cpu") || !strcmp(v->string, "memory");
	}
	if (huge && !cpu_mem)
		field_errors_add(errs, FE_FORBIDDEN, path, NULL, "HugePages require cpu or memory");
}

/* ---- probes and handlers -------------------------------------------------------------------- */

static void http_header_names(const cJSON *g, const char *path, struct field_errors *errs)
{
	const cJSON *h;
	cJSON_ArrayForEach(h, jget(g, "httpHeaders")) {
		const char *n = jstr0(h, "name");
		int ok = *n != '\0';
		for (const char *p = n; *p && ok; p++)
			ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-';
		if (!ok)
			field_errors_add_str(errs, FE_INVALID, path, n,
					     "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
					     "'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')");
	}
}

static void handler_one(const char *kind, const cJSON *h, const cJSON *grace, const char *path,
			struct field_errors *errs)
{
	static const char *const schemes[] = { "HTTP", "HTTPS", NULL };
	char f[VPATH_MAX];
	if (!strcmp(kind, "exec")) {
		if (!jarr(h, "command"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.command", path), NULL, NULL);
	} else if (!strcmp(kind, "httpGet")) {
		if (!*jstr0(h, "path"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.path", path), NULL, NULL);
		validate_port_num_or_name(errs, validate_path(f, "%s.port", path), jget(h, "port"));
		if (!validate_one_of(jstr0(h, "scheme"), schemes))
			validate_not_supported_str(errs, validate_path(f, "%s.scheme", path), jstr0(h, "scheme"), schemes);
		http_header_names(h, validate_path(f, "%s.httpHeaders", path), errs);
	} else if (!strcmp(kind, "tcpSocket") || !strcmp(kind, "grpc")) {
		validate_port_num_or_name(errs, validate_path(f, "%s.port", path), jget(h, "port"));
	} else {
		int64_t s = 0, g = jnum(grace);
		jint(h, "seconds", &s);
		if ((grace && s <= 0) || (grace && s > g))
			field_errors_add(errs, FE_INVALID, path, jget(h, "seconds"),
					 "must be greater than 0 and less than terminationGracePeriodSeconds (%lld)",
					 (long long)g);
	}
}

/* validateHandler over the handler kinds allowed (NULL-ended). */
static void handler(const cJSON *h, const char *const *kinds, const cJSON *grace, const char *path,
		    struct field_errors *errs)
{
	char f[VPATH_MAX];
	int n = 0;
	for (size_t i = 0; kinds[i]; i++) {
		const cJSON *one = jget(h, kinds[i]);
		if (!one)
			continue;
		validate_path(f, "%s.%s", path, kinds[i]);
		if (n++)
			field_errors_add(errs, FE_FORBIDDEN, f, NULL, "may not specify more than 1 handler type");
		else
			handler_one(kinds[i], one, grace, f, errs);
	}
	if (!n)
		field_errors_add(errs, FE_REQUIRED, path, NULL, "must specify a handler type");
}

enum probe_kind { PROBE_LIVENESS, PROBE_READINESS, PROBE_STARTUP };

static void probe(const cJSON *p, enum probe_kind kind, const cJSON *grace, const char *path,
		  struct field_errors *errs)
{
	static const char *const kinds[] = { "exec", "httpGet", "tcpSocket", "grpc", NULL };
	static const char *const nonneg[] = { "initialDelaySeconds", "timeoutSeconds", "periodSeconds",
					      "successThreshold", "failureThreshold" };
	char f[VPATH_MAX];
	const cJSON *tg = jget(p, "terminationGracePeriodSeconds");
	int64_t st = 0;
	if (!p)
		return;
	handler(p, kinds, grace, path, errs);
	for (size_t i = 0; i < ARRAY_SIZE(nonneg); i++)
		validate_nonneg(errs, validate_path(f, "%s.%s", path, nonneg[i]), p, nonneg[i]);
	if (tg && (!cJSON_IsNumber(tg) || tg->valuedouble <= 0))
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.terminationGracePeriodSeconds", path), tg,
				 "must be greater than 0");
	jint(p, "successThreshold", &st);
	if (kind != PROBE_READINESS && st != 1)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.successThreshold", path),
				 jget(p, "successThreshold"), "must be 1");
	if (kind == PROBE_READINESS && tg)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.terminationGracePeriodSeconds", path), tg,
				 "must not be set for readinessProbes");
}

static void lifecycle(const cJSON *lc, const cJSON *grace, const char *path, struct field_errors *errs)
{
	static const char *const kinds[] = { "exec", "httpGet", "tcpSocket", "sleep", NULL };
	char f[VPATH_MAX];
	if (jget(lc, "postStart"))
		handler(jget(lc, "postStart"), kinds, grace, validate_path(f, "%s.postStart", path), errs);
	if (jget(lc, "preStop"))
		handler(jget(lc, "preStop"), kinds, grace, validate_path(f, "%s.preStop", path), errs);
}

/* ---- containers ----------------------------------------------------------------------------- */

static void security_context(const cJSON *sc, int host_users, const char *path, struct field_errors *errs)
{
	static const char *const proc[] = { "Default", "Unmasked", NULL };
	char f[VPATH_MAX];
	const cJSON *pm = jget(sc, "procMount");
	if (!sc)
		return;
	id_range(errs, validate_path(f, "%s.runAsUser", path), jget(sc, "runAsUser"));
	id_range(errs, validate_path(f, "%s.runAsGroup", path), jget(sc, "runAsGroup"));
	if (pm && !validate_one_of(jstr(sc, "procMount"), proc))
		validate_not_supported(errs, validate_path(f, "%s.procMount", path), pm, proc);
	if (pm && host_users && !strcmp(jstr0(sc, "procMount"), "Unmasked"))
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.procMount", path), pm,
				 "`hostUsers` must be false to use `Unmasked`");
	if (cJSON_IsFalse(jget(sc, "allowPrivilegeEscalation")) && jtrue(sc, "privileged"))
		field_errors_add(errs, FE_INVALID, path, sc, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
}

static void pull_policy(const cJSON *c, const char *path, struct field_errors *errs)
{
	static const char *const policies[] = { "Always", "IfNotPresent", "Never", NULL };
	char f[VPATH_MAX];
	const char *p = jstr0(c, "imagePullPolicy");
	if (!*p)
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.imagePullPolicy", path), NULL, NULL);
	else if (!validate_one_of(p, policies))
		validate_not_supported_str(errs, validate_path(f, "%s.imagePullPolicy", path), p, policies);
}

/* validateContainerCommon */
static void container_common(const cJSON *c, const struct pod_ctx *ctx, const char *path)
{
	static const char *const policies[] = { "File", "FallbackToLogsOnError", NULL };
	char f[VPATH_MAX];
	struct field_errors *errs = ctx->errs;
	const char *tmp = jstr0(c, "terminationMessagePolicy");
	required_name(errs, validate_path(f, "%s.name", path), jstr0(c, "name"), validate_dns1123_label);
	if (!*jstr0(c, "image"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.image", path), NULL, NULL);
	if (!*tmp)
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.terminationMessagePolicy", path), NULL, NULL);
	else if (!validate_one_of(tmp, policies))
		validate_not_supported_str(errs, validate_path(f, "%s.terminationMessagePolicy", path), tmp, policies);
	container_ports(jget(c, "ports"), validate_path(f, "%s.ports", path), errs);
	env(jget(c, "env"), validate_path(f, "%s.env", path), errs);
	env_from(jget(c, "envFrom"), validate_path(f, "%s.envFrom", path), errs);
	volume_mounts(c, ctx->vols, validate_path(f, "%s.volumeMounts", path), errs);
	volume_devices(c, ctx->vols, validate_path(f, "%s.volumeDevices", path), errs);
	pull_policy(c, path, errs);
	validate_resources(jget(c, "resources"), validate_path(f, "%s.resources", path), errs);
	security_context(jget(c, "securityContext"), ctx->host_users, validate_path(f, "%s.securityContext", path), errs);
}

/* AccumulateUniqueHostPorts over containers[from..to) of list (to NULL: the end). */
static void host_port_conflicts(const cJSON *from, const cJSON *to, const char *path, int first_index,
				struct field_errors *errs)
{
	struct buf seen = BUF_INIT;
	char f[VPATH_MAX], key[128];
	int ci = first_index;
	for (const cJSON *c = from; c && c != to; c = c->next, ci++) {
		const cJSON *p;
		int pi = 0;
		cJSON_ArrayForEach(p, jget(c, "ports")) {
			int64_t hp = 0;
			jint(p, "hostPort", &hp);
			snprintf(key, sizeof(key), "%s/%s/%lld", jstr0(p, "protocol"), jstr0(p, "hostIP"), (long long)hp);
			if (hp) {
				char *needle = xasprintf("\n%s\n", key);
				if (strstr(buf_str(&seen), needle))
					field_errors_add_str(errs, FE_DUPLICATE,
							     validate_path(f, "%s[%d].ports[%d].hostPort", path, ci, pi), key, NULL);
				else
					buf_addf(&seen, "%s%s\n", seen.len ? "" : "\n", key);
				free(needle);
			}
			pi++;
		}
	}
	buf_release(&seen);
}

static void containers(const cJSON *list, const struct pod_ctx *ctx, const char *path)
{
	char f[VPATH_MAX], cp[VPATH_MAX];
	const cJSON *c;
	int i = 0;
	if (!jarr(ctx->spec, "containers")) {
		field_errors_add(ctx->errs, FE_REQUIRED, path, NULL, NULL);
		return;
	}
	cJSON_ArrayForEach(c, list) {
		validate_path(cp, "%s[%d]", path, i++);
		container_common(c, ctx, cp);
		for (const cJSON *q = list->child; q != c; q = q->next)
			if (!strcmp(jstr0(q, "name"), jstr0(c, "name"))) {
				field_errors_add_str(ctx->errs, FE_DUPLICATE, validate_path(f, "%s.name", cp), jstr0(c, "name"), NULL);
				break;
			}
		if (jget(c, "lifecycle"))
			lifecycle(jget(c, "lifecycle"), ctx->grace, validate_path(f, "%s.lifecycle", cp), ctx->errs);
		probe(jget(c, "livenessProbe"), PROBE_LIVENESS, ctx->grace, validate_path(f, "%s.livenessProbe", cp), ctx->errs);
		probe(jget(c, "readinessProbe"), PROBE_READINESS, ctx->grace, validate_path(f, "%s.readinessProbe", cp), ctx->errs);
		probe(jget(c, "startupProbe"), PROBE_STARTUP, ctx->grace, validate_path(f, "%s.startupProbe", cp), ctx->errs);
		if (jget(c, "restartPolicy"))
			field_errors_add(ctx->errs, FE_FORBIDDEN, validate_path(f, "%s.restartPolicy", cp), NULL,
					 "may not be set for non-init containers");
	}
	host_port_conflicts(list->child, NULL, path, 0, ctx->errs);
}

static void init_forbidden(const cJSON *c, const char *cp, struct field_errors *errs)
{
	static const char *const fields[] = { "lifecycle", "livenessProbe", "readinessProbe", "startupProbe" };
	char f[VPATH_MAX];
	for (size_t k = 0; k < ARRAY_SIZE(fields); k++)
		if (jget(c, fields[k]))
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.%s", cp, fields[k]), NULL,
					 "may not be set for init containers without restartPolicy=Always");
}

static void init_containers(const cJSON *list, const struct pod_ctx *ctx, const char *path)
{
	static const char *const always[] = { "Always", NULL };
	char f[VPATH_MAX], cp[VPATH_MAX];
	const cJSON *c, *regular = jget(ctx->spec, "containers");
	int i = 0;
	cJSON_ArrayForEach(c, list) {
		const char *name = jstr0(c, "name");
		const cJSON *rp = jget(c, "restartPolicy");
		int restartable = rp && !strcmp(jstr0(c, "restartPolicy"), "Always"), dup = list_has(regular, "name", name, NULL);
		validate_path(cp, "%s[%d]", path, i);
		container_common(c, ctx, cp);
		if (rp && !restartable)
			validate_not_supported(ctx->errs, validate_path(f, "%s.restartPolicy", cp), rp, always);
		for (const cJSON *q = list->child; q != c && !dup; q = q->next)
			dup = *jstr0(q, "name") && !strcmp(jstr0(q, "name"), name);
		if (dup)
			field_errors_add_str(ctx->errs, FE_DUPLICATE, validate_path(f, "%s.name", cp), name, NULL);
		host_port_conflicts(c, c->next, path, i, ctx->errs);
		if (restartable) {
			if (jget(c, "lifecycle"))
				lifecycle(jget(c, "lifecycle"), ctx->grace, validate_path(f, "%s.lifecycle", cp), ctx->errs);
			probe(jget(c, "livenessProbe"), PROBE_LIVENESS, ctx->grace, validate_path(f, "%s.livenessProbe", cp), ctx->errs);
			probe(jget(c, "readinessProbe"), PROBE_READINESS, ctx->grace, validate_path(f, "%s.readinessProbe", cp), ctx->errs);
			probe(jget(c, "startupProbe"), PROBE_STARTUP, ctx->grace, validate_path(f, "%s.startupProbe", cp), ctx->errs);
		} else {
			init_forbidden(c, cp, ctx->errs);
		}
		if (jarr(c, "resizePolicy"))
			field_errors_add(ctx->errs, FE_INVALID, validate_path(f, "%s.resizePolicy", cp), jget(c, "resizePolicy"),
					 "must not be set for init containers");
		i++;
	}
}

/* ---- scheduling ------------------------------------------------------------------------------ */

/* Go's %#v of a core.Toleration. */
static void go_toleration(struct buf *out, const cJSON *t)
{
	static const char *const fields[][2] = { { "key", "Key" }, { "operator", "Operator" }, { "value", "Value" },
						 { "effect", "Effect" } };
	int64_t secs;
	buf_adds(out, "core.Toleration{");
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		buf_addf(out, "%s%s:", i ? ", " : "", fields[i][1]);
		field_quote(out, jstr0(t, fields[i][0]));
	}
	if (jint(t, "tolerationSeconds", &secs) > 0)
		buf_adds(out, ", TolerationSeconds:(*int64)(...)}");
	else
		buf_adds(out, ", TolerationSeconds:(*int64)(nil)}");
}

void validate_tolerations(const cJSON *tols, const char *path, struct field_errors *errs)
{
	static const char *const ops[] = { "Equal", "Exists", NULL };
	static const char *const effects[] = { "NoSchedule", "PreferNoSchedule", "NoExecute", NULL };
	char f[VPATH_MAX];
	const cJSON *t;
	int i = 0;
	cJSON_ArrayForEach(t, tols) {
		const char *key = jstr0(t, "key"), *op = jstr0(t, "operator"), *eff = jstr0(t, "effect");
		struct buf why = BUF_INIT;
		if (*key)
			validate_each(errs, validate_path(f, "%s[%d].key", path, i), key, validate_qualified_name);
		validate_path(f, "%s[%d].operator", path, i);
		if (!*key && strcmp(op, "Exists"))
			field_errors_add_str(errs, FE_INVALID, f, op, "operator must be Exists when `key` is empty, which "
								  "means \"match all values and all keys\"");
		if (jget(t, "tolerationSeconds") && strcmp(eff, "NoExecute"))
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[%d].effect", path, i), eff,
					     "effect must be 'NoExecute' when `tolerationSeconds` is set");
		validate_path(f, "%s[%d].operator", path, i);
		if (!*op || !strcmp(op, "Equal")) {
			if (validate_label_value(jstr0(t, "value"), &why) < 0) {
				char *joined = xstrdup(buf_str(&why));
				for (char *p = strstr(joined, "; "); p; p = strstr(p, "; "))
					memmove(p + 1, p + 2, strlen(p + 2) + 1);
				field_errors_add_str(errs, FE_INVALID, f, jstr0(t, "value"), "%s", joined);
				free(joined);
			}
		} else if (!strcmp(op, "Exists")) {
			if (*jstr0(t, "value")) {
				struct buf go = BUF_INIT;
				go_toleration(&go, t);
				field_errors_add_raw(errs, FE_INVALID, f, buf_str(&go), "value must be empty when `operator` is 'Exists'");
				buf_release(&go);
			}
		} else {
			validate_not_supported_str(errs, f, op, ops);
		}
		if (*eff && !validate_one_of(eff, effects))
			validate_not_supported_str(errs, validate_path(f, "%s[%d].effect", path, i), eff, effects);
		buf_release(&why);
		i++;
	}
}

static void node_selector_requirement(const cJSON *rq, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const char *op = jstr0(rq, "operator");
	int n = cJSON_GetArraySize(jget(rq, "values"));
	validate_path(f, "%s.values", path);
	if (!strcmp(op, "In") || !strcmp(op, "NotIn")) {
		if (!n)
			field_errors_add(errs, FE_REQUIRED, f, NULL, "must be specified when `operator` is 'In' or 'NotIn'");
	} else if (!strcmp(op, "Exists") || !strcmp(op, "DoesNotExist")) {
		if (n)
			field_errors_add(errs, FE_FORBIDDEN, f, NULL,
					 "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
	} else if (!strcmp(op, "Gt") || !strcmp(op, "Lt")) {
		if (n != 1)
			field_errors_add(errs, FE_REQUIRED, f, NULL,
					 "must be specified single value when `operator` is 'Lt' or 'Gt'");
	} else {
		field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s.operator", path), op, "not a valid selector operator");
	}
	validate_each(errs, validate_path(f, "%s.key", path), jstr0(rq, "key"), validate_qualified_name);
}

static void node_selector_term(const cJSON *term, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *rq;
	int i = 0;
	cJSON_ArrayForEach(rq, jget(term, "matchExpressions"))
		node_selector_requirement(rq, validate_path(f, "%s.matchExpressions[%d]", path, i++), errs);
	i = 0;
	cJSON_ArrayForEach(rq, jget(term, "matchFields")) {
		const char *op = jstr0(rq, "operator");
		validate_path(f, "%s.matchFields[%d]", path, i++);
		char sub[VPATH_MAX];
		if (strcmp(op, "In") && strcmp(op, "NotIn"))
			field_errors_add_str(errs, FE_INVALID, validate_path(sub, "%s.operator", f), op, "not a valid selector operator");
		else if (cJSON_GetArraySize(jget(rq, "values")) != 1)
			field_errors_add(errs, FE_REQUIRED, validate_path(sub, "%s.values", f), NULL,
					 "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
		if (strcmp(jstr0(rq, "key"), "metadata.name"))
			field_errors_add_str(errs, FE_INVALID, validate_path(sub, "%s.key", f), jstr0(rq, "key"),
					     "not a valid field selector key");
	}
}

static void node_affinity(const cJSON *na, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *req = jget(na, "requiredDuringSchedulingIgnoredDuringExecution"), *t;
	int i = 0;
	if (req) {
		if (!jarr(req, "nodeSelectorTerms"))
			field_errors_add(errs, FE_REQUIRED,
					 validate_path(f, "%s.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", path),
					 NULL, "must have at least one node selector term");
		cJSON_ArrayForEach(t, jget(req, "nodeSelectorTerms"))
			node_selector_term(t, validate_path(f, "%s.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[%d]",
							    path, i++), errs);
	}
	i = 0;
	cJSON_ArrayForEach(t, jget(na, "preferredDuringSchedulingIgnoredDuringExecution")) {
		int64_t w = 0;
		jint(t, "weight", &w);
		if (w <= 0 || w > 100)
			field_errors_add(errs, FE_INVALID,
					 validate_path(f, "%s.preferredDuringSchedulingIgnoredDuringExecution[%d].weight", path, i),
					 jget(t, "weight"), "must be in the range 1-100");
		node_selector_term(jget(t, "preference"),
				   validate_path(f, "%s.preferredDuringSchedulingIgnoredDuringExecution[%d].preference", path, i),
				   errs);
		i++;
	}
}

static void pod_affinity_term(const cJSON *t, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *ns;
	validate_label_selector(jget(t, "labelSelector"), validate_path(f, "%s.labelSelector", path), errs);
	validate_label_selector(jget(t, "namespaceSelector"), validate_path(f, "%s.namespaceSelector", path), errs);
	cJSON_ArrayForEach(ns, jget(t, "namespaces"))
		validate_each(errs, validate_path(f, "%s.namespace", path), cJSON_IsString(ns) ? ns->valuestring : "",
			      validate_dns1123_label);
	validate_path(f, "%s.topologyKey", path);
	if (!*jstr0(t, "topologyKey"))
		field_errors_add(errs, FE_REQUIRED, f, NULL, "can not be empty");
	validate_each(errs, f, jstr0(t, "topologyKey"), validate_qualified_name);
}

static void pod_affinity(const cJSON *a, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *t;
	int i = 0;
	cJSON_ArrayForEach(t, jget(a, "requiredDuringSchedulingIgnoredDuringExecution"))
		pod_affinity_term(t, validate_path(f, "%s.requiredDuringSchedulingIgnoredDuringExecution[%d]", path, i++), errs);
	i = 0;
	cJSON_ArrayForEach(t, jget(a, "preferredDuringSchedulingIgnoredDuringExecution")) {
		int64_t w = 0;
		jint(t, "weight", &w);
		if (w <= 0 || w > 100)
			field_errors_add(errs, FE_INVALID,
					 validate_path(f, "%s.preferredDuringSchedulingIgnoredDuringExecution[%d].weight", path, i),
					 jget(t, "weight"), "must be in the range 1-100");
		pod_affinity_term(jget(t, "podAffinityTerm"),
				  validate_path(f, "%s.preferredDuringSchedulingIgnoredDuringExecution[%d].podAffinityTerm", path, i),
				  errs);
		i++;
	}
}

static void affinity(const cJSON *a, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	if (jget(a, "nodeAffinity"))
		node_affinity(jget(a, "nodeAffinity"), validate_path(f, "%s.nodeAffinity", path), errs);
	if (jget(a, "podAffinity"))
		pod_affinity(jget(a, "podAffinity"), validate_path(f, "%s.podAffinity", path), errs);
	if (jget(a, "podAntiAffinity"))
		pod_affinity(jget(a, "podAntiAffinity"), validate_path(f, "%s.podAntiAffinity", path), errs);
}

static void topology_spread(const cJSON *list, const char *path, struct field_errors *errs)
{
	static const char *const actions[] = { "DoNotSchedule", "ScheduleAnyway", NULL };
	static const char *const policies[] = { "Honor", "Ignore", NULL };
	char f[VPATH_MAX];
	const cJSON *c, *q;
	int i = 0;
	cJSON_ArrayForEach(c, list) {
		int64_t skew = 0;
		const char *tk = jstr0(c, "topologyKey"), *wu = jstr0(c, "whenUnsatisfiable");
		jint(c, "maxSkew", &skew);
		if (skew <= 0 && jget(c, "maxSkew"))
			field_errors_add(errs, FE_INVALID, validate_path(f, "%s[%d].maxSkew", path, i), jget(c, "maxSkew"),
					 "must be greater than zero");
		else if (skew <= 0)
			field_errors_add_raw(errs, FE_INVALID, validate_path(f, "%s[%d].maxSkew", path, i), "0",
					     "must be greater than zero");
		if (!*tk)
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s[%d].topologyKey", path, i), NULL, "can not be empty");
		if (!validate_one_of(wu, actions))
			validate_not_supported_str(errs, validate_path(f, "%s[%d].whenUnsatisfiable", path, i), wu, actions);
		for (q = c->next; q; q = q->next)
			if (!strcmp(jstr0(q, "topologyKey"), tk) && !strcmp(jstr0(q, "whenUnsatisfiable"), wu)) {
				char *dup = xasprintf("{%s, %s}", tk, wu);
				field_errors_add_str(errs, FE_DUPLICATE,
						     validate_path(f, "%s[%d].{topologyKey, whenUnsatisfiable}", path, i), dup, NULL);
				free(dup);
				break;
			}
		if (jget(c, "nodeAffinityPolicy") && !validate_one_of(jstr(c, "nodeAffinityPolicy"), policies))
			validate_not_supported(errs, validate_path(f, "%s[%d].nodeAffinityPolicy", path, i), jget(c, "nodeAffinityPolicy"), policies);
		if (jget(c, "nodeTaintsPolicy") && !validate_one_of(jstr(c, "nodeTaintsPolicy"), policies))
			validate_not_supported(errs, validate_path(f, "%s[%d].nodeTaintsPolicy", path, i), jget(c, "nodeTaintsPolicy"), policies);
		validate_label_selector(jget(c, "labelSelector"), validate_path(f, "%s[%d].labelSelector", path, i), errs);
		i++;
	}
}

static void dns_config(const cJSON *spec, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *cfg = jget(spec, "dnsConfig"), *v;
	int i = 0;
	size_t total = 0;
	if (!strcmp(jstr0(spec, "dnsPolicy"), "None")) {
		if (!cfg) {
			field_errors_add(errs, FE_REQUIRED, path, NULL, "must provide `dnsConfig` when `dnsPolicy` is None");
			return;
		}
		if (!jarr(cfg, "nameservers")) {
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.nameservers", path), NULL,
					 "must provide at least one DNS nameserver when `dnsPolicy` is None");
			return;
		}
	}
	if (cJSON_GetArraySize(jget(cfg, "nameservers")) > 3)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.nameservers", path), jget(cfg, "nameservers"),
				 "must not have more than 3 nameservers");
	cJSON_ArrayForEach(v, jget(cfg, "nameservers"))
		validate_ip(errs, validate_path(f, "%s.nameservers[%d]", path, i++), cJSON_IsString(v) ? v->valuestring : "");
	if (cJSON_GetArraySize(jget(cfg, "searches")) > 32)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.searches", path), jget(cfg, "searches"),
				 "must not have more than 32 search paths");
	i = 0;
	cJSON_ArrayForEach(v, jget(cfg, "searches")) {
		const char *s = cJSON_IsString(v) ? v->valuestring : "";
		char *trimmed = xstrdup(s);
		size_t n = strlen(trimmed);
		total += n + (i ? 1 : 0);
		if (n && trimmed[n - 1] == '.')
			trimmed[n - 1] = '\0';
		validate_each(errs, validate_path(f, "%s.searches[%d]", path, i++), trimmed, validate_dns1123_subdomain);
		free(trimmed);
	}
	if (total > 2048)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.searches", path), jget(cfg, "searches"),
				 "must not have more than 2048 characters (including spaces) in the search list");
	i = 0;
	cJSON_ArrayForEach(v, jget(cfg, "options"))
		if (!*jstr0(v, "name"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.options[%d]", path, i++), NULL, "must not be empty");
}

/* ---- the pod spec ---------------------------------------------------------------------------- */

static void pod_security_context(const cJSON *sc, const char *path, struct field_errors *errs)
{
	static const char *const fsg[] = { "Always", "OnRootMismatch", NULL };
	char f[VPATH_MAX];
	const cJSON *g, *s;
	int i = 0;
	id_range(errs, validate_path(f, "%s.fsGroup", path), jget(sc, "fsGroup"));
	id_range(errs, validate_path(f, "%s.runAsUser", path), jget(sc, "runAsUser"));
	id_range(errs, validate_path(f, "%s.runAsGroup", path), jget(sc, "runAsGroup"));
	cJSON_ArrayForEach(g, jget(sc, "supplementalGroups"))
		id_range(errs, validate_path(f, "%s.supplementalGroups[%d]", path, i++), g);
	i = 0;
	cJSON_ArrayForEach(s, jget(sc, "sysctls")) {
		if (!*jstr0(s, "name"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.sysctls[%d].name", path, i), NULL, NULL);
		i++;
	}
	if (jget(sc, "fsGroupChangePolicy") && !validate_one_of(jstr(sc, "fsGroupChangePolicy"), fsg))
		validate_not_supported(errs, validate_path(f, "%s.fsGroupChangePolicy", path), jget(sc, "fsGroupChangePolicy"), fsg);
}

/* Policies and names of the pod spec's scalar fields. */
static void spec_scalars(const cJSON *spec, const char *path, struct field_errors *errs)
{
	static const char *const restart[] = { "Always", "OnFailure", "Never", NULL };
	static const char *const dns[] = { "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None", NULL };
	static const char *const preempt[] = { "PreemptLowerPriority", "Never", NULL };
	char f[VPATH_MAX];
	const char *rp = jstr0(spec, "restartPolicy"), *dp = jstr0(spec, "dnsPolicy");
	const cJSON *ads = jget(spec, "activeDeadlineSeconds");
	validate_path(f, "%s.restartPolicy", path);
	if (!*rp)
		field_errors_add(errs, FE_REQUIRED, f, NULL, NULL);
	else if (!validate_one_of(rp, restart))
		validate_not_supported_str(errs, f, rp, restart);
	validate_path(f, "%s.dnsPolicy", path);
	if (!*dp)
		field_errors_add(errs, FE_REQUIRED, f, NULL, NULL);
	else if (!validate_one_of(dp, dns))
		validate_not_supported_str(errs, f, dp, dns);
	validate_labels(jget(spec, "nodeSelector"), validate_path(f, "%s.nodeSelector", path), errs);
	if (*jstr0(spec, "serviceAccountName"))
		validate_each(errs, validate_path(f, "%s.serviceAccountName", path), jstr(spec, "serviceAccountName"),
			      validate_dns1123_subdomain);
	if (*jstr0(spec, "nodeName"))
		validate_each(errs, validate_path(f, "%s.nodeName", path), jstr(spec, "nodeName"), validate_dns1123_subdomain);
	if (ads && (!cJSON_IsNumber(ads) || ads->valuedouble < 1 || ads->valuedouble > 2147483647))
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.activeDeadlineSeconds", path), ads,
				 "must be between 1 and 2147483647, inclusive");
	if (*jstr0(spec, "hostname"))
		validate_each(errs, validate_path(f, "%s.hostname", path), jstr(spec, "hostname"), validate_dns1123_label);
	if (*jstr0(spec, "subdomain"))
		validate_each(errs, validate_path(f, "%s.subdomain", path), jstr(spec, "subdomain"), validate_dns1123_label);
	if (*jstr0(spec, "priorityClassName"))
		validate_each(errs, validate_path(f, "%s.priorityClassName", path), jstr(spec, "priorityClassName"),
			      validate_dns1123_subdomain);
	if (jget(spec, "runtimeClassName"))
		validate_each(errs, validate_path(f, "%s.runtimeClassName", path), jstr0(spec, "runtimeClassName"),
			      validate_dns1123_subdomain);
	if (jget(spec, "preemptionPolicy") && !validate_one_of(jstr(spec, "preemptionPolicy"), preempt))
		validate_not_supported(errs, validate_path(f, "%s.preemptionPolicy", path), jget(spec, "preemptionPolicy"), preempt);
}

/* The lists of the pod spec other than containers and volumes. */
static void spec_lists(const cJSON *spec, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *v;
	int i = 0;
	cJSON_ArrayForEach(v, jget(spec, "imagePullSecrets")) {
		const cJSON *m;
		int extra = 0;
		cJSON_ArrayForEach(m, v)
			extra |= !m->string || strcmp(m->string, "name") != 0;
		if (extra)
			field_errors_add(errs, FE_INVALID, validate_path(f, "%s.imagePullSecrets[%d]", path, i), v, "only name may be set");
		i++;
	}
	i = 0;
	cJSON_ArrayForEach(v, jget(spec, "readinessGates"))
		validate_each(errs, validate_path(f, "%s.readinessGates[%d].conditionType", path, i++),
			      jstr0(v, "conditionType"), validate_qualified_name);
	i = 0;
	cJSON_ArrayForEach(v, jget(spec, "schedulingGates")) {
		const cJSON *q = jget(spec, "schedulingGates")->child;
		validate_each(errs, validate_path(f, "%s.schedulingGates[%d]", path, i), jstr0(v, "name"), validate_qualified_name);
		while (q != v && strcmp(jstr0(q, "name"), jstr0(v, "name")))
			q = q->next;
		if (q != v)
			field_errors_add_str(errs, FE_DUPLICATE, f, jstr0(v, "name"), NULL);
		i++;
	}
	if (jarr(spec, "tolerations"))
		validate_tolerations(jget(spec, "tolerations"), validate_path(f, "%s.tolerations", path), errs);
	i = 0;
	cJSON_ArrayForEach(v, jget(spec, "hostAliases")) {
		const cJSON *h;
		int j = 0;
		validate_ip(errs, validate_path(f, "%s.hostAliases[%d].ip", path, i), jstr0(v, "ip"));
		cJSON_ArrayForEach(h, jget(v, "hostnames"))
			validate_each(errs, validate_path(f, "%s.hostAliases[%d].hostnames[%d]", path, i, j++),
				      cJSON_IsString(h) ? h->valuestring : "", validate_dns1123_subdomain);
		i++;
	}
}

/* validatePodHostNetworkDeps */
static void host_network(const cJSON *spec, const char *path, unsigned opts, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *c, *p;
	int ci = 0;
	if (!jtrue(spec, "hostNetwork"))
		return;
	cJSON_ArrayForEach(c, jget(spec, "containers")) {
		int pi = 0;
		cJSON_ArrayForEach(p, jget(c, "ports")) {
			int64_t hp = 0, cp = 0;
			jint(p, "hostPort", &hp);
			jint(p, "containerPort", &cp);
			if (((opts & POD_IS_POD) || hp != 0) && hp != cp)
				field_errors_add(errs, FE_INVALID,
						 validate_path(f, "%s.containers[%d].ports[%d].hostPort", path, ci, pi),
						 jget(p, "hostPort") ? jget(p, "hostPort") : NULL,
						 "must match `containerPort` when `hostNetwork` is true");
			pi++;
		}
		ci++;
	}
}

static void overhead_and_os(const cJSON *spec, const char *path, struct field_errors *errs)
{
	static const char *const os[] = { "linux", "windows", NULL };
	char f[VPATH_MAX];
	const cJSON *o = jget(spec, "os"), *v;
	cJSON_ArrayForEach(v, json_obj(spec, "overhead")) {
		struct quantity q;
		validate_path(f, "%s.overhead.limits[%s]", path, v->string);
		container_resource_name(v->string, f, errs);
		resource_quantity(v->string, v, f, &q, errs);
	}
	if (!o)
		return;
	if (!*jstr0(o, "name"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.os.name", path), NULL, "cannot be empty");
	else if (!validate_one_of(jstr(o, "name"), os))
		validate_not_supported(errs, validate_path(f, "%s.os", path), jget(o, "name"), os);
}

void validate_pod_spec(const cJSON *spec, const cJSON *meta, const char *path, unsigned opts,
		       struct field_errors *errs)
{
	char f[VPATH_MAX];
	struct vols vols = { NULL, NULL, 0 };
	const cJSON *grace = cJSON_IsObject(spec) ? cJSON_GetObjectItemCaseSensitive(spec, "terminationGracePeriodSeconds") : NULL;
	struct pod_ctx ctx = { spec, &vols, cJSON_IsNumber(grace) ? grace : NULL,
			       !cJSON_IsFalse(jget(jget(spec, "securityContext"), "hostUsers")), errs };
	UNUSED(meta);
	if (!grace || cJSON_IsNull(grace))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.terminationGracePeriodSeconds", path), NULL, NULL);
	volumes(jget(spec, "volumes"), validate_path(f, "%s.volumes", path), &vols, errs);
	containers(jget(spec, "containers"), &ctx, validate_path(f, "%s.containers", path));
	init_containers(jget(spec, "initContainers"), &ctx, validate_path(f, "%s.initContainers", path));
	host_network(spec, path, opts, errs);
	spec_scalars(spec, path, errs);
	if (jget(spec, "securityContext"))
		pod_security_context(jget(spec, "securityContext"), validate_path(f, "%s.securityContext", path), errs);
	spec_lists(spec, path, errs);
	if (jget(spec, "affinity"))
		affinity(jget(spec, "affinity"), validate_path(f, "%s.affinity", path), errs);
	dns_config(spec, validate_path(f, "%s.dnsConfig", path), errs);
	topology_spread(jget(spec, "topologySpreadConstraints"), validate_path(f, "%s.topologySpreadConstraints", path), errs);
	overhead_and_os(spec, path, errs);
	free(vols.names);
	free(vols.claim);
}

/* ---- annotations and templates --------------------------------------------------------------- */

void validate_pod_annotations(const cJSON *ann, const cJSON *spec, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const char *mirror = jstr(ann, "kubernetes.io/config.mirror"), *cost = jstr(ann, "controller.kubernetes.io/pod-deletion-cost");
	if (mirror && !*jstr0(spec, "nodeName"))
		field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[kubernetes.io/config.mirror]", path), mirror,
				     "must set spec.nodeName if mirror pod annotation is set");
	if (cost) {
		int64_t v;
		int first_ok = cost[0] == '-' || !strcmp(cost, "0") || (cost[0] >= '1' && cost[0] <= '9');
		if (!first_ok || parse_int64(cost, INT32_MIN, INT32_MAX, &v) < 0)
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s[controller.kubernetes.io/pod-deletion-cost]", path),
					     cost, "must be a 32bit integer");
	}
}

void validate_pod_template(const cJSON *tmpl, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *meta = jget(tmpl, "metadata"), *spec = jget(tmpl, "spec");
	validate_labels(jget(meta, "labels"), validate_path(f, "%s.labels", path), errs);
	validate_annotations(jget(meta, "annotations"), validate_path(f, "%s.annotations", path), errs);
	validate_pod_annotations(jget(meta, "annotations"), spec, validate_path(f, "%s.annotations", path), errs);
	validate_pod_spec(spec, NULL, validate_path(f, "%s.spec", path), 0, errs);
	if (jarr(spec, "ephemeralContainers"))
		field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.spec.ephemeralContainers", path), NULL,
				 "ephemeral containers not allowed in pod template");
}
