/*
 * cron.c - CronJob schedules (cron.h): robfig/cron v3's parser and Next, Go's time zones and
 * calendar arithmetic, and the cronjob controller's missed-schedule counting.
 *
 * DESIGN
 * Upstream's behaviour is the sum of three Go libraries, so each is reproduced where it shows:
 *  - time zones as Go's time package reads them: a TZif file's 64-bit transitions and zone
 *    types, and its POSIX TZ footer for instants after the last transition (what slim tzdata
 *    files rely on); before the first transition, Go's "first zone" choice. A lookup returns the
 *    offset and the [start, end) period it holds for, which Go's Date needs;
 *  - Go's time.Date (normalising overflowing fields, then choosing an offset for a local time
 *    that falls in a gap or an overlap exactly as Go does) and AddDate, over a proleptic
 *    Gregorian day count;
 *  - robfig's SpecSchedule.Next, field by field with its WRAP restarts, in the schedule's zone,
 *    so DST gaps skip and overlaps repeat activations as upstream does.
 * Times are int64 nanoseconds (seconds inside the calendar code); no C library time zone
 * function is used, so nothing here touches the process's TZ.
 */
#include "server/cron.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "server/validate.h"

#define ALPHA INT64_MIN
#define OMEGA INT64_MAX
#define DAY 86400
#define ZONEINFO "/usr/share/zoneinfo/"
#define MAX_TZIF (1 << 20)

/* ---- calendar arithmetic -------------------------------------------------------------------- */

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t floormod(int64_t a, int64_t b)
{
	return a - floordiv(a, b) * b;
}

static int is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int64_t y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; m in 1..12, d may overflow the month). */
static int64_t days_from_civil(int64_t y, int m, int64_t d)
{
	y -= m <= 2;
	int64_t era = floordiv(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468 + (d - 1);
}

struct civil {
	int64_t year;
	int mon, day, hour, min, sec, wday;
	int64_t yday; /* 0-based */
};

static void civil_from_days(int64_t z, struct civil *c)
{
	z += 719468;
	int64_t era = floordiv(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->year = yoe + era * 400 + (c->mon <= 2);
	c->yday = z - 719468 - days_from_civil(c->year, 1, 1);
}

/* Splits local seconds (UTC-relative fields) into a date and a clock. */
static void civil_from_local(int64_t local, struct civil *c)
{
	int64_t days = floordiv(local, DAY), rem = local - days * DAY;
	civil_from_days(days, c);
	c->hour = (int)(rem / 3600);
	c->min = (int)(rem / 60 % 60);
	c->sec = (int)(rem % 60);
	c->wday = (int)floormod(days + 4, 7);
}

/* ---- time zones --------------------------------------------------------------------------- */

enum rule_kind { RULE_JULIAN, RULE_DOY, RULE_MWD };

struct tz_rule {
	enum rule_kind kind;
	int day, week, mon;
	int32_t time;
};

struct cron_tz {
	size_t ntx, nzones;
	int64_t *when;    /* transition instants, ascending */
	uint8_t *idx;     /* zone type of each transition */
	int32_t *zoff;    /* zone types: offset and DST flag */
	uint8_t *zdst;
	int extend;       /* the POSIX TZ footer parsed into the fields below */
	int has_dst;
	int32_t std_off, dst_off;
	struct tz_rule start, end;
};

/* Go's tzsetNum: digits in [min, max]. */
static int tz_num(const char **s, int min, int max, int *out)
{
	const char *p = *s;
	int n = 0;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > max)
			return -1;
	}
	if (n < min)
		return -1;
	*s = p;
	*out = n;
	return 0;
}

/* Go's tzsetName: an abbreviation of at least three characters, or <...>. */
static int tz_name(const char **s)
{
	const char *p = *s;
	if (*p == '<') {
		const char *e = strchr(p, '>');
		if (!e)
			return -1;
		*s = e + 1;
		return 0;
	}
	size_t n = strcspn(p, "0123456789,-+");
	if (n < 3)
		return -1;
	*s = p + n;
	return 0;
}

/* Go's tzsetOffset: [+-]hh[:mm[:ss]], as written (POSIX sign: west positive). */
static int tz_offset(const char **s, int32_t *out)
{
	int neg = 0, h, m = 0, sec = 0;
	if (**s == '+' || **s == '-')
		neg = *(*s)++ == '-';
	if (tz_num(s, 0, 24 * 7, &h) < 0)
		return -1;
	if (**s == ':') {
		(*s)++;
		if (tz_num(s, 0, 59, &m) < 0)
			return -1;
		if (**s == ':') {
			(*s)++;
			if (tz_num(s, 0, 59, &sec) < 0)
				return -1;
		}
	}
	*out = (h * 3600 + m * 60 + sec) * (neg ? -1 : 1);
	return 0;
}

