/*
 * utf8.h - UTF-8 as Go reads it: decoding one sequence, and whether a rune is printable.
 */
#ifndef KUBE_UTF8_H
#define KUBE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the UTF-8 sequence at s, of at most len bytes (SIZE_MAX for a NUL-terminated
 * string), with Go's rules: no overlong forms, no surrogates, nothing above U+10FFFF. Returns
 * its length (1 to 4) with the code point in *r; for bytes that start no valid sequence,
 * returns 1 with *r = -1 (Go decodes such a byte as U+FFFD of length 1). */
size_t utf8_decode(const unsigned char *s, size_t len, int32_t *r);

/* Go's unicode.IsPrint, approximated outside ASCII: controls, format characters, separators
 * other than U+0020, surrogates, private use and noncharacters are not printable. */
int utf8_is_print(int32_t r);

#endif
