/*
 * cron.h - CronJob schedules: parsing as robfig/cron v3's ParseStandard does (the parser
 * upstream's API validation and cronjob controller both use), the next activation after a
 * time in a time zone from the system tz database, and the cronjob controller's counting of
 * missed schedules.
 *
 * Times are nanoseconds since the Unix epoch (UTC). CRON_ZERO stands for Go's zero Time, which
 * robfig returns when no activation exists within five years (e.g. "0 0 30 2 *").
 *
 * Time zones are read from TZif files by this module (transitions plus the POSIX TZ footer for
 * times after the last transition), never through the C library's global TZ, so any thread may
 * use them and the process's own time zone never changes.
 */
#ifndef KUBE_CRON_H
#define KUBE_CRON_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define CRON_ZERO INT64_MIN
#define CRON_NS 1000000000LL

/* ---- time zones --------------------------------------------------------------------------- */

/* A loaded time zone: immutable once loaded. */
struct cron_tz;

/* Loads a zone as Go's time.LoadLocation(name) does: "" and "UTC" are UTC, "Local" is this
 * process's zone ($TZ, else /etc/localtime, else UTC), any other name is read from
 * /usr/share/zoneinfo. Returns 0 and *out (free with cron_tz_free), or -1 with Go's message
 * ("unknown time zone X", "time: invalid location name") appended to err (may be NULL). */
int cron_tz_load(const char *name, struct cron_tz **out, struct buf *err);
/* Builds a zone from TZif data (for tests and cron_tz_load). Returns NULL if malformed. */
struct cron_tz *cron_tz_parse(const void *data, size_t len);
/* A zone with a fixed offset (seconds east of UTC) and no transitions. */
struct cron_tz *cron_tz_fixed(int32_t offset);
void cron_tz_free(struct cron_tz *tz);
/* The offset (seconds east of UTC) in effect at sec (seconds since the epoch) in tz. */
int32_t cron_tz_offset(const struct cron_tz *tz, int64_t sec);
/* Formats t (ns) as RFC 3339 in tz: "2006-01-02T15:04:05Z" or "...T15:04:05+01:00" (out[26]). */
void cron_format_rfc3339(const struct cron_tz *tz, int64_t t, char out[26]);

/* ---- schedules ---------------------------------------------------------------------------- */

/* A parsed schedule: robfig's SpecSchedule (bit i of a field set when value i matches; bit 63
 * set when the field was "*" or "?" with step 1) or ConstantDelaySchedule (every_ns > 0). */
struct cron_sched {
	uint64_t second, minute, hour, dom, month, dow;
	int64_t every_ns;
	struct cron_tz *tz; /* owned; from a TZ=/CRON_TZ= prefix, NULL for the caller's zone */
};

#define CRON_STAR (1ULL << 63)

/* Parses spec as robfig's ParseStandard: five fields (minute hour day-of-month month
 * day-of-week, with ranges, steps, lists, "*", "?", and month/weekday names), or @yearly,
 * @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <Go duration>, with an
 * optional TZ=zone or CRON_TZ=zone prefix. Returns 0 (release *out with cron_sched_release),
 * or -1 with robfig's message appended to why (may be NULL) and nothing to release. */
int cron_parse(const char *spec, struct cron_sched *out, struct buf *why);
void cron_sched_release(struct cron_sched *s);
/* robfig's Schedule.Next: the first activation strictly after t, computed in the schedule's
 * zone or, without one, in local. Returns CRON_ZERO when none exists within five years. */
int64_t cron_next(const struct cron_sched *s, const struct cron_tz *local, int64_t t);

/* ---- missed schedules (upstream's cronjob controller v2) ------------------------------- */

enum cron_missed { CRON_NONE_MISSED, CRON_FEW_MISSED, CRON_MANY_MISSED };

/* What the controller knows of a CronJob, in ns (deadline in seconds, -1 when unset). */
struct cron_job_times {
	int64_t created;       /* metadata.creationTimestamp */
	int64_t last_schedule; /* status.lastScheduleTime, CRON_ZERO when unset */
	int64_t deadline;      /* spec.startingDeadlineSeconds, -1 when unset */
};

/* Upstream's mostRecentScheduleTime: from the last schedule time (or the creation time, or
 * now - startingDeadlineSeconds when that is later and use_deadline is set), the most recent
 * activation not after now (*recent, CRON_ZERO when none) and how many were missed. *earliest
 * gets the time counted from. Returns 0, or -1 when two consecutive activations are less than a
 * second apart (a schedule that never fires, like "0 0 31 2 *"). */
int cron_most_recent(const struct cron_sched *s, const struct cron_tz *local, const struct cron_job_times *cj,
		     int64_t now, int use_deadline, int64_t *earliest, int64_t *recent, enum cron_missed *missed);
/* Upstream's nextScheduleTimeDuration: how long (ns, may be negative) until the sync after
 * the next activation (100 ms after it). */
int64_t cron_requeue_after(const struct cron_sched *s, const struct cron_tz *local, const struct cron_job_times *cj,
			   int64_t now);

#endif