/* Go's tzsetRule: Jn, n or Mm.w.d, with an optional /time (default 02:00). */
static int tz_rule(const char **s, struct tz_rule *r)
{
	if (**s == 'J') {
		(*s)++;
		r->kind = RULE_JULIAN;
		if (tz_num(s, 1, 365, &r->day) < 0)
			return -1;
	} else if (**s == 'M') {
		(*s)++;
		r->kind = RULE_MWD;
		if (tz_num(s, 1, 12, &r->mon) < 0 || *(*s)++ != '.' || tz_num(s, 1, 5, &r->week) < 0 ||
		    *(*s)++ != '.' || tz_num(s, 0, 6, &r->day) < 0)
			return -1;
	} else {
		r->kind = RULE_DOY;
		if (tz_num(s, 0, 365, &r->day) < 0)
			return -1;
	}
	r->time = 2 * 3600;
	if (**s != '/')
		return 0;
	(*s)++;
	return tz_offset(s, &r->time);
}

/* Parses the TZif footer as Go's tzset does; a footer Go would reject is ignored. */
static void tz_parse_extend(struct cron_tz *tz, const char *s)
{
	int32_t off;
	if (!*s || tz_name(&s) < 0 || tz_offset(&s, &off) < 0)
		return;
	tz->std_off = -off;
	tz->extend = 1;
	if (!*s || *s == ',')
		return;
	if (tz_name(&s) < 0)
		goto bad;
	tz->dst_off = tz->std_off + 3600;
	if (*s && *s != ',') {
		if (tz_offset(&s, &off) < 0)
			goto bad;
		tz->dst_off = -off;
	}
	if (!*s)
		s = ",M3.2.0,M11.1.0";
	if (*s != ',' && *s != ';')
		goto bad;
	s++;
	if (tz_rule(&s, &tz->start) < 0 || *s++ != ',' || tz_rule(&s, &tz->end) < 0 || *s)
		goto bad;
	tz->has_dst = 1;
	return;
bad:
	tz->extend = 0;
}

/* Go's tzruleTime: seconds from the start of year (UTC) at which r fires, given offset off. */
static int64_t tz_rule_time(int64_t year, const struct tz_rule *r, int32_t off)
{
	int64_t d = 0;
	switch (r->kind) {
	case RULE_JULIAN:
		d = r->day - 1 + (is_leap(year) && r->day >= 60);
		break;
	case RULE_DOY:
		d = r->day;
		break;
	case RULE_MWD: {
		int dow = (int)floormod(days_from_civil(year, r->mon, 1) + 4, 7);
		int md = (int)floormod(r->day - dow, 7);
		for (int i = 1; i < r->week && md + 7 < days_in_month(year, r->mon); i++)
			md += 7;
		d = days_from_civil(year, r->mon, 1) - days_from_civil(year, 1, 1) + md;
		break;
	}
	}
	return d * DAY + r->time - off;
}

/* Go's tzset: the zone the footer gives at sec, and the period around it. */
static int32_t tz_extend(const struct cron_tz *tz, int64_t last, int64_t sec, int64_t *start, int64_t *end)
{
	if (!tz->has_dst) {
		*start = last;
		*end = OMEGA;
		return tz->std_off;
	}
	struct civil c;
	civil_from_local(sec, &c);
	int64_t ysec = c.yday * DAY + floormod(sec, DAY), ystart = sec - ysec;
	int32_t std = tz->std_off, dst = tz->dst_off;
	int64_t s = tz_rule_time(c.year, &tz->start, std), e = tz_rule_time(c.year, &tz->end, dst);
	if (e < s) {
		int64_t t = s;
		s = e;
		e = t;
		std = tz->dst_off;
		dst = tz->std_off;
	}
	if (ysec < s) {
		*start = ystart;
		*end = s + ystart;
		return std;
	}
	if (ysec >= e) {
		*start = e + ystart;
		*end = ystart + 365 * DAY;
		return std;
	}
	*start = s + ystart;
	*end = e + ystart;
	return dst;
}

/* Go's lookupFirstZone: the zone for instants before the first transition. */
static size_t tz_first_zone(const struct cron_tz *tz)
{
	int used = 0;
	for (size_t i = 0; i < tz->ntx; i++)
		used |= tz->idx[i] == 0;
	if (!used)
		return 0;
	if (tz->ntx && tz->zdst[tz->idx[0]])
		for (size_t z = tz->idx[0]; z-- > 0;)
			if (!tz->zdst[z])
				return z;
	for (size_t z = 0; z < tz->nzones; z++)
		if (!tz->zdst[z])
			return z;
	return 0;
}

