/*
 * validate_batch.c - upstream's validation of batch/v1 Jobs and CronJobs (v1.33
 * pkg/apis/batch/validation and the job strategy's update rules), with a parser for cron
 * schedules that accepts and rejects what robfig/cron v3's ParseStandard does, with its
 * messages.
 *
 * DESIGN
 * A Job's spec checks are shared with a CronJob's job template (job_spec), as upstream's
 * validateJobSpec is. On update upstream runs the full spec validation twice (once from
 * ValidateJob, once from ValidateJobSpecUpdate); the duplicates are kept, as the aggregate
 * message prints each once. Schedules are parsed field by field into nothing more than a
 * verdict: standard five-field specs, the @yearly family and @every <duration>, with an
 * optional TZ=/CRON_TZ= prefix whose zone must exist under /usr/share/zoneinfo.
 */
#include "server/kinds.h"
#include "server/selector.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- cron schedules ------------------------------------------------------------------------ */

struct cron_bounds {
	unsigned min, max;
	const char *const *names; /* lowercase, names[i] is min + i */
};

static const char *const month_names[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
					   "nov", "dec", NULL };
static const char *const dow_names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };

/* strconv.Atoi and robfig's mustParseInt. */
static int must_parse_int(const char *s, unsigned *out, struct buf *why)
{
	char *end;
	const char *digits = (*s == '+' || *s == '-') ? s + 1 : s;
	errno = 0;
	long long v = *digits >= '0' && *digits <= '9' ? strtoll(s, &end, 10) : 0;
	if (!(*digits >= '0' && *digits <= '9') || *end) {
		buf_addf(why, "failed to parse int from %s: strconv.Atoi: parsing ", s);
		field_quote(why, s);
		buf_adds(why, ": invalid syntax");
		return -1;
	}
	if (errno == ERANGE) {
		buf_addf(why, "failed to parse int from %s: strconv.Atoi: parsing ", s);
		field_quote(why, s);
		buf_adds(why, ": value out of range");
		return -1;
	}
	if (v < 0) {
		buf_addf(why, "negative number (%lld) not allowed: %s", v, s);
		return -1;
	}
	*out = v > UINT_MAX ? UINT_MAX : (unsigned)v;
	return 0;
}

static int int_or_name(const char *s, const struct cron_bounds *b, unsigned *out, struct buf *why)
{
	for (size_t i = 0; b->names && b->names[i]; i++)
		if (!strcasecmp(s, b->names[i])) {
			*out = b->min + (unsigned)i;
			return 0;
		}
	return must_parse_int(s, out, why);
}

/* Splits s at sep into at most max parts (in place); returns the count (max + 1 if more). */
static int split(char *s, char sep, char **parts, int max)
{
	int n = 0;
	for (;;) {
		char *p = strchr(s, sep);
		if (n < max)
			parts[n] = s;
		n++;
		if (!p || n > max)
			return n;
		*p = '\0';
		s = p + 1;
	}
}

/* getRange for one comma-separated expression. */
static int cron_range(const char *expr, const struct cron_bounds *b, struct buf *why)
{
	char *copy = xstrdup(expr), *rs[2], *lh[2];
	unsigned start, end, step = 1;
	int rc = -1, nrs = split(copy, '/', rs, 2), nlh;
	if (nrs > 2) {
		buf_addf(why, "too many slashes: %s", expr);
		goto out;
	}
	nlh = split(rs[0], '-', lh, 2);
	if (!strcmp(lh[0], "*") || !strcmp(lh[0], "?")) {
		start = b->min;
		end = b->max;
	} else {
		if (int_or_name(lh[0], b, &start, why) < 0)
			goto out;
		if (nlh > 2) {
			buf_addf(why, "too many hyphens: %s", expr);
			goto out;
		}
		if (nlh == 2 ? int_or_name(lh[1], b, &end, why) < 0 : (end = start, 0))
			goto out;
	}
	if (nrs == 2) {
		if (must_parse_int(rs[1], &step, why) < 0)
			goto out;
		if (nlh == 1)
			end = b->max;
	}
	if (start < b->min)
		buf_addf(why, "beginning of range (%u) below minimum (%u): %s", start, b->min, expr);
	else if (end > b->max)
		buf_addf(why, "end of range (%u) above maximum (%u): %s", end, b->max, expr);
	else if (start > end)
		buf_addf(why, "beginning of range (%u) beyond end of range (%u): %s", start, end, expr);
	else if (step == 0)
		buf_addf(why, "step of range should be a positive number: %s", expr);
	else
		rc = 0;
out:
	free(copy);
	return rc;
}

