/*
 * impersonate.c - acting as another user: the Impersonate-User and Impersonate-Group headers
 * (kubectl --as, --as-group), as upstream's impersonation filter.
 *
 * DESIGN
 * After authentication and before anything else, a request carrying Impersonate-User is checked
 * against the authenticated user's permissions (verb "impersonate" on core "users" NAME and
 * "groups" NAME for each group, through the one authorization decision, auth_allowed), then
 * served entirely as the impersonated user: its name, the groups asked for, and
 * system:authenticated, as upstream adds (a service account, impersonated through the
 * serviceaccounts resource of its namespace, gets its two service-account groups when no group
 * is asked for). Impersonate-Group without Impersonate-User is refused.
 * Uid and extra attributes are not impersonated (this server's users carry neither).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Refuses with a 403 in the words of upstream's impersonation filter. */
static int forbid(struct api_error *e, const struct api_user *user, const char *resource, const char *name)
{
	api_error_set(e, 403, "Forbidden",
		      "%s \"%s\" is forbidden: User \"%s\" cannot impersonate resource \"%s\" in API group \"\" at the cluster scope",
		      resource, name, user->name ? user->name : "", resource);
	e->kind = resource;
	free(e->name);
	e->name = xstrdup(name);
	return -1;
}

static void add_group(struct api_user *u, const char *g)
{
	for (size_t i = 0; i < u->ngroups; i++)
		if (!strcmp(u->groups[i], g))
			return;
	u->groups = xrealloc(u->groups, (u->ngroups + 1) * sizeof(*u->groups));
	u->groups[u->ngroups++] = xstrdup(g);
}

/* Checks that user may act as the user `as` and adds the groups a service account has when
 * none were asked for. A service account ("system:serviceaccount:NS:NAME") is impersonated
 * through the serviceaccounts resource of NS, any other user through users. */
static int may(struct server *srv, const struct api_user *user, const char *resource, const char *ns,
	       const char *name)
{
	return auth_allowed(srv, user, &(struct rbac_attrs){ .verb = "impersonate", .group = "", .resource = resource,
							   .ns = ns, .name = name });
}

static int impersonate_user(struct server *srv, const struct api_user *user, struct api_user *to, const char *as,
			    struct api_error *e)
{
	const char *sa = starts_with(as, "system:serviceaccount:") ? as + strlen("system:serviceaccount:") : NULL;
	const char *colon = sa ? strchr(sa, ':') : NULL;
	if (!colon || !*sa || !colon[1])
		return may(srv, user, "users", NULL, as) ? 0 : forbid(e, user, "users", as);
	char *ns = xstrndup(sa, (size_t)(colon - sa));
	int ok = may(srv, user, "serviceaccounts", ns, colon + 1);
	if (ok && !to->ngroups) {
		char *g = xasprintf("system:serviceaccounts:%s", ns);
		add_group(to, "system:serviceaccounts");
		add_group(to, g);
		free(g);
	}
	free(ns);
	return ok ? 0 : forbid(e, user, "serviceaccounts", colon + 1);
}

int impersonate(struct server *srv, const struct http_request *h, struct api_user *user, struct api_error *e)
{
	const char *as = http_header(h, "Impersonate-User");
	struct api_user to = { 0 };
	for (size_t i = 0; i < h->nheaders; i++) {
		if (strcasecmp(h->headers[i].name, "Impersonate-Group"))
			continue;
		if (!as) {
			api_error_set(e, 400, "BadRequest", "requested %s without impersonating a user", "groups");
			auth_user_release(&to);
			return -1;
		}
		if (!may(srv, user, "groups", NULL, h->headers[i].value)) {
			auth_user_release(&to);
			return forbid(e, user, "groups", h->headers[i].value);
		}
		add_group(&to, h->headers[i].value);
	}
	if (!as)
		return 0;
	if (impersonate_user(srv, user, &to, as, e) < 0) {
		auth_user_release(&to);
		return -1;
	}
	if (strcmp(as, "system:anonymous"))
		add_group(&to, "system:authenticated");
	to.name = xstrdup(as);
	auth_user_release(user);
	*user = to;
	return 0;
}
