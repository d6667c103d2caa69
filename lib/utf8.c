/*
 * utf8.c - UTF-8 as Go reads it.
 */
#include "utf8.h"
#include "util.h"

size_t utf8_decode(const unsigned char *s, size_t len, int32_t *r)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;
	*r = -1;
	if (c < 0x80) {
		*r = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 1;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	/* A NUL terminator is no continuation byte: the checks stop there for C strings. */
	if (len < n || s[1] < lo || s[1] > hi)
		return 1;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 1;
	int32_t v = c & (0x7f >> n);
	for (size_t i = 1; i < n; i++)
		v = (v << 6) | (s[i] & 0x3f);
	*r = v;
	return n;
}

int utf8_is_print(int32_t r)
{
	static const int32_t nonprint[][2] = {
		{ 0x7f, 0xa0 }, { 0xad, 0xad }, { 0x600, 0x605 }, { 0x61c, 0x61c }, { 0x6dd, 0x6dd },
		{ 0x70f, 0x70f }, { 0x1680, 0x1680 }, { 0x180e, 0x180e }, { 0x2000, 0x200f },
		{ 0x2028, 0x202f }, { 0x205f, 0x2064 }, { 0x2066, 0x206f }, { 0x3000, 0x3000 },
		{ 0xd800, 0xf8ff }, { 0xfeff, 0xfeff }, { 0xfff9, 0xfffb }, { 0xfffe, 0xffff },
		{ 0xe0000, 0xe0fff }, { 0xf0000, 0x10ffff },
	};
	if (r < 0x20)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(nonprint); i++)
		if (r >= nonprint[i][0] && r <= nonprint[i][1])
			return 0;
	return 1;
}
