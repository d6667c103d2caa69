/*
 * test-cron.c - CronJob schedules (server/cron.c): parsing as robfig/cron's ParseStandard,
 * next activations in UTC and in time zones across DST changes (from the system tz database),
 * and the cronjob controller's missed-schedule counting.
 */
#include "test.h"

#include "lib/buf.h"
#include "lib/util.h"
#include "server/cron.h"

/* RFC 3339 to nanoseconds. */
static int64_t T(const char *s)
{
	int64_t sec = 0;
	if (parse_rfc3339(s, &sec) < 0) {
		fprintf(stderr, "bad time %s\n", s);
		abort();
	}
	return sec * CRON_NS;
}

static const char *fmt(int64_t t, char out[26])
{
	if (t == CRON_ZERO)
		return "zero";
	cron_format_rfc3339(NULL, t, out);
	return out;
}

/* Asserts that the activation of spec after `after` (in local, UTC when NULL) is `want`. */
#define EXPECT_NEXT(spec, local, after, want) \
	do { \
		struct cron_sched s_; \
		struct buf w_ = BUF_INIT; \
		char g_[26]; \
		if (cron_parse(spec, &s_, &w_) < 0) \
			FAIL("%s: %s", spec, buf_str(&w_)); \
		const char *got_ = fmt(cron_next(&s_, local, T(after)), g_); \
		cron_sched_release(&s_); \
		buf_release(&w_); \
		if (strcmp(got_, want)) \
			FAIL("%s after %s: %s, want %s", spec, after, got_, want); \
	} while (0)

static char *parse_err(const char *spec)
{
	struct buf why = BUF_INIT;
	struct cron_sched s;
	if (cron_parse(spec, &s, &why) == 0) {
		buf_adds(&why, "ok");
		cron_sched_release(&s);
	}
	return buf_detach(&why, NULL);
}

#define EXPECT_PARSE(spec, want) \
	do { \
		char *g_ = parse_err(spec); \
		int bad_ = strcmp(g_, want) != 0; \
		if (bad_) \
			fprintf(stderr, "  %s:%d: %s -> %s, want %s\n", __FILE__, __LINE__, spec, g_, want); \
		free(g_); \
		if (bad_) \
			return 1; \
	} while (0)

TEST_IMPL(cron_parse_fields)
{
	struct cron_sched s;
	ASSERT_EQ(cron_parse("*/15 0-6,18-23 1,15 jan-jun MON-FRI", &s, NULL), 0);
	ASSERT_EQ(s.second, 1);
	ASSERT_EQ(s.minute, (1ULL << 0) | (1ULL << 15) | (1ULL << 30) | (1ULL << 45));
	ASSERT_EQ(s.hour, 0x7fULL | (0x3fULL << 18));
	ASSERT_EQ(s.dom, (1ULL << 1) | (1ULL << 15));
	ASSERT_EQ(s.month, 0x7eULL);
	ASSERT_EQ(s.dow, 0x3eULL);
	cron_sched_release(&s);
	/* "*" keeps the star bit (day-of-month/day-of-week are then ANDed); "*" with a step > 1 drops it. */
	ASSERT_EQ(cron_parse("* */1 ? */2 *", &s, NULL), 0);
	ASSERT((s.minute & CRON_STAR) && (s.hour & CRON_STAR) && (s.dom & CRON_STAR) && !(s.month & CRON_STAR));
	ASSERT_EQ(s.month, 0xaaaULL);
	cron_sched_release(&s);
	/* "N/step" means "N-max/step". */
	ASSERT_EQ(cron_parse("50/5 * * * *", &s, NULL), 0);
	ASSERT_EQ(s.minute, (1ULL << 50) | (1ULL << 55));
	cron_sched_release(&s);
	ASSERT_EQ(cron_parse("@weekly", &s, NULL), 0);
	ASSERT(s.dow == 1 && (s.dom & CRON_STAR) && s.minute == 1 && s.hour == 1);
	cron_sched_release(&s);
	ASSERT_EQ(cron_parse("@every 1m30.5s", &s, NULL), 0);
	ASSERT_EQ(s.every_ns, 90 * CRON_NS);
	cron_sched_release(&s);
	ASSERT_EQ(cron_parse("@every 10ms", &s, NULL), 0);
	ASSERT_EQ(s.every_ns, CRON_NS); /* robfig: at least one second */
	cron_sched_release(&s);
	ASSERT_EQ(cron_parse("TZ=Europe/Berlin 0 3 * * *", &s, NULL), 0);
	ASSERT(s.tz != NULL);
	cron_sched_release(&s);
	return 0;
}