static int cron_field(const char *field, const struct cron_bounds *b, struct buf *why)
{
	char *copy = xstrdup(field), *save = NULL, *tok;
	int rc = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save))
		rc = cron_range(tok, b, why);
	free(copy);
	return rc;
}

/* Go's time.ParseDuration, for @every. Returns 0 or -1 with the message. */
static int parse_duration(const char *s, struct buf *why)
{
	static const char *const units[] = { "ns", "us", "\xc2\xb5s", "\xce\xbcs", "ms", "s", "m", "h", NULL };
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!strcmp(p, "0"))
		return 0;
	if (!*p)
		goto invalid;
	while (*p) {
		const char *num = p, *u;
		while (*p >= '0' && *p <= '9')
			p++;
		int pre = p != num, post = 0;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				post = 1;
		if (!pre && !post)
			goto invalid;
		for (u = p; *p && *p != '.' && !(*p >= '0' && *p <= '9'); p++)
			;
		if (u == p) {
			buf_adds(why, "time: missing unit in duration ");
			field_quote(why, s);
			return -1;
		}
		char *unit = xstrndup(u, (size_t)(p - u));
		int known = validate_one_of(unit, units);
		if (!known) {
			buf_adds(why, "time: unknown unit ");
			field_quote(why, unit);
			buf_adds(why, " in duration ");
			field_quote(why, s);
		}
		free(unit);
		if (!known)
			return -1;
	}
	return 0;
invalid:
	buf_adds(why, "time: invalid duration ");
	field_quote(why, s);
	return -1;
}

/* Does time.LoadLocation know name? */
static int known_zone(const char *name)
{
	char *path;
	int ok;
	if (!*name || !strcmp(name, "UTC") || !strcmp(name, "Local"))
		return 1;
	if (strstr(name, "..") || name[0] == '/')
		return 0;
	path = xasprintf("/usr/share/zoneinfo/%s", name);
	ok = access(path, R_OK) == 0;
	free(path);
	return ok;
}

static int cron_descriptor(const char *spec, struct buf *why)
{
	static const char *const named[] = { "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight",
					     "@hourly", NULL };
	if (validate_one_of(spec, named))
		return 0;
	if (starts_with(spec, "@every ")) {
		struct buf err = BUF_INIT;
		int rc = parse_duration(spec + 7, &err);
		if (rc < 0)
			buf_addf(why, "failed to parse duration %s: %s", spec, buf_str(&err));
		buf_release(&err);
		return rc;
	}
	buf_addf(why, "unrecognized descriptor: %s", spec);
	return -1;
}

/* Splits spec on whitespace (strings.Fields) into fields (at most max kept); returns the count. */
static int fields_of(char *spec, char **fields, int max)
{
	int n = 0;
	for (char *save = NULL, *t = strtok_r(spec, " \t\n\r\v\f", &save); t; t = strtok_r(NULL, " \t\n\r\v\f", &save)) {
		if (n < max)
			fields[n] = t;
		n++;
	}
	return n;
}

int validate_cron_schedule(const char *schedule, struct buf *why)
{
	static const struct cron_bounds bounds[] = { { 0, 59, NULL }, { 0, 23, NULL }, { 1, 31, NULL },
						     { 1, 12, month_names }, { 0, 6, dow_names } };
	char *copy = xstrdup(schedule), *spec = copy, *fields[5];
	int rc = -1, n;
	if (!*spec) {
		buf_adds(why, "empty spec string");
		goto out;
	}
	if (starts_with(spec, "TZ=") || starts_with(spec, "CRON_TZ=")) {
		char *sp = strchr(spec, ' '), *eq = strchr(spec, '=');
		char *zone = xstrndup(eq + 1, sp ? (size_t)(sp - eq - 1) : strlen(eq + 1));
		int ok = sp && known_zone(zone);
		if (!ok)
			buf_addf(why, "provided bad location %s: unknown time zone %s", zone, zone);
		free(zone);
		if (!ok)
			goto out;
		for (spec = sp; *spec == ' ' || *spec == '\t'; spec++)
			;
	}
	if (*spec == '@') {
		rc = cron_descriptor(spec, why);
		goto out;
	}
	char *tmp = xstrdup(spec);
	n = fields_of(tmp, fields, 5);
	if (n != 5) {
		char *all = xstrdup(spec), *f[64];
		int m = fields_of(all, f, 64);
		buf_addf(why, "expected exactly 5 fields, found %d: [", n);
		for (int i = 0; i < m && i < 64; i++)
			buf_addf(why, "%s%s", i ? " " : "", f[i]);
		buf_addch(why, ']');
		free(all);
	} else {
		rc = 0;
		for (int i = 0; i < 5 && !rc; i++)
			rc = cron_field(fields[i], &bounds[i], why);
	}
	free(tmp);
out:
	free(copy);
	return rc;
}