/* Go's Location.lookup: the offset at sec and the [start, end) it holds for. */
static int32_t tz_lookup(const struct cron_tz *tz, int64_t sec, int64_t *start, int64_t *end)
{
	if (!tz || !tz->nzones) {
		*start = ALPHA;
		*end = OMEGA;
		return 0;
	}
	if (!tz->ntx || sec < tz->when[0]) {
		*start = ALPHA;
		*end = tz->ntx ? tz->when[0] : OMEGA;
		return tz->zoff[tz_first_zone(tz)];
	}
	size_t lo = 0, hi = tz->ntx;
	*end = OMEGA;
	while (hi - lo > 1) {
		size_t m = (lo + hi) / 2;
		if (sec < tz->when[m]) {
			*end = tz->when[m];
			hi = m;
		} else {
			lo = m;
		}
	}
	*start = tz->when[lo];
	if (lo == tz->ntx - 1 && tz->extend)
		return tz_extend(tz, *start, sec, start, end);
	return tz->zoff[tz->idx[lo]];
}

int32_t cron_tz_offset(const struct cron_tz *tz, int64_t sec)
{
	int64_t s, e;
	return tz_lookup(tz, sec, &s, &e);
}

static uint64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Reads the TZif header at *p: the six counts. Returns the version byte, or -1. */
static int tzif_header(const unsigned char **p, const unsigned char *end, uint32_t cnt[6])
{
	if (end - *p < 44 || memcmp(*p, "TZif", 4))
		return -1;
	int version = (*p)[4];
	if (version != 0 && (version < '2' || version > '4'))
		return -1;
	for (int i = 0; i < 6; i++)
		cnt[i] = (uint32_t)be(*p + 20 + 4 * i, 4);
	*p += 44;
	return version;
}

/* Size of a data block: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt with w-byte times. */
static uint64_t tzif_block(const uint32_t c[6], int w)
{
	return (uint64_t)c[3] * (w + 1) + (uint64_t)c[4] * 6 + c[5] + (uint64_t)c[2] * (w + 4) + c[1] + c[0];
}

static void tz_fill(struct cron_tz *tz, const unsigned char *p, const uint32_t c[6], int w)
{
	const unsigned char *idx = p + (size_t)c[3] * w, *types = idx + c[3];
	tz->nzones = c[4];
	tz->zoff = xcalloc(tz->nzones, sizeof(int32_t));
	tz->zdst = xcalloc(tz->nzones, 1);
	for (size_t i = 0; i < tz->nzones; i++) {
		tz->zoff[i] = (int32_t)(uint32_t)be(types + 6 * i, 4);
		tz->zdst[i] = types[6 * i + 4] != 0;
	}
	tz->ntx = c[3] ? c[3] : 1;
	tz->when = xcalloc(tz->ntx, sizeof(int64_t));
	tz->idx = xcalloc(tz->ntx, 1);
	tz->when[0] = ALPHA; /* Go's fake transition for zones that have none */
	for (size_t i = 0; i < c[3]; i++) {
		uint64_t v = be(p + (size_t)w * i, w);
		tz->when[i] = w == 8 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
		tz->idx[i] = idx[i];
	}
}

struct cron_tz *cron_tz_parse(const void *data, size_t len)
{
	const unsigned char *p = data, *end = p + len;
	uint32_t c[6];
	int version = tzif_header(&p, end, c), w = 4;
	if (version < 0 || tzif_block(c, 4) > (uint64_t)(end - p))
		return NULL;
	if (version) {
		p += tzif_block(c, 4);
		if (tzif_header(&p, end, c) < 0)
			return NULL;
		w = 8;
	}
	if (!c[4] || tzif_block(c, w) > (uint64_t)(end - p))
		return NULL;
	for (size_t i = 0; i < c[3]; i++)
		if (p[(size_t)c[3] * w + i] >= c[4])
			return NULL;
	struct cron_tz *tz = xcalloc(1, sizeof(*tz));
	tz_fill(tz, p, c, w);
	p += tzif_block(c, w);
	if (w == 8 && end - p > 2 && p[0] == '\n' && end[-1] == '\n') {
		char *footer = xstrndup((const char *)p + 1, (size_t)(end - p - 2));
		tz_parse_extend(tz, footer);
		free(footer);
	}
	return tz;
}

struct cron_tz *cron_tz_fixed(int32_t offset)
{
	struct cron_tz *tz = xcalloc(1, sizeof(*tz));
	tz->nzones = tz->ntx = 1;
	tz->zoff = xcalloc(1, sizeof(int32_t));
	tz->zdst = xcalloc(1, 1);
	tz->when = xcalloc(1, sizeof(int64_t));
	tz->idx = xcalloc(1, 1);
	tz->zoff[0] = offset;
	tz->when[0] = ALPHA;
	return tz;
}

