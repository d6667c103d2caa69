/*
 * dns_bench.c - the load generator and the baseline reply server of dns_bench.py.
 *
 *   dns_bench load ADDR PORT NAME SECONDS WINDOW
 *       sends A queries for NAME over UDP to ADDR:PORT, keeping WINDOW queries outstanding (a
 *       query unanswered for 200 ms counts as lost and is replaced), for SECONDS; prints
 *       "answered N qps Q lost L p50_us P p99_us P99" (latency of answered queries).
 *   dns_bench serve ADDR PORT
 *       the baseline: a plain recvfrom/sendto loop answering every query with one A record
 *       (what the cluster DNS answers for a Service), built from the query without any lookup;
 *       runs until killed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXW 4096

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int udp_socket(const char *addr, int port, int bind_it, struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (fd < 0 || inet_pton(AF_INET, addr, &sa->sin_addr) != 1)
		return -1;
	int r = bind_it ? bind(fd, (struct sockaddr *)sa, sizeof(*sa)) : connect(fd, (struct sockaddr *)sa, sizeof(*sa));
	return r < 0 ? -1 : fd;
}

static size_t mkquery(uint8_t *q, const char *name)
{
	size_t n = 12;
	memset(q, 0, 12);
	q[2] = 1, q[5] = 1;
	for (const char *p = name; *p;) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		q[n++] = (uint8_t)l;
		memcpy(q + n, p, l);
		n += l;
		p += l + (dot ? 1 : 0);
	}
	q[n++] = 0, q[n++] = 0, q[n++] = 1, q[n++] = 0, q[n++] = 1;
	return n;
}

static int cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int load(const char *addr, int port, const char *name, int secs, int window)
{
	struct sockaddr_in sa;
	int fd = udp_socket(addr, port, 0, &sa);
	if (fd < 0 || window < 1 || window > MAXW)
		return perror("socket"), 1;
	static uint64_t sent_at[65536], lat[4000000];
	uint8_t q[512], r[4096];
	size_t qlen = mkquery(q, name), nlat = 0;
	uint64_t answered = 0, lost = 0, start = now_us(), end = start + (uint64_t)secs * 1000000u;
	uint16_t id = 0;
	int outstanding = 0;
	while (now_us() < end) {
		while (outstanding < window) {
			q[0] = (uint8_t)(id >> 8), q[1] = (uint8_t)id;
			sent_at[id++] = now_us();
			if (send(fd, q, qlen, 0) == (ssize_t)qlen)
				outstanding++;
		}
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 200) <= 0) {
			lost += (uint64_t)outstanding; /* all of them waited 200 ms: count as lost */
			outstanding = 0;
			continue;
		}
		ssize_t n;
		while ((n = recv(fd, r, sizeof(r), MSG_DONTWAIT)) > 0) {
			if (outstanding > 0)
				outstanding--;
			if (n < 12 || (r[3] & 0xf) != 0 || (r[6] << 8 | r[7]) < 1)
				continue; /* not a good answer: not counted */
			answered++;
			if (nlat < sizeof(lat) / sizeof(lat[0]))
				lat[nlat++] = now_us() - sent_at[(uint16_t)(r[0] << 8 | r[1])];
		}
	}
	double el = (double)(now_us() - start) / 1e6;
	qsort(lat, nlat, sizeof(lat[0]), cmp64);
	printf("answered %llu qps %.0f lost %llu p50_us %llu p99_us %llu\n", (unsigned long long)answered,
	       (double)answered / el, (unsigned long long)lost, (unsigned long long)(nlat ? lat[nlat / 2] : 0),
	       (unsigned long long)(nlat ? lat[nlat * 99 / 100] : 0));
	return answered ? 0 : 1;
}

static int serve(const char *addr, int port)
{
	struct sockaddr_in sa, from;
	int fd = udp_socket(addr, port, 1, &sa);
	if (fd < 0)
		return perror("bind"), 1;
	uint8_t m[4096];
	static const uint8_t rr[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 43, 0, 20 };
	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, m, sizeof(m) - sizeof(rr), 0, (struct sockaddr *)&from, &fl);
		if (n < 12)
			continue;
		m[2] |= 0x84, m[3] = 0x80, m[7] = 1; /* QR AA, RA, one answer */
		memcpy(m + n, rr, sizeof(rr));
		sendto(fd, m, (size_t)n + sizeof(rr), 0, (struct sockaddr *)&from, fl);
	}
}

int main(int argc, char **argv)
{
	if (argc == 7 && strcmp(argv[1], "load") == 0)
		return load(argv[2], atoi(argv[3]), argv[4], atoi(argv[5]), atoi(argv[6]));
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: dns_bench load ADDR PORT NAME SECONDS WINDOW | serve ADDR PORT\n");
	return 2;
}
