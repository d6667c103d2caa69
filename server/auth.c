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
 * Nodes (group system:nodes, user system:node:NAME): a simplified form of upstream's Node
 * authorizer plus its system:node role (node_allowed below). TODO(issue 7): RBAC.
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

static int is_read(const char *verb)
{
	return !strcmp(verb, "get") || !strcmp(verb, "list") || !strcmp(verb, "watch");
}

static int one_of(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (!strcmp(s, *v))
			return 1;
	return 0;
}

/* What a kubelet (system:node:NODE in system:nodes) may do: read nodes and write its own Node
 * (create: any name, upstream's NodeRestriction checks more) and status; its Lease in
 * kube-node-lease; read pods and write their status, delete them; events; read what pods use
 * (configmaps, secrets, volume claims, services, endpoints, runtime classes) and request
 * service-account tokens. Differs from upstream: reads of secrets, configmaps and pods are not
 * limited to the pods bound to the node (upstream's graph). */
static int node_allowed(const char *node, const char *verb, const char *group, const char *resource, const char *sub,
			const char *ns, const char *name)
{
	static const char *const writes[] = { "create", "update", "patch", NULL };
	static const char *const reads[] = { "configmaps", "secrets", "persistentvolumeclaims", "persistentvolumes",
					     "services", "endpoints", "namespaces", NULL };
	int own = !name || !strcmp(name, node);
	if (!*group && !strcmp(resource, "nodes"))
		return (!sub && is_read(verb)) || (one_of(verb, writes) && own && (!sub || !strcmp(sub, "status")));
	if (!strcmp(group, "coordination.k8s.io") && !strcmp(resource, "leases"))
		return ns && !strcmp(ns, "kube-node-lease") && own && (is_read(verb) || one_of(verb, writes) || !strcmp(verb, "delete"));
	if (!*group && !strcmp(resource, "pods"))
		return (!sub && (is_read(verb) || !strcmp(verb, "delete"))) ||
		       (sub && !strcmp(sub, "status") && (!strcmp(verb, "update") || !strcmp(verb, "patch")));
	if ((!*group || !strcmp(group, "events.k8s.io")) && !strcmp(resource, "events"))
		return one_of(verb, writes);
	if (!*group && !strcmp(resource, "serviceaccounts") && sub && !strcmp(sub, "token"))
		return !strcmp(verb, "create");
	if (!*group && !sub && one_of(resource, reads))
		return is_read(verb);
	return !strcmp(group, "node.k8s.io") && !strcmp(resource, "runtimeclasses") && is_read(verb);
}

int auth_allowed(const struct api_user *user, const char *verb, const char *group, const char *resource,
		 const char *sub, const char *ns, const char *name)
{
	if (in_group(user, "system:masters") ||
	    (in_group(user, "system:authenticated") && basic_user(verb, group, resource)))
		return 1;
	return in_group(user, "system:nodes") && starts_with(user->name, "system:node:") &&
	       node_allowed(user->name + strlen("system:node:"), verb, group, resource, sub, ns, name);
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