void cron_tz_free(struct cron_tz *tz)
{
	if (!tz)
		return;
	free(tz->when);
	free(tz->idx);
	free(tz->zoff);
	free(tz->zdst);
	free(tz);
}

/* Reads and parses a TZif file. Returns 0, -ENOENT (missing or unreadable), or -EINVAL. */
static int tz_read(const char *path, struct cron_tz **out)
{
	char *data = NULL;
	size_t len = 0;
	int r = read_file(path, &data, &len);
	if (r < 0)
		return -ENOENT;
	*out = len <= MAX_TZIF ? cron_tz_parse(data, len) : NULL;
	free(data);
	return *out ? 0 : -EINVAL;
}

/* Go's initLocal: $TZ (a name or an absolute path), else /etc/localtime, else UTC. */
static struct cron_tz *tz_local(void)
{
	const char *tz = getenv("TZ");
	struct cron_tz *z = NULL;
	if (!tz) {
		if (tz_read("/etc/localtime", &z) == 0)
			return z;
	} else {
		if (*tz == ':')
			tz++;
		if (*tz == '/') {
			if (tz_read(tz, &z) == 0)
				return z;
		} else if (*tz && strcmp(tz, "UTC") && !strstr(tz, "..")) {
			char *path = xasprintf(ZONEINFO "%s", tz);
			int r = tz_read(path, &z);
			free(path);
			if (r == 0)
				return z;
		}
	}
	return NULL; /* UTC */
}

int cron_tz_load(const char *name, struct cron_tz **out, struct buf *err)
{
	*out = NULL;
	if (!*name || !strcmp(name, "UTC"))
		return 0;
	if (!strcmp(name, "Local")) {
		*out = tz_local();
		return 0;
	}
	if (strstr(name, "..") || name[0] == '/' || name[0] == '\\') {
		if (err)
			buf_adds(err, "time: invalid location name");
		return -1;
	}
	char *path = xasprintf(ZONEINFO "%s", name);
	int r = tz_read(path, out);
	free(path);
	if (r < 0 && err)
		buf_addf(err, r == -EINVAL ? "malformed time zone information" : "unknown time zone %s", name);
	return r < 0 ? -1 : 0;
}

void cron_format_rfc3339(const struct cron_tz *tz, int64_t t, char out[26])
{
	int64_t sec = floordiv(t, CRON_NS);
	int32_t off = cron_tz_offset(tz, sec);
	struct civil c;
	civil_from_local(sec + off, &c);
	int n = snprintf(out, 26, "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)c.year, c.mon, c.day, c.hour, c.min,
			 c.sec);
	if (off == 0)
		snprintf(out + n, (size_t)(26 - n), "Z");
	else
		snprintf(out + n, (size_t)(26 - n), "%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 3600,
			 abs(off) / 60 % 60);
}

/* ---- Go's Date, AddDate and clock fields ------------------------------------------------- */

/* The local fields of sec in tz. */
static void local_time(const struct cron_tz *tz, int64_t sec, struct civil *c)
{
	civil_from_local(sec + cron_tz_offset(tz, sec), c);
}

/* Go's time.Date: fields may overflow their ranges; a local time in a gap or an overlap gets
 * the offset Go picks. Returns seconds since the epoch. */
static int64_t go_date(const struct cron_tz *tz, int64_t year, int64_t mon, int64_t day, int64_t hour,
		       int64_t min, int64_t sec)
{
	int64_t m = mon - 1;
	year += floordiv(m, 12);
	m = floormod(m, 12);
	int64_t u = (days_from_civil(year, (int)m + 1, 1) + day - 1) * DAY + hour * 3600 + min * 60 + sec;
	int64_t start, end;
	int32_t off = tz_lookup(tz, u, &start, &end);
	if (off) {
		int64_t utc = u - off;
		if (utc < start || utc >= end)
			off = tz_lookup(tz, utc, &start, &end);
		u -= off;
	}
	return u;
}

/* Go's t.AddDate(0, months, days) in tz. */
static int64_t add_date(const struct cron_tz *tz, int64_t t, int months, int days)
{
	struct civil c;
	local_time(tz, t, &c);
	return go_date(tz, c.year, c.mon + months, c.day + days, c.hour, c.min, c.sec);
}

/* ---- parsing (robfig's ParseStandard) ------------------------------------------------------- */

/* Messages go to a struct buf that is never NULL inside the parser (cron_parse gives a sink). */

