"""Kubernetes RBAC evaluation, enough to check recorded requests against the
Roles and ClusterRoles a chart binds to a ServiceAccount: the same matching the
API server's RBAC authorizer does (apiGroups, resource[/subresource], verbs,
resourceNames; RoleBindings scope to their namespace; a list or watch with
fieldSelector=metadata.name=X carries the name X)."""

import urllib.parse

# Non-resource paths every authenticated user may GET (the default ClusterRoles
# system:discovery and system:public-info-viewer).
PUBLIC_PATHS = ("/version", "/version/", "/healthz", "/livez", "/readyz", "/api", "/apis", "/openapi")


class Grant:
    """One rule of one role, usable in `namespace` (None: every namespace)."""

    def __init__(self, role, namespace, rule):
        self.role = role
        self.namespace = namespace
        self.rule = rule

    def matches(self, req):
        r = self.rule
        if self.namespace is not None and req["namespace"] != self.namespace:
            return False
        if req["apiGroup"] not in r.get("apiGroups", []) and "*" not in r.get("apiGroups", []):
            return False
        if resource_of(req) not in r.get("resources", []) and "*" not in r.get("resources", []):
            return False
        if req["verb"] not in r["verbs"] and "*" not in r["verbs"]:
            return False
        names = r.get("resourceNames")
        return not names or name_of(req) in names

    def permissions(self):
        """(verb, apiGroup, resource) triples this rule grants."""
        return {(v, g, res) for v in self.rule["verbs"] for g in self.rule.get("apiGroups", [])
                for res in self.rule.get("resources", [])}


def resource_of(req):
    return req["resource"] + ("/" + req["subresource"] if req.get("subresource") else "")


def name_of(req):
    if req.get("name"):
        return req["name"]
    if req["verb"] in ("list", "watch"):
        query = urllib.parse.parse_qs(req.get("query", ""))
        for selector in query.get("fieldSelector", []):
            if selector.startswith("metadata.name="):
                return selector.split("=", 1)[1]
    return ""


def grants_for(docs, sa_namespace, sa_name):
    """Every rule bound to the ServiceAccount by the rendered objects."""
    roles = {(d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"]): d
             for d in docs if d.get("kind") in ("Role", "ClusterRole")}
    grants = []
    for b in docs:
        if b.get("kind") not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        if not any(s.get("kind") == "ServiceAccount" and s["name"] == sa_name and s.get("namespace") == sa_namespace
                   for s in b.get("subjects", [])):
            continue
        ns = b["metadata"].get("namespace") if b["kind"] == "RoleBinding" else None
        ref = b["roleRef"]
        role = roles.get((ref["kind"], ns if ref["kind"] == "Role" else None, ref["name"]))
        if role is None:
            raise AssertionError(f"{b['kind']} {b['metadata']['name']} refers to a missing {ref['kind']} {ref['name']}")
        for rule in role["rules"]:
            grants.append(Grant(f"{role['kind']} {role['metadata']['name']}", ns, rule))
    return grants


def describe(req):
    where = f" in {req['namespace']}" if req.get("namespace") else " (cluster)"
    name = name_of(req)
    return (f"{req['verb']} {req['apiGroup'] or 'core'}/{resource_of(req)}{' ' + name if name else ''}{where}"
            f"  [{req['method']} {req['path']}{'?' + req['query'] if req.get('query') else ''}]")


def check(requests, grants):
    """(denied requests, set of used (verb, group, resource) permissions)."""
    denied, used = [], set()
    for req in requests:
        if not req.get("resourceRequest"):
            if req["method"] != "GET" or not req["path"].startswith(PUBLIC_PATHS):
                denied.append(req)
            continue
        matching = [g for g in grants if g.matches(req)]
        if not matching:
            denied.append(req)
        for g in matching:
            used.add((req["verb"], req["apiGroup"], resource_of(req)))
    return denied, used