TEST_IMPL(cron_parse_errors)
{
	EXPECT_PARSE("", "empty spec string");
	EXPECT_PARSE("   ", "expected exactly 5 fields, found 0: []");
	EXPECT_PARSE("0 0 1 1", "expected exactly 5 fields, found 4: [0 0 1 1]");
	EXPECT_PARSE("100 * * * *", "end of range (100) above maximum (59): 100");
	EXPECT_PARSE("* * * * 7", "end of range (7) above maximum (6): 7");
	EXPECT_PARSE("x/2/3 * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax");
	EXPECT_PARSE("1/2/3 * * * *", "too many slashes: 1/2/3");
	EXPECT_PARSE("-5 * * * *", "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax");
	EXPECT_PARSE("99999999999999999999 * * * *",
		     "failed to parse int from 99999999999999999999: strconv.Atoi: parsing \"99999999999999999999\": "
		     "value out of range");
	EXPECT_PARSE("* * * JANUARY *",
		     "failed to parse int from JANUARY: strconv.Atoi: parsing \"JANUARY\": invalid syntax");
	EXPECT_PARSE("@every", "unrecognized descriptor: @every");
	EXPECT_PARSE("@every 1.h", "ok");
	EXPECT_PARSE("@every .s", "failed to parse duration @every .s: time: invalid duration \".s\"");
	EXPECT_PARSE("@every -5m", "ok");
	EXPECT_PARSE("@every 3000000h", "failed to parse duration @every 3000000h: time: invalid duration \"3000000h\"");
	EXPECT_PARSE("TZ=UTC", "provided bad location UTC: unknown time zone UTC");
	EXPECT_PARSE("TZ=../etc/passwd * * * * *", "provided bad location ../etc/passwd: time: invalid location name");
	EXPECT_PARSE("CRON_TZ=Asia/Tokyo  @daily ", "ok");
	return 0;
}

