/*
 * version.h - what this build is: version, commit, build date, and the libraries it runs with.
 */
#ifndef KUBE_VERSION_H
#define KUBE_VERSION_H

#include <stdio.h>

extern const char kube_version[];    /* "v0.1.0-12-gabcdef" (git describe) or "dev" */
extern const char kube_commit[];     /* short commit hash or "unknown" */
extern const char kube_build_date[]; /* RFC 3339 UTC */

/* Prints the version block of `kube version`, with the versions of the linked libraries. */
void version_print(FILE *out);

#endif
