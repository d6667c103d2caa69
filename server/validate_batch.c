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
 * message prints each once. Schedules and time zones are checked with cron.c's parser and zone
 * loader, the ones the cronjob controller schedules with.
 */
#include "server/cron.h"
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

/* ---- cron schedules (parsed by cron.c, shared with the cronjob controller) ------------------- */

/* Does time.LoadLocation know name? */
static int known_zone(const char *name)
{
	struct cron_tz *tz;
	if (cron_tz_load(name, &tz, NULL) < 0)
		return 0;
	cron_tz_free(tz);
	return 1;
}

int validate_cron_schedule(const char *schedule, struct buf *why)
{
	struct cron_sched s;
	if (cron_parse(schedule, &s, why) < 0)
		return -1;
	cron_sched_release(&s);
	return 0;
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