struct cron_bounds {
	uint64_t min, max;
	const char *const *names; /* lowercase, names[i] is min + i */
};

static const char *const month_names[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
					   "nov", "dec", NULL };
static const char *const dow_names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };
static const struct cron_bounds minutes_b = { 0, 59, NULL }, hours_b = { 0, 23, NULL }, dom_b = { 1, 31, NULL },
				months_b = { 1, 12, month_names }, dow_b = { 0, 6, dow_names };

/* strconv.Atoi and robfig's mustParseInt. */
static int must_parse_int(const char *s, uint64_t *out, struct buf *why)
{
	char *end;
	const char *digits = (*s == '+' || *s == '-') ? s + 1 : s;
	int isdig = *digits >= '0' && *digits <= '9';
	errno = 0;
	long long v = isdig ? strtoll(s, &end, 10) : 0;
	if (!isdig || *end || errno == ERANGE) {
		buf_addf(why, "failed to parse int from %s: strconv.Atoi: parsing ", s);
		field_quote(why, s);
		buf_adds(why, isdig && !*end ? ": value out of range" : ": invalid syntax");
		return -1;
	}
	if (v < 0) {
		buf_addf(why, "negative number (%lld) not allowed: %s", v, s);
		return -1;
	}
	*out = (uint64_t)v;
	return 0;
}

static int int_or_name(const char *s, const struct cron_bounds *b, uint64_t *out, struct buf *why)
{
	for (size_t i = 0; b->names && b->names[i]; i++)
		if (!strcasecmp(s, b->names[i])) {
			*out = b->min + i;
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

/* robfig's getBits (min <= max <= 63, step >= 1). */
static uint64_t bits(uint64_t min, uint64_t max, uint64_t step)
{
	uint64_t b = 0;
	for (uint64_t i = min; i <= max; i += step)
		b |= 1ULL << i;
	return b;
}

static int range_check(const char *expr, uint64_t start, uint64_t end, uint64_t step, const struct cron_bounds *b,
		       struct buf *why)
{
	unsigned long long s = start, e = end, lo = b->min, hi = b->max;
	if (start < b->min)
		buf_addf(why, "beginning of range (%llu) below minimum (%llu): %s", s, lo, expr);
	else if (end > b->max)
		buf_addf(why, "end of range (%llu) above maximum (%llu): %s", e, hi, expr);
	else if (start > end)
		buf_addf(why, "beginning of range (%llu) beyond end of range (%llu): %s", s, e, expr);
	else if (step == 0)
		buf_addf(why, "step of range should be a positive number: %s", expr);
	else
		return 0;
	return -1;
}

/* robfig's getRange: one comma-separated expression, or'ed into *out. */
static int cron_range(const char *expr, const struct cron_bounds *b, uint64_t *out, struct buf *why)
{
	char *copy = xstrdup(expr), *rs[2], *lh[2];
	uint64_t start, end, step = 1, extra = 0;
	int rc = -1, nrs = split(copy, '/', rs, 2), nlh = split(rs[0], '-', lh, 2);
	if (!strcmp(lh[0], "*") || !strcmp(lh[0], "?")) {
		start = b->min;
		end = b->max;
		extra = CRON_STAR;
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
	if (nrs > 2) {
		buf_addf(why, "too many slashes: %s", expr);
		goto out;
	}
	if (nrs == 2) {
		if (must_parse_int(rs[1], &step, why) < 0)
			goto out;
		if (nlh == 1)
			end = b->max; /* "N/step" means "N-max/step" */
		if (step > 1)
			extra = 0;
	}
	if (range_check(expr, start, end, step, b, why) == 0) {
		*out |= bits(start, end, step) | extra;
		rc = 0;
	}
out:
	free(copy);
	return rc;
}

/* robfig's getField: a comma-separated list (empty elements are dropped). */
static int cron_field(const char *field, const struct cron_bounds *b, uint64_t *out, struct buf *why)
{
	char *copy = xstrdup(field), *save = NULL, *tok;
	int rc = 0;
	*out = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save))
		rc = cron_range(tok, b, out, why);
	free(copy);
	return rc;
}

/* Go's leadingInt: digits into *v; -1 on overflow. */
static int leading_int(const char **p, uint64_t *v)
{
	int overflow = 0;
	*v = 0;
	for (; **p >= '0' && **p <= '9'; (*p)++) {
		if (*v > (1ULL << 63) / 10)
			overflow = 1;
		*v = *v * 10 + (uint64_t)(**p - '0');
		if (*v > 1ULL << 63)
			overflow = 1;
	}
	return overflow ? -1 : 0;
}

/* Go's leadingFraction: digits after the point into *f, with *scale = 10^(digits kept). */
static void leading_fraction(const char **p, uint64_t *f, double *scale)
{
	int overflow = 0;
	for (; **p >= '0' && **p <= '9'; (*p)++) {
		if (overflow || *f > (uint64_t)INT64_MAX / 10) {
			overflow = 1;
			continue;
		}
		*f = *f * 10 + (uint64_t)(**p - '0');
		*scale *= 10;
	}
}

/* The unit of a Go duration element (n bytes at u): its nanoseconds, or 0 if unknown. */
static uint64_t duration_unit(const char *u, size_t n)
{
	static const struct {
		const char *u;
		uint64_t ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "\xc2\xb5s", 1000 }, { "\xce\xbcs", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000ULL }, { "m", 60000000000ULL }, { "h", 3600000000000ULL },
	};
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (strlen(units[i].u) == n && !strncmp(u, units[i].u, n))
			return units[i].ns;
	return 0;
}

