"""What a kubelet would run for a rendered container, as a local process: the
image's ENTRYPOINT (read from its Dockerfile, mapped to the binary CMake built)
with the container's args, `$(VAR)` references expanded from its env as
Kubernetes expands them, and each volume mount's path mapped to a host
directory (the PersistentVolume)."""

import os
import re

from chart import REPO


def entrypoint(dockerfile):
    """The ENTRYPOINT of images/<dockerfile> (exec form), e.g. ["/usr/local/bin/sluice-operator"]."""
    import json
    with open(os.path.join(REPO, "images", dockerfile)) as f:
        lines = [l for l in f if l.startswith("ENTRYPOINT ")]
    if len(lines) != 1:
        raise AssertionError(f"{dockerfile}: want exactly one ENTRYPOINT, found {len(lines)}")
    return json.loads(lines[0][len("ENTRYPOINT "):])


def expand(text, env):
    """Kubernetes' $(VAR) expansion: known names are replaced, $$ escapes, the rest stays."""
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                  lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), text)


def container_env(container, downward):
    """The container's env; downward-API values come from `downward` (fieldPath -> value)."""
    env = {}
    for e in container.get("env", []):
        if "value" in e:
            env[e["name"]] = expand(e["value"], env)
        elif "fieldRef" in e.get("valueFrom", {}):
            env[e["name"]] = downward[e["valueFrom"]["fieldRef"]["fieldPath"]]
        else:
            raise AssertionError(f"env {e['name']}: only values and fieldRefs are emulated")
    return env


def command(container, dockerfile, binary, downward, volumes):
    """argv and env for the container. volumes: {volume name: host dir}."""
    if "command" in container:
        raise AssertionError(f"container {container['name']} overrides the image's ENTRYPOINT")
    entry = entrypoint(dockerfile)
    if os.path.basename(entry[0]) != os.path.basename(binary):
        raise AssertionError(f"{dockerfile} runs {entry[0]}, not {binary}")
    env = container_env(container, downward)
    mounts = {m["mountPath"]: volumes[m["name"]] for m in container.get("volumeMounts", [])}

    def mapped(arg):
        for path, host in mounts.items():
            if arg == path or arg.startswith(path + "/"):
                return host + arg[len(path):]
        return arg

    argv = [binary, *entry[1:], *[mapped(expand(a, env)) for a in container.get("args", [])]]
    return argv, env