TEST_IMPL(cron_next_utc)
{
	EXPECT_NEXT("*/15 * * * *", NULL, "2025-01-01T00:00:00Z", "2025-01-01T00:15:00Z");
	EXPECT_NEXT("*/15 * * * *", NULL, "2025-01-01T00:14:59Z", "2025-01-01T00:15:00Z");
	EXPECT_NEXT("0 0 * * *", NULL, "2024-12-31T23:59:59Z", "2025-01-01T00:00:00Z");
	EXPECT_NEXT("@yearly", NULL, "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
	EXPECT_NEXT("@monthly", NULL, "2025-01-31T10:00:00Z", "2025-02-01T00:00:00Z");
	EXPECT_NEXT("@weekly", NULL, "2025-01-01T00:00:00Z", "2025-01-05T00:00:00Z"); /* a Sunday */
	EXPECT_NEXT("@hourly", NULL, "2025-01-01T05:00:00Z", "2025-01-01T06:00:00Z");
	/* Both day fields restricted: either matches (Friday 3rd, or the 13th). */
	EXPECT_NEXT("0 0 13 * FRI", NULL, "2025-01-01T00:00:00Z", "2025-01-03T00:00:00Z");
	EXPECT_NEXT("0 0 13 * FRI", NULL, "2025-01-10T00:00:00Z", "2025-01-13T00:00:00Z");
	/* One of them "*": both must match. */
	EXPECT_NEXT("0 0 * * FRI", NULL, "2025-01-10T00:00:00Z", "2025-01-17T00:00:00Z");
	EXPECT_NEXT("0 0 29 2 *", NULL, "2025-01-01T00:00:00Z", "2028-02-29T00:00:00Z");
	EXPECT_NEXT("0 0 31 4 *", NULL, "2025-01-01T00:00:00Z", "zero"); /* April has 30 days */
	EXPECT_NEXT("30 6-16/4 * * 1-5", NULL, "2025-01-03T15:00:00Z", "2025-01-06T06:30:00Z");
	EXPECT_NEXT("@every 90s", NULL, "2025-01-01T00:00:00Z", "2025-01-01T00:01:30Z");
	/* Fractions of a second: the next activation is strictly later. */
	{
		struct cron_sched s;
		ASSERT_EQ(cron_parse("* * * * *", &s, NULL), 0);
		ASSERT_EQ(cron_next(&s, NULL, T("2025-01-01T00:00:59Z") + 999999999), T("2025-01-01T00:01:00Z"));
		ASSERT_EQ(cron_next(&s, NULL, T("2025-01-01T00:01:00Z")), T("2025-01-01T00:02:00Z"));
		cron_sched_release(&s);
	}
	return 0;
}

static struct cron_tz *zone(const char *name)
{
	struct cron_tz *tz = NULL;
	struct buf err = BUF_INIT;
	if (cron_tz_load(name, &tz, &err) < 0) {
		fprintf(stderr, "cannot load %s: %s\n", name, buf_str(&err));
		abort();
	}
	buf_release(&err);
	return tz;
}

TEST_IMPL(cron_next_dst)
{
	struct cron_tz *ny = zone("America/New_York");
	/* 09:00 local is 14:00Z in winter and 13:00Z once DST has started (2025-03-09). */
	EXPECT_NEXT("0 9 * * *", ny, "2025-03-08T15:00:00Z", "2025-03-09T13:00:00Z");
	/* 02:30 does not exist on 2025-03-09: skipped, as robfig does. */
	EXPECT_NEXT("30 2 * * *", ny, "2025-03-08T08:00:00Z", "2025-03-10T06:30:00Z");
	/* 01:30 happens twice on 2025-11-02 (EDT, then EST): both fire. */
	EXPECT_NEXT("30 1 * * *", ny, "2025-11-02T05:00:00Z", "2025-11-02T05:30:00Z");
	EXPECT_NEXT("30 1 * * *", ny, "2025-11-02T05:30:00Z", "2025-11-02T06:30:00Z");
	EXPECT_NEXT("30 1 * * *", ny, "2025-11-02T06:30:00Z", "2025-11-03T06:30:00Z");
	/* The TZ= prefix wins over the caller's zone. */
	EXPECT_NEXT("TZ=Europe/Berlin 0 3 * * *", ny, "2025-07-01T00:00:00Z", "2025-07-01T01:00:00Z");
	EXPECT_NEXT("CRON_TZ=Asia/Kolkata 0 0 * * *", NULL, "2025-07-01T00:00:00Z", "2025-07-01T18:30:00Z");
	cron_tz_free(ny);
	return 0;
}

TEST_IMPL(cron_tz_rules)
{
	/* After the file's last transition, the POSIX TZ footer's rules apply (southern hemisphere
	 * too, where DST spans the new year). */
	struct cron_tz *ny = zone("America/New_York"), *syd = zone("Australia/Sydney"), *ber = zone("Europe/Berlin");
	ASSERT_EQ(cron_tz_offset(ny, T("2040-01-15T12:00:00Z") / CRON_NS), -5 * 3600);
	ASSERT_EQ(cron_tz_offset(ny, T("2040-07-15T12:00:00Z") / CRON_NS), -4 * 3600);
	ASSERT_EQ(cron_tz_offset(ny, T("2040-03-11T06:59:59Z") / CRON_NS), -5 * 3600);
	ASSERT_EQ(cron_tz_offset(ny, T("2040-03-11T07:00:00Z") / CRON_NS), -4 * 3600);
	ASSERT_EQ(cron_tz_offset(syd, T("2040-01-15T12:00:00Z") / CRON_NS), 11 * 3600);
	ASSERT_EQ(cron_tz_offset(syd, T("2040-07-15T12:00:00Z") / CRON_NS), 10 * 3600);
	EXPECT_NEXT("0 12 * * *", syd, "2040-01-14T12:00:00Z", "2040-01-15T01:00:00Z");
	EXPECT_NEXT("0 12 * * *", syd, "2040-07-14T12:00:00Z", "2040-07-15T02:00:00Z");
	EXPECT_NEXT("30 2 * * *", ny, "2040-03-10T12:00:00Z", "2040-03-12T06:30:00Z");
	/* Before the first transition: local mean time (Go's first zone). */
	ASSERT_EQ(cron_tz_offset(ber, -5000000000LL), 3208);
	char out[26];
	cron_format_rfc3339(ber, T("2025-07-01T10:00:00Z"), out);
	ASSERT_STR(out, "2025-07-01T12:00:00+02:00");
	cron_format_rfc3339(ny, T("2025-01-01T10:00:00Z"), out);
	ASSERT_STR(out, "2025-01-01T05:00:00-05:00");
	cron_tz_free(ny);
	cron_tz_free(syd);
	cron_tz_free(ber);
	return 0;
}

TEST_IMPL(cron_tz_load_errors)
{
	struct cron_tz *tz = (struct cron_tz *)1;
	struct buf err = BUF_INIT;
	ASSERT_EQ(cron_tz_load("", &tz, NULL), 0);
	ASSERT(tz == NULL); /* UTC */
	ASSERT_EQ(cron_tz_load("UTC", &tz, NULL), 0);
	ASSERT(tz == NULL);
	ASSERT_EQ(cron_tz_load("Nowhere/Land", &tz, &err), -1);
	ASSERT_STR(buf_str(&err), "unknown time zone Nowhere/Land");
	buf_reset(&err);
	ASSERT_EQ(cron_tz_load("../../etc/passwd", &tz, &err), -1);
	ASSERT_STR(buf_str(&err), "time: invalid location name");
	buf_reset(&err);
	ASSERT_EQ(cron_tz_load("America", &tz, &err), -1); /* a directory */
	buf_release(&err);
	ASSERT(cron_tz_parse("TZif", 4) == NULL);
	ASSERT(cron_tz_parse("not a zone file at all, not at all, really not at all", 53) == NULL);
	/* A truncated real file is refused, not read past its end. */
	char *data = NULL;
	size_t len = 0;
	ASSERT_EQ(read_file("/usr/share/zoneinfo/Europe/Paris", &data, &len), 0);
	ASSERT(cron_tz_parse(data, len / 2) == NULL);
	tz = cron_tz_parse(data, len);
	ASSERT(tz != NULL);
	cron_tz_free(tz);
	free(data);
	tz = cron_tz_fixed(3600);
	ASSERT_EQ(cron_tz_offset(tz, 0), 3600);
	cron_tz_free(tz);
	return 0;
}

/* cron_most_recent for spec, a CronJob created at `created` (last schedule `last`, "" for none,
 * startingDeadlineSeconds `deadline`, -1 for none) at `now`. */
static int most_recent(const char *spec, const char *created, const char *last, int64_t deadline, const char *now,
		       int use_deadline, int64_t *recent, enum cron_missed *missed)
{
	struct cron_sched s;
	struct cron_job_times cj = { T(created), *last ? T(last) : CRON_ZERO, deadline };
	int64_t earliest;
	if (cron_parse(spec, &s, NULL) < 0)
		return -2;
	int r = cron_most_recent(&s, NULL, &cj, T(now), use_deadline, &earliest, recent, missed);
	cron_sched_release(&s);
	return r;
}

TEST_IMPL(cron_missed)
{
	int64_t r;
	enum cron_missed m;
	ASSERT_EQ(most_recent("*/5 * * * *", "2025-01-01T10:00:00Z", "", -1, "2025-01-01T10:03:00Z", 1, &r, &m), 0);
	ASSERT(r == CRON_ZERO && m == CRON_NONE_MISSED);
	ASSERT_EQ(most_recent("*/5 * * * *", "2025-01-01T10:00:00Z", "", -1, "2025-01-01T10:07:00Z", 1, &r, &m), 0);
	ASSERT(r == T("2025-01-01T10:05:00Z") && m == CRON_NONE_MISSED);
	ASSERT_EQ(most_recent("*/5 * * * *", "2025-01-01T10:00:00Z", "", -1, "2025-01-01T10:23:00Z", 1, &r, &m), 0);
	ASSERT(r == T("2025-01-01T10:20:00Z") && m == CRON_FEW_MISSED);
	/* From the last schedule time, not the creation time. */
	ASSERT_EQ(most_recent("*/5 * * * *", "2025-01-01T10:00:00Z", "2025-01-01T10:20:00Z", -1, "2025-01-01T10:23:00Z",
			      1, &r, &m), 0);
	ASSERT(r == CRON_ZERO && m == CRON_NONE_MISSED);
	/* startingDeadlineSeconds moves the earliest time up to now - deadline. */
	ASSERT_EQ(most_recent("*/5 * * * *", "2025-01-01T10:00:00Z", "", 200, "2025-01-01T10:23:00Z", 1, &r, &m), 0);
	ASSERT(r == T("2025-01-01T10:20:00Z") && m == CRON_NONE_MISSED);
	ASSERT_EQ(most_recent("*/5 * * * *", "2025-01-01T10:00:00Z", "", 100, "2025-01-01T10:23:00Z", 1, &r, &m), 0);
	ASSERT(r == CRON_ZERO && m == CRON_NONE_MISSED);
	/* ... but only when asked (the requeue computation ignores it). */
	ASSERT_EQ(most_recent("*/5 * * * *", "2025-01-01T10:00:00Z", "", 100, "2025-01-01T10:23:00Z", 0, &r, &m), 0);
	ASSERT(r == T("2025-01-01T10:20:00Z") && m == CRON_FEW_MISSED);
	/* More than 100 missed: "many" (the controller warns TooManyMissedTimes), still the most recent. */
	ASSERT_EQ(most_recent("@hourly", "2020-01-01T00:00:00Z", "", -1, "2025-01-01T10:23:00Z", 1, &r, &m), 0);
	ASSERT(r == T("2025-01-01T10:00:00Z") && m == CRON_MANY_MISSED);
	ASSERT_EQ(most_recent("@hourly", "2025-01-01T00:00:00Z", "", -1, "2025-01-05T05:00:00Z", 1, &r, &m), 0);
	ASSERT(r == T("2025-01-05T05:00:00Z") && m == CRON_MANY_MISSED); /* 101 */
	ASSERT_EQ(most_recent("@hourly", "2025-01-01T00:00:00Z", "", -1, "2025-01-05T04:59:59Z", 1, &r, &m), 0);
	ASSERT(r == T("2025-01-05T04:00:00Z") && m == CRON_FEW_MISSED); /* 100 */
	/* @every counts from the creation time. */
	ASSERT_EQ(most_recent("@every 90s", "2025-01-01T10:00:00Z", "", -1, "2025-01-01T10:04:00Z", 1, &r, &m), 0);
	ASSERT(r == T("2025-01-01T10:03:00Z") && m == CRON_FEW_MISSED);
	/* A schedule that never fires is an error. */
	ASSERT_EQ(most_recent("0 0 30 2 *", "2025-01-01T10:00:00Z", "", -1, "2025-01-01T10:04:00Z", 1, &r, &m), -1);
	return 0;
}

TEST_IMPL(cron_requeue)
{
	struct cron_sched s;
	struct cron_job_times cj = { T("2025-01-01T10:00:00Z"), CRON_ZERO, -1 };
	ASSERT_EQ(cron_parse("*/5 * * * *", &s, NULL), 0);
	/* The next activation plus 100 ms. */
	ASSERT_EQ(cron_requeue_after(&s, NULL, &cj, T("2025-01-01T10:03:00Z")), 120 * CRON_NS + 100000000);
	ASSERT_EQ(cron_requeue_after(&s, NULL, &cj, T("2025-01-01T10:03:00Z") + 500000000), 119 * CRON_NS + 600000000);
	/* Missed ones: counted from now. */
	ASSERT_EQ(cron_requeue_after(&s, NULL, &cj, T("2025-01-01T10:23:00Z")), 120 * CRON_NS + 100000000);
	cj.last_schedule = T("2025-01-01T10:20:00Z");
	ASSERT_EQ(cron_requeue_after(&s, NULL, &cj, T("2025-01-01T10:20:00Z") + 50000000), 300 * CRON_NS + 50000000);
	cron_sched_release(&s);
	return 0;
}