/* One number-and-unit element of a Go duration, added to *d. Returns 0, -1 (invalid), or -2
 * (its own message written). */
static int duration_elem(const char **p, const char *orig, uint64_t *d, struct buf *why)
{
	const char *s = *p, *num = s;
	uint64_t v, f = 0, unit;
	double scale = 1;
	if (!(*s == '.' || (*s >= '0' && *s <= '9')) || leading_int(&s, &v) < 0)
		return -1;
	int pre = s != num, post = 0;
	if (*s == '.') {
		const char *frac = ++s;
		leading_fraction(&s, &f, &scale);
		post = s != frac;
	}
	if (!pre && !post)
		return -1;
	size_t n = strcspn(s, ".0123456789");
	if (n == 0) {
		buf_adds(why, "time: missing unit in duration ");
		field_quote(why, orig);
		return -2;
	}
	if (!(unit = duration_unit(s, n))) {
		char *u = xstrndup(s, n);
		buf_adds(why, "time: unknown unit ");
		field_quote(why, u);
		buf_adds(why, " in duration ");
		field_quote(why, orig);
		free(u);
		return -2;
	}
	if (v > (1ULL << 63) / unit)
		return -1;
	v *= unit;
	if (f > 0 && (v += (uint64_t)((double)f * ((double)unit / scale))) > 1ULL << 63)
		return -1;
	if ((*d += v) > 1ULL << 63)
		return -1;
	*p = s + n;
	return 0;
}

/* Go's time.ParseDuration. Returns 0 and *out (ns), or -1 with Go's message in why. */
static int parse_duration(const char *orig, int64_t *out, struct buf *why)
{
	const char *s = orig;
	uint64_t d = 0;
	int neg = 0, r = 0;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	if (!*s)
		r = -1;
	while (!r && *s)
		r = duration_elem(&s, orig, &d, why);
	if (!r && !neg && d > (uint64_t)INT64_MAX)
		r = -1;
	if (r == -1) {
		buf_adds(why, "time: invalid duration ");
		field_quote(why, orig);
	}
	if (r)
		return -1;
	*out = neg ? (int64_t)(0 - d) : (int64_t)d;
	return 0;
}

/* robfig's @every: Every(d), at least a second, in whole seconds. */
static int cron_every(const char *spec, struct cron_sched *s, struct buf *why)
{
	struct buf err = BUF_INIT;
	int64_t d = 0;
	int rc = parse_duration(spec + 7, &d, &err);
	if (rc < 0)
		buf_addf(why, "failed to parse duration %s: %s", spec, buf_str(&err));
	else
		s->every_ns = d < CRON_NS ? CRON_NS : d - d % CRON_NS;
	buf_release(&err);
	return rc;
}

