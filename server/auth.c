/*
 * auth.c - who is asking (authentication) and may they (authorization).
 *
 * Authentication: a client certificate signed by the cluster CA, verified by the TLS layer; the
 * user is its CN and the groups its O values, plus system:authenticated, as upstream's x509
 * authenticator does.
 *
 * Authorization: members of system:masters may do everything, as upstream's
 * AlwaysAllowGroups; every authenticated user may create self-reviews (upstream's
 * system:basic-user). Anything else is denied with upstream's Forbidden message.
 * TODO(issue 4): the Node authorizer for system:nodes; TODO(issue 7): RBAC.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int auth_authenticate(const struct http_request *hreq, struct api_user *user)
{
	const struct http_peer *p = hreq->peer;
	memset(user, 0, sizeof(*user));
	if (!p || !p->cn || !*p->cn)
		return -1;
	user->name = xstrdup(p->cn);
	user->groups = xcalloc(p->norgs + 1, sizeof(char *));
	for (size_t i = 0; i < p->norgs; i++)
		user->groups[user->ngroups++] = xstrdup(p->orgs[i]);
	user->groups[user->ngroups++] = xstrdup("system:authenticated");
	return 0;
}

void auth_user_release(struct api_user *user)
{
	for (size_t i = 0; i < user->ngroups; i++)
		free(user->groups[i]);
	free(user->groups);
	free(user->name);
	memset(user, 0, sizeof(*user));
}

static int in_group(const struct api_user *user, const char *group)
{
	for (size_t i = 0; i < user->ngroups; i++)
		if (!strcmp(user->groups[i], group))
			return 1;
	return 0;
}

/* What upstream's default system:basic-user binding grants every authenticated user: asking
 * who one is and what one may do. */
static int basic_user(const char *verb, const char *group, const char *resource)
{
	if (strcmp(verb, "create"))
		return 0;
	return (!strcmp(group, "authorization.k8s.io") &&
		(!strcmp(resource, "selfsubjectaccessreviews") || !strcmp(resource, "selfsubjectrulesreviews"))) ||
	       (!strcmp(group, "authentication.k8s.io") && !strcmp(resource, "selfsubjectreviews"));
}

int auth_allowed(const struct api_user *user, const char *verb, const char *group, const char *resource,
		 const char *sub, const char *ns, const char *name)
{
	UNUSED(sub);
	UNUSED(ns);
	UNUSED(name);
	return in_group(user, "system:masters") ||
	       (in_group(user, "system:authenticated") && basic_user(verb, group, resource));
}

int auth_authorize(const struct api_user *user, const char *verb, const struct kind *k, const char *sub,
		   const char *ns, const char *name, struct api_error *e)
{
	if (auth_allowed(user, verb, k->group, k->plural, sub, ns, name))
		return 1;
	struct buf res = BUF_INIT, msg = BUF_INIT;
	buf_adds(&res, k->plural);
	if (sub)
		buf_addf(&res, "/%s", sub);
	if (name)
		buf_addf(&msg, "%s \"%s\" is forbidden: ", k->qualified, name);
	else
		buf_addf(&msg, "%s is forbidden: ", k->qualified);
	buf_addf(&msg, "User \"%s\" cannot %s resource \"%s\" in API group \"%s\"", user->name, verb, res.data,
		 k->group);
	if (ns && *ns)
		buf_addf(&msg, " in the namespace \"%s\"", ns);
	else
		buf_adds(&msg, " at the cluster scope");
	api_error_set(e, 403, "Forbidden", "%s", msg.data);
	free(e->name);
	e->name = name ? xstrdup(name) : NULL;
	e->group = k->group;
	e->kind = k->plural;
	buf_release(&res);
	buf_release(&msg);
	return 0;
}
