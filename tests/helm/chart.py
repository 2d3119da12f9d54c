"""Shared helpers of the Helm chart tests: where the chart and the tools are,
helm with a private home, and rendered manifests as JSON (through
yaml2json.mjs, so no Python YAML library is needed)."""

import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CHART = os.path.join(REPO, "helm", "sluice")
CRDS = os.path.join(REPO, "crds")
EXAMPLES = os.path.join(REPO, "examples")
VALUES = os.path.join(HERE, "values")
TOOLS = os.path.join(REPO, ".cache", "kube-tools", "bin")
HELM = os.path.join(TOOLS, "helm")
KUBECTL = os.path.join(TOOLS, "kubectl")
NODE = os.environ.get("SLUICE_NODE", "node")
# The build the tests run the binaries of (CMake passes its own).
BUILD = os.environ.get("SLUICE_BUILD_DIR", os.path.join(REPO, "build"))

_home = tempfile.mkdtemp(prefix="sluice-helm-home-")


def require_tools():
    for tool in (HELM, KUBECTL):
        if not os.path.exists(tool):
            raise AssertionError(f"{tool} missing: run scripts/setup.sh --test")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "yaml")):
        raise AssertionError("tests/helm/node_modules missing: run scripts/setup.sh --test")


def helm(*args, check=True, timeout=120):
    env = dict(os.environ, HELM_CACHE_HOME=os.path.join(_home, "cache"),
               HELM_CONFIG_HOME=os.path.join(_home, "config"), HELM_DATA_HOME=os.path.join(_home, "data"))
    r = subprocess.run([HELM, *args], capture_output=True, text=True, env=env, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"helm {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def yaml_docs(text):
    r = subprocess.run([NODE, os.path.join(HERE, "yaml2json.mjs")], input=text, capture_output=True, text=True,
                       check=False)
    if r.returncode != 0:
        raise AssertionError("not YAML:\n" + r.stderr)
    return json.loads(r.stdout)


def values_args(*names):
    """-f arguments for value files under tests/helm/values/."""
    out = []
    for n in names:
        out += ["-f", os.path.join(VALUES, n)]
    return out


def render(*args, release="sluice", namespace="sluice-system"):
    """The chart rendered by `helm template`, as a list of objects."""
    return yaml_docs(helm("template", release, CHART, "-n", namespace, *args).stdout)


def find(docs, kind, name=None):
    found = [d for d in docs if d.get("kind") == kind and (name is None or d["metadata"]["name"] == name)]
    if not found:
        raise AssertionError(f"no {kind} {name or ''} in the rendered chart")
    return found[0] if name else found


def container(workload, name=None):
    containers = workload["spec"]["template"]["spec"]["containers"]
    return next(c for c in containers if name is None or c["name"] == name)