/* ---- jobs ---------------------------------------------------------------------------------- */

/* ValidateHasLabel on the template's metadata. */
static void has_label(const cJSON *tmeta, const char *key, const char *want, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *labels = jget(tmeta, "labels");
	const char *have = jstr(labels, key);
	validate_path(f, "spec.template.metadata.labels[%s]", key);
	if (!have) {
		field_errors_add(errs, FE_REQUIRED, f, NULL, "must be '%s'", want);
	} else if (strcmp(have, want)) {
		struct buf go = BUF_INIT;
		validate_go_string_map(&go, labels);
		field_errors_add_raw(errs, FE_INVALID, f, buf_str(&go), "must be '%s'", want);
		buf_release(&go);
	}
}

/* validateGeneratedSelector */
static void generated_selector(const cJSON *obj, int prefixed, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec"), *sel = jget(spec, "selector");
	const cJSON *tmeta = json_getv(spec, "template", "metadata", NULL);
	const char *uid = json_strv(obj, "metadata", "uid", NULL), *name = json_strv(obj, "metadata", "name", NULL);
	cJSON *expected = cJSON_CreateObject();
	struct selector s;
	uid = uid ? uid : "";
	name = name ? name : "";
	if (jtrue(spec, "manualSelector") || !sel)
		goto out;
	if (!*uid)
		field_errors_add(errs, FE_REQUIRED, "metadata.uid", NULL, NULL);
	has_label(tmeta, "controller-uid", uid, errs);
	has_label(tmeta, "job-name", name, errs);
	if (prefixed) {
		has_label(tmeta, "batch.kubernetes.io/controller-uid", uid, errs);
		has_label(tmeta, "batch.kubernetes.io/job-name", name, errs);
	}
	json_set_str(expected, prefixed ? "batch.kubernetes.io/controller-uid" : "controller-uid", uid);
	json_set_str(expected, prefixed ? "batch.kubernetes.io/job-name" : "job-name", name);
	if (selector_from_json(sel, &s, NULL) == 0 && !selector_matches(&s, sel_lookup_json, expected)) {
		struct buf go = BUF_INIT;
		validate_go_selector(&go, sel);
		field_errors_add_raw(errs, FE_INVALID, "spec.selector", buf_str(&go), "`selector` not auto-generated");
		buf_release(&go);
	}
	selector_release(&s);
out:
	cJSON_Delete(expected);
}

static void pod_replacement_policy(const cJSON *spec, const char *path, struct field_errors *errs)
{
	static const char *const failed[] = { "Failed", NULL };
	static const char *const all[] = { "Failed", "TerminatingOrFailed", NULL };
	const cJSON *p = jget(spec, "podReplacementPolicy");
	char f[VPATH_MAX];
	if (!p)
		return;
	validate_path(f, "%s.podReplacementPolicy", path);
	if (jget(spec, "podFailurePolicy") && strcmp(jstr0(spec, "podReplacementPolicy"), "Failed"))
		validate_not_supported(errs, f, p, failed);
	else if (!jget(spec, "podFailurePolicy") && !validate_one_of(jstr(spec, "podReplacementPolicy"), all))
		validate_not_supported(errs, f, p, all);
}

