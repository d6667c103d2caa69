/*
 * log.h - leveled logging to stderr or a file.
 *
 * Lines look like "2026-11-27T16:31:59.123Z info  store: opened /var/lib/kube/server/db/state.db".
 * Logging is synchronous and line-buffered: it is used sparingly on the hot path.
 */
#ifndef KUBE_LOG_H
#define KUBE_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Sets the threshold and, if path is not NULL, appends to that file instead of stderr.
 * Returns 0 or a negative errno (the previous destination stays in use). */
int log_init(enum log_level level, const char *path);
void log_close(void);
enum log_level log_get_level(void);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) \
	do { \
		if (log_get_level() >= LOG_DEBUG) \
			log_msg(LOG_DEBUG, __VA_ARGS__); \
	} while (0)

#endif
