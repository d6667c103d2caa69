/*
 * kinds.c - per-kind defaulting, preparation and validation hooks (see struct kind_hooks).
 */
#include "internal.h"

const struct kind_hooks *kind_hooks(const char *group, const char *version, const char *kind)
{
	UNUSED(group);
	UNUSED(version);
	UNUSED(kind);
	return NULL;
}