static void completion_mode(const cJSON *spec, const char *path, struct field_errors *errs)
{
	static const char *const modes[] = { "NonIndexed", "Indexed", NULL };
	char f[VPATH_MAX];
	const cJSON *m = jget(spec, "completionMode");
	int64_t par = 0;
	if (jget(spec, "backoffLimitPerIndex")) {
		validate_nonneg(errs, validate_path(f, "%s.backoffLimitPerIndex", path), spec, "backoffLimitPerIndex");
		if (strcmp(jstr0(spec, "completionMode"), "Indexed"))
			field_errors_add(errs, FE_INVALID, f, jget(spec, "backoffLimitPerIndex"), "requires indexed completion mode");
	}
	if (!m)
		return;
	if (!validate_one_of(jstr(spec, "completionMode"), modes))
		validate_not_supported(errs, validate_path(f, "%s.completionMode", path), m, modes);
	if (strcmp(jstr0(spec, "completionMode"), "Indexed"))
		return;
	if (!jget(spec, "completions"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.completions", path), NULL,
				 "when completion mode is Indexed");
	if (jint(spec, "parallelism", &par) > 0 && par > 100000)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.parallelism", path), jget(spec, "parallelism"),
				 "must be less than or equal to 100000 when completion mode is Indexed");
}

/* validateJobSpec: the part shared with a CronJob's job template. */
static void job_spec(const cJSON *spec, const char *path, struct field_errors *errs)
{
	static const char *const restart[] = { "OnFailure", "Never", NULL };
	static const char *const counters[] = { "parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
						"ttlSecondsAfterFinished" };
	char f[VPATH_MAX], tp[VPATH_MAX];
	const char *rp = json_strv(spec, "template", "spec", "restartPolicy", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(counters); i++)
		if (jget(spec, counters[i]))
			validate_nonneg(errs, validate_path(f, "%s.%s", path, counters[i]), spec, counters[i]);
	completion_mode(spec, path, errs);
	pod_replacement_policy(spec, path, errs);
	validate_pod_template(jget(spec, "template"), validate_path(tp, "%s.template", path), errs);
	validate_path(f, "%s.template.spec.restartPolicy", path);
	rp = rp ? rp : "";
	if (!*rp || !strcmp(rp, "Always"))
		field_errors_add(errs, FE_REQUIRED, f, NULL, "valid values: \"OnFailure\", \"Never\"");
	else if (!validate_one_of(rp, restart))
		validate_not_supported_str(errs, f, rp, restart);
	else if (jget(spec, "podFailurePolicy") && strcmp(rp, "Never"))
		field_errors_add_str(errs, FE_INVALID, f, rp, "only \"Never\" is supported when podFailurePolicy is specified");
}

/* ValidateJobSpec: validateJobSpec plus the selector. */
static void job_spec_with_selector(const cJSON *spec, struct field_errors *errs)
{
	const cJSON *sel = jget(spec, "selector");
	struct selector s;
	job_spec(spec, "spec", errs);
	if (!sel)
		field_errors_add(errs, FE_REQUIRED, "spec.selector", NULL, NULL);
	else
		validate_label_selector(sel, "spec.selector", errs);
	if (selector_from_json(sel, &s, NULL) == 0 && !(!s.nothing && !s.nreqs) &&
	    !selector_matches(&s, sel_lookup_json, json_getv(spec, "template", "metadata", "labels", NULL))) {
		struct buf go = BUF_INIT;
		validate_go_string_map(&go, json_getv(spec, "template", "metadata", "labels", NULL));
		field_errors_add_raw(errs, FE_INVALID, "spec.template.metadata.labels", buf_str(&go),
				     "`selector` does not match template `labels`");
		buf_release(&go);
	}
	selector_release(&s);
}

/* ValidateJob (create-time rules, run on updates too). */
static void job(const cJSON *obj, int prefixed, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec");
	const char *name = json_strv(obj, "metadata", "name", NULL);
	int64_t completions = 0;
	generated_selector(obj, prefixed, errs);
	job_spec_with_selector(spec, errs);
	if (!strcmp(jstr0(spec, "completionMode"), "Indexed") && jint(spec, "completions", &completions) > 0 &&
	    completions > 0 && name) {
		char *host = xasprintf("%s-%lld", name, (long long)(completions - 1));
		if (validate_dns1123_label(host, NULL) < 0)
			field_errors_add_str(errs, FE_INVALID, "metadata.name", name,
					     "will not able to create pod with invalid DNS label: %s", host);
		free(host);
	}
}

