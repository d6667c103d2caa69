/*
 * version.c - build identity and library versions. The Makefile rebuilds this file on every
 * build with KUBE_VERSION, KUBE_COMMIT and KUBE_BUILD_DATE defined.
 */
#include "version.h"

#include <cjson/cJSON.h>
#include <llhttp.h>
#include <mbedtls/version.h>
#include <sqlite3.h>
#include <uv.h>
#include <yaml.h>

#ifndef KUBE_VERSION
#define KUBE_VERSION "dev"
#endif
#ifndef KUBE_COMMIT
#define KUBE_COMMIT "unknown"
#endif
#ifndef KUBE_BUILD_DATE
#define KUBE_BUILD_DATE "unknown"
#endif

const char kube_version[] = KUBE_VERSION;
const char kube_commit[] = KUBE_COMMIT;
const char kube_build_date[] = KUBE_BUILD_DATE;

void version_print(FILE *out)
{
	char tls[32];
	mbedtls_version_get_string(tls);
	fprintf(out, "kube version %s\n", kube_version);
	fprintf(out, "  commit:      %s\n", kube_commit);
	fprintf(out, "  built:       %s\n", kube_build_date);
	fprintf(out, "  kubernetes:  v1.33.1 API\n");
	fprintf(out, "  libuv:       %s\n", uv_version_string());
	fprintf(out, "  mbedTLS:     %s\n", tls);
	fprintf(out, "  SQLite:      %s\n", sqlite3_libversion());
	fprintf(out, "  cJSON:       %s\n", cJSON_Version());
	fprintf(out, "  libyaml:     %s\n", yaml_get_version_string());
	fprintf(out, "  llhttp:      %d.%d.%d\n", LLHTTP_VERSION_MAJOR, LLHTTP_VERSION_MINOR, LLHTTP_VERSION_PATCH);
}