/* robfig's parseDescriptor. */
static int cron_descriptor(const char *spec, struct cron_sched *s, struct buf *why)
{
	s->second = s->minute = s->hour = 1;
	s->dom = bits(1, 31, 1) | CRON_STAR;
	s->month = bits(1, 12, 1) | CRON_STAR;
	s->dow = bits(0, 6, 1) | CRON_STAR;
	if (!strcmp(spec, "@yearly") || !strcmp(spec, "@annually")) {
		s->dom = 1 << 1;
		s->month = 1 << 1;
	} else if (!strcmp(spec, "@monthly")) {
		s->dom = 1 << 1;
	} else if (!strcmp(spec, "@weekly")) {
		s->dom = bits(1, 31, 1) | CRON_STAR;
		s->dow = 1;
	} else if (!strcmp(spec, "@hourly")) {
		s->hour = bits(0, 23, 1) | CRON_STAR;
	} else if (starts_with(spec, "@every ")) {
		return cron_every(spec, s, why);
	} else if (strcmp(spec, "@daily") && strcmp(spec, "@midnight")) {
		buf_addf(why, "unrecognized descriptor: %s", spec);
		return -1;
	}
	return 0;
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

static int cron_fields(const char *spec, struct cron_sched *s, struct buf *why)
{
	static const struct cron_bounds *const b[] = { &minutes_b, &hours_b, &dom_b, &months_b, &dow_b };
	uint64_t *dst[] = { &s->minute, &s->hour, &s->dom, &s->month, &s->dow };
	char *tmp = xstrdup(spec), *fields[5];
	int rc = 0, n = fields_of(tmp, fields, 5);
	if (n != 5) {
		char *all = xstrdup(spec), *f[64];
		int m = fields_of(all, f, 64);
		buf_addf(why, "expected exactly 5 fields, found %d: [", n);
		for (int i = 0; i < m && i < 64; i++)
			buf_addf(why, "%s%s", i ? " " : "", f[i]);
		buf_addch(why, ']');
		free(all);
		rc = -1;
	}
	s->second = 1; /* the standard parser's seconds field is "0" */
	for (int i = 0; i < 5 && !rc; i++)
		rc = cron_field(fields[i], b[i], dst[i], why);
	free(tmp);
	return rc;
}

/* A TZ=zone or CRON_TZ=zone prefix: loads the zone into s->tz and returns the rest of spec
 * (trimmed as strings.TrimSpace does), or NULL with the message. */
static char *cron_zone_prefix(char *spec, struct cron_sched *s, struct buf *why)
{
	char *sp = strchr(spec, ' '), *eq = strchr(spec, '=');
	char *zone = xstrndup(eq + 1, sp ? (size_t)(sp - eq - 1) : strlen(eq + 1));
	struct buf err = BUF_INIT;
	int ok = sp && cron_tz_load(zone, &s->tz, &err) == 0;
	if (!ok && !err.len)
		buf_addf(&err, "unknown time zone %s", zone);
	if (!ok)
		buf_addf(why, "provided bad location %s: %s", zone, buf_str(&err));
	buf_release(&err);
	free(zone);
	if (!ok)
		return NULL;
	while (*sp == ' ' || (*sp >= '\t' && *sp <= '\r'))
		sp++;
	for (size_t n = strlen(sp); n && (sp[n - 1] == ' ' || (sp[n - 1] >= '\t' && sp[n - 1] <= '\r'));)
		sp[--n] = '\0';
	return sp;
}

int cron_parse(const char *schedule, struct cron_sched *out, struct buf *why)
{
	struct buf sink = BUF_INIT;
	char *copy = xstrdup(schedule), *spec = copy;
	int rc = -1;
	memset(out, 0, sizeof(*out));
	why = why ? why : &sink;
	if (!*spec)
		buf_adds(why, "empty spec string");
	else if (starts_with(spec, "TZ=") || starts_with(spec, "CRON_TZ="))
		spec = cron_zone_prefix(spec, out, why);
	if (spec && *copy)
		rc = *spec == '@' ? cron_descriptor(spec, out, why) : cron_fields(spec, out, why);
	free(copy);
	buf_release(&sink);
	if (rc < 0)
		cron_sched_release(out);
	return rc;
}

void cron_sched_release(struct cron_sched *s)
{
	cron_tz_free(s->tz);
	memset(s, 0, sizeof(*s));
}

/* ---- robfig's Next ------------------------------------------------------------------------- */

static int day_matches(const struct cron_sched *s, const struct civil *c)
{
	int dom = (s->dom >> c->day) & 1, dow = (s->dow >> c->wday) & 1;
	if ((s->dom & CRON_STAR) || (s->dow & CRON_STAR))
		return dom && dow;
	return dom || dow;
}

/* The month and day loops of SpecSchedule.Next; returns 1 to WRAP. */
static int next_date(const struct cron_sched *s, const struct cron_tz *loc, int64_t *t, int *added)
{
	struct civil c;
	for (local_time(loc, *t, &c); !((s->month >> c.mon) & 1); local_time(loc, *t, &c)) {
		if (!*added) {
			*added = 1;
			*t = go_date(loc, c.year, c.mon, 1, 0, 0, 0);
		}
		*t = add_date(loc, *t, 1, 0);
		local_time(loc, *t, &c);
		if (c.mon == 1)
			return 1;
	}
	for (; !day_matches(s, &c); local_time(loc, *t, &c)) {
		if (!*added) {
			*added = 1;
			*t = go_date(loc, c.year, c.mon, c.day, 0, 0, 0);
		}
		*t = add_date(loc, *t, 0, 1);
		local_time(loc, *t, &c);
		if (c.hour != 0)
			*t += c.hour > 12 ? (int64_t)(24 - c.hour) * 3600 : -(int64_t)c.hour * 3600;
		local_time(loc, *t, &c);
		if (c.day == 1)
			return 1;
	}
	return 0;
}

/* The hour, minute and second loops; returns 1 to WRAP. */
static int next_clock(const struct cron_sched *s, const struct cron_tz *loc, int64_t *t, int *added)
{
	struct civil c;
	for (local_time(loc, *t, &c); !((s->hour >> c.hour) & 1); local_time(loc, *t, &c)) {
		if (!*added) {
			*added = 1;
			*t = go_date(loc, c.year, c.mon, c.day, c.hour, 0, 0);
		}
		*t += 3600;
		local_time(loc, *t, &c);
		if (c.hour == 0)
			return 1;
	}
	for (; !((s->minute >> c.min) & 1); local_time(loc, *t, &c)) {
		if (!*added) {
			*added = 1;
			*t = floordiv(*t, 60) * 60;
		}
		*t += 60;
		local_time(loc, *t, &c);
		if (c.min == 0)
			return 1;
	}
	for (; !((s->second >> c.sec) & 1); local_time(loc, *t, &c)) {
		*added = 1;
		*t += 1;
		local_time(loc, *t, &c);
		if (c.sec == 0)
			return 1;
	}
	return 0;
}

int64_t cron_next(const struct cron_sched *s, const struct cron_tz *local, int64_t t)
{
	if (s->every_ns > 0)
		return floordiv(t, CRON_NS) * CRON_NS + s->every_ns;
	const struct cron_tz *loc = s->tz ? s->tz : local;
	int64_t sec = floordiv(t, CRON_NS) + 1;
	int added = 0;
	struct civil c;
	local_time(loc, sec, &c);
	int64_t year_limit = c.year + 5;
	for (;;) {
		local_time(loc, sec, &c);
		if (c.year > year_limit)
			return CRON_ZERO;
		if (next_date(s, loc, &sec, &added) || next_clock(s, loc, &sec, &added))
			continue;
		return sec * CRON_NS;
	}
}

/* ---- missed schedules ---------------------------------------------------------------------- */

/* Go's Duration.Round(time.Second) in whole seconds (halves away from zero). */
static int64_t round_seconds(int64_t ns)
{
	int64_t q = ns / CRON_NS, r = ns % CRON_NS;
	if (r >= CRON_NS / 2)
		q++;
	else if (r <= -CRON_NS / 2)
		q--;
	return q;
}

int cron_most_recent(const struct cron_sched *s, const struct cron_tz *local, const struct cron_job_times *cj,
		     int64_t now, int use_deadline, int64_t *earliest, int64_t *recent, enum cron_missed *missed)
{
	int64_t e = cj->last_schedule != CRON_ZERO ? cj->last_schedule : cj->created;
	*missed = CRON_NONE_MISSED;
	*recent = CRON_ZERO;
	if (use_deadline && cj->deadline >= 0 && now - cj->deadline * CRON_NS > e)
		e = now - cj->deadline * CRON_NS;
	*earliest = e;
	int64_t t1 = cron_next(s, local, e);
	int64_t t2 = t1 == CRON_ZERO ? CRON_ZERO : cron_next(s, local, t1);
	if (t1 != CRON_ZERO && now < t1)
		return 0;
	if (t2 != CRON_ZERO && now < t2) {
		*recent = t1;
		return 0;
	}
	int64_t between = t1 == CRON_ZERO || t2 == CRON_ZERO ? 0 : round_seconds(t2 - t1);
	if (between < 1)
		return -1;
	int64_t elapsed = (now - t1) / CRON_NS, n = elapsed / between + 1;
	int64_t from = t1 + (n - 2) * between * CRON_NS;
	for (int64_t t = cron_next(s, local, from); t != CRON_ZERO && t <= now; t = cron_next(s, local, t))
		*recent = t;
	*missed = n > 100 ? CRON_MANY_MISSED : n > 0 ? CRON_FEW_MISSED : CRON_NONE_MISSED;
	return 0;
}

int64_t cron_requeue_after(const struct cron_sched *s, const struct cron_tz *local, const struct cron_job_times *cj,
			   int64_t now)
{
	int64_t earliest, recent;
	enum cron_missed missed;
	if (cron_most_recent(s, local, cj, now, 0, &earliest, &recent, &missed) < 0)
		recent = now;
	else if (recent == CRON_ZERO)
		recent = missed == CRON_NONE_MISSED ? earliest : now;
	int64_t next = cron_next(s, local, recent);
	if (next == CRON_ZERO)
		return INT64_MIN / 2; /* Go's zero Time is far in the past: at once */
	return next + 100 * 1000000LL - now;
}