/* The template may change only while a suspended job has not started, and then only in its
 * scheduling directives, labels and annotations (AllowMutableSchedulingDirectives). */
static void template_update(const cJSON *spec, const cJSON *ospec, const cJSON *old, struct field_errors *errs)
{
	static const char *const sched[] = { "nodeSelector", "tolerations", "schedulingGates", "affinity" };
	const cJSON *t = jget(spec, "template");
	cJSON *o = cJSON_Duplicate(jget(ospec, "template"), 1);
	if (jtrue(ospec, "suspend") && !json_getv(old, "status", "startTime", NULL) && o) {
		cJSON *ometa = json_obj(o, "metadata"), *os = json_obj(o, "spec");
		const cJSON *tmeta = jget(t, "metadata"), *ts = jget(t, "spec");
		for (size_t i = 0; i < ARRAY_SIZE(sched); i++) {
			json_del(os, sched[i]);
			if (jget(ts, sched[i]))
				json_set(os, sched[i], cJSON_Duplicate(jget(ts, sched[i]), 1));
		}
		json_del(ometa, "labels");
		json_del(ometa, "annotations");
		if (jget(tmeta, "labels"))
			json_set(ometa, "labels", cJSON_Duplicate(jget(tmeta, "labels"), 1));
		if (jget(tmeta, "annotations"))
			json_set(ometa, "annotations", cJSON_Duplicate(jget(tmeta, "annotations"), 1));
	}
	if (!validate_sem_equal(t, o))
		validate_immutable(errs, "spec.template", t, o);
	cJSON_Delete(o);
}

/* ValidateJobSpecUpdate's immutability rules. */
static void job_update(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const fixed[] = { "completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy",
					     "successPolicy" };
	char f[VPATH_MAX];
	const cJSON *spec = jget(obj, "spec"), *ospec = jget(old, "spec");
	const cJSON *c = jget(spec, "completions");
	job_spec_with_selector(spec, errs);
	if (strcmp(jstr0(spec, "completionMode"), "Indexed")) {
		validate_immutable(errs, "spec.completions", c, jget(ospec, "completions"));
	} else if (c && !validate_same(c, jget(ospec, "completions")) && !validate_same(c, jget(spec, "parallelism"))) {
		field_errors_add(errs, FE_INVALID, "spec.completions", c, "can only be modified in tandem with spec.parallelism");
	}
	if (!validate_sem_equal(jget(spec, "selector"), jget(ospec, "selector"))) {
		struct buf go = BUF_INIT;
		validate_go_selector(&go, jget(spec, "selector"));
		validate_immutable_raw(errs, "spec.selector", jget(spec, "selector") ? buf_str(&go) : "\"null\"");
		buf_release(&go);
	}
	template_update(spec, ospec, old, errs);
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		if (!validate_sem_equal(jget(spec, fixed[i]), jget(ospec, fixed[i])))
			validate_immutable(errs, validate_path(f, "spec.%s", fixed[i]), jget(spec, fixed[i]), jget(ospec, fixed[i]));
}

void validate_job(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	int prefixed = !old || json_getv(old, "spec", "template", "metadata", "labels", "batch.kubernetes.io/controller-uid", NULL);
	job(obj, prefixed, errs);
	if (old)
		job_update(obj, old, errs);
}

void validate_job_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const counters[] = { "active", "succeeded", "failed", "ready", "terminating" };
	char f[VPATH_MAX];
	const cJSON *st = jget(obj, "status");
	UNUSED(old);
	for (size_t i = 0; i < ARRAY_SIZE(counters); i++)
		if (jget(st, counters[i]))
			validate_nonneg(errs, validate_path(f, "status.%s", counters[i]), st, counters[i]);
}

/* ---- cron jobs ------------------------------------------------------------------------------- */

