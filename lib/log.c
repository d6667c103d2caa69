/*
 * log.c - leveled logging to stderr or a file.
 *
 * The destination and level are process-wide: logging is the one piece of state every module
 * shares, and it is set once before any loop starts.
 */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static enum log_level threshold = LOG_INFO;
static FILE *dest;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int log_init(enum log_level level, const char *path)
{
	threshold = level;
	if (!path)
		return 0;
	FILE *f = fopen(path, "ae");
	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	log_close();
	dest = f;
	return 0;
}

void log_close(void)
{
	if (dest)
		fclose(dest);
	dest = NULL;
}

enum log_level log_get_level(void)
{
	return threshold;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn ", "info ", "debug" };
	if (level > threshold)
		return;
	struct timespec ts;
	struct tm tm;
	char when[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	FILE *f = dest ? dest : stderr;
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&lock);
	fprintf(f, "%s.%03ldZ %s ", when, ts.tv_nsec / 1000000, names[level]);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	pthread_mutex_unlock(&lock);
	va_end(ap);
}