static void schedule(const cJSON *spec, const cJSON *ospec, struct field_errors *errs)
{
	const char *s = jstr0(spec, "schedule");
	struct buf why = BUF_INIT;
	if (!*s) {
		field_errors_add(errs, FE_REQUIRED, "spec.schedule", NULL, NULL);
		return;
	}
	if (validate_cron_schedule(s, &why) < 0)
		field_errors_add_str(errs, FE_INVALID, "spec.schedule", s, "%s", buf_str(&why));
	buf_release(&why);
	if (strstr(s, "TZ")) {
		if (jget(spec, "timeZone"))
			field_errors_add_str(errs, FE_INVALID, "spec.schedule", s,
					     "cannot use both timeZone field and TZ or CRON_TZ in schedule");
		else if (!(ospec && strstr(jstr0(ospec, "schedule"), "TZ")))
			field_errors_add_str(errs, FE_INVALID, "spec.schedule", s,
					     "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
	}
}

/* validateTimeZone */
static void time_zone(const cJSON *tz, struct field_errors *errs)
{
	const char *s = cJSON_IsString(tz) ? tz->valuestring : "";
	char *copy, *save = NULL, *part;
	int bad = 0;
	if (!tz)
		return;
	if (!*s) {
		field_errors_add(errs, FE_INVALID, "spec.timeZone", tz, "timeZone must be nil or non-empty string");
		return;
	}
	copy = xstrdup(s);
	for (part = strtok_r(copy, "/", &save); part && !bad; part = strtok_r(NULL, "/", &save)) {
		size_t n = strlen(part);
		bad = !strcmp(part, ".") || !strcmp(part, "..") || part[0] == '-' || n > 14;
		for (size_t i = 0; i < n && !bad; i++)
			bad = !(strchr(".-_+", part[i]) || (part[i] >= 'a' && part[i] <= 'z') ||
				(part[i] >= 'A' && part[i] <= 'Z') || (part[i] >= '0' && part[i] <= '9'));
	}
	free(copy);
	if (bad || strstr(s, "//") || s[strlen(s) - 1] == '/' || s[0] == '/') {
		field_errors_add(errs, FE_INVALID, "spec.timeZone", tz, "unknown time zone %s", s);
		return;
	}
	if (!strcasecmp(s, "Local"))
		field_errors_add(errs, FE_INVALID, "spec.timeZone", tz,
				 "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
	else if (!known_zone(s))
		field_errors_add(errs, FE_INVALID, "spec.timeZone", tz, "unknown time zone %s", s);
}

static void job_template(const cJSON *jt, struct field_errors *errs)
{
	static const char *const manual[] = { "nil", "false", NULL };
	const cJSON *spec = jget(jt, "spec");
	job_spec(spec, "spec.jobTemplate.spec", errs);
	if (jget(spec, "selector")) {
		struct buf go = BUF_INIT;
		validate_go_selector(&go, jget(spec, "selector"));
		field_errors_add_raw(errs, FE_INVALID, "spec.jobTemplate.spec.selector", buf_str(&go),
				     "`selector` will be auto-generated");
		buf_release(&go);
	}
	if (jtrue(spec, "manualSelector"))
		validate_not_supported(errs, "spec.jobTemplate.spec.manualSelector", jget(spec, "manualSelector"), manual);
}

void validate_cronjob(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const policies[] = { "Allow", "Forbid", "Replace", NULL };
	const cJSON *spec = jget(obj, "spec"), *ospec = old ? jget(old, "spec") : NULL;
	const char *cp = jstr0(spec, "concurrencyPolicy"), *name = json_strv(obj, "metadata", "name", NULL);
	schedule(spec, ospec, errs);
	if (jget(spec, "startingDeadlineSeconds"))
		validate_nonneg(errs, "spec.startingDeadlineSeconds", spec, "startingDeadlineSeconds");
	if (!old || !validate_same(jget(spec, "timeZone"), jget(ospec, "timeZone")))
		time_zone(jget(spec, "timeZone"), errs);
	if (!*cp)
		field_errors_add(errs, FE_REQUIRED, "spec.concurrencyPolicy", NULL, NULL);
	else if (!validate_one_of(cp, policies))
		validate_not_supported_str(errs, "spec.concurrencyPolicy", cp, policies);
	job_template(jget(spec, "jobTemplate"), errs);
	if (jget(spec, "successfulJobsHistoryLimit"))
		validate_nonneg(errs, "spec.successfulJobsHistoryLimit", spec, "successfulJobsHistoryLimit");
	if (jget(spec, "failedJobsHistoryLimit"))
		validate_nonneg(errs, "spec.failedJobsHistoryLimit", spec, "failedJobsHistoryLimit");
	if (!old && name && strlen(name) > 52)
		field_errors_add_str(errs, FE_INVALID, "metadata.name", name, "must be no more than 52 characters");
}
