#!/usr/bin/env python3
"""What can be checked of images/*.Dockerfile without a Docker engine:
- the build stage installs scripts/setup.sh's build packages;
- the files it COPYs from the repository are enough for CMake to configure and
  to know the target (configured in a scratch copy of exactly those files);
- the binary the runtime stage COPYs is where the CMake build puts it, and is
  the ENTRYPOINT;
- the runtime packages exist in Debian (apt-cache show) and provide every
  shared library the built binary needs (readelf, dpkg -S), beyond those of
  debian:bookworm-slim itself;
- the non-root UID/GID are the chart's securityContext."""

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest

import chart

IMAGES = {"sidecar.Dockerfile": "sidecar/sluice-sidecar", "operator.Dockerfile": "operator/sluice-operator"}
# Packages of debian:bookworm-slim itself (apt and dpkg need them).
BASE = {"libc6", "libstdc++6", "libgcc-s1"}


def instructions(path):
    """(INSTRUCTION, text) pairs, continuation lines joined, comments dropped."""
    out, current = [], ""
    with open(path) as f:
        lines = f.readlines()
    for line in lines:
        if line.lstrip().startswith("#") and not current:
            continue
        current += line.rstrip("\n")
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip():
            word, _, rest = current.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
        current = ""
    return out


def stages(path):
    result, stage = [], None
    for word, rest in instructions(path):
        if word == "FROM":
            stage = {"from": rest, "steps": []}
            result.append(stage)
        else:
            stage["steps"].append((word, rest))
    return result


def apt_packages(run):
    words = shlex.split(run.replace("&&", " && "))
    i = words.index("install")
    pkgs = []
    for w in words[i + 1:]:
        if w == "&&":
            break
        if not w.startswith("-"):
            pkgs.append(w)
    return pkgs


def setup_build_packages():
    with open(os.path.join(chart.REPO, "scripts", "setup.sh")) as f:
        text = f.read()
    return shlex.split(re.search(r"build_pkgs=\(([^)]*)\)", text).group(1))


class ImagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rendered = chart.render()

    def test_images(self):
        for dockerfile, target in IMAGES.items():
            with self.subTest(dockerfile):
                self.check(dockerfile, target)

    def check(self, dockerfile, target):
        build, runtime = stages(os.path.join(chart.REPO, "images", dockerfile))
        self.assertEqual(build["from"], "debian:bookworm AS build")
        self.assertEqual(runtime["from"], "debian:bookworm-slim")

        # Build stage: setup.sh's packages, the COPYed sources configure, the target exists.
        runs = [r for w, r in build["steps"] if w == "RUN"]
        self.assertEqual(sorted(apt_packages(runs[0])), sorted(setup_build_packages()))
        copies = [shlex.split(r) for w, r in build["steps"] if w == "COPY"]
        with tempfile.TemporaryDirectory() as ctx:
            for *sources, dest in copies:
                for src in sources:
                    path = os.path.join(chart.REPO, src)
                    self.assertTrue(os.path.exists(path), f"{dockerfile}: COPY {src}: not in the repository")
                    to = os.path.join(ctx, dest.rstrip("/"), os.path.basename(src)) if dest.endswith("/") or \
                        dest == "./" else os.path.join(ctx, dest)
                    if os.path.isdir(path):
                        shutil.copytree(path, to, ignore=shutil.ignore_patterns("node_modules"))
                    else:
                        os.makedirs(os.path.dirname(to), exist_ok=True)
                        shutil.copy(path, to)
            r = subprocess.run(["cmake", "-S", ctx, "-B", os.path.join(ctx, "build"), "-G", "Ninja",
                                "-DCMAKE_BUILD_TYPE=Release"], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, f"{dockerfile}: CMake cannot configure the COPYed tree:\n{r.stderr}")
            targets = subprocess.run(["ninja", "-C", os.path.join(ctx, "build"), "-t", "targets", "all"],
                                     capture_output=True, text=True, check=True).stdout
            self.assertIn(f"{target}:", targets)
        self.assertIn(f"--target {os.path.basename(target)}", runs[-1])

        # Runtime stage: the built binary, at the ENTRYPOINT.
        steps = runtime["steps"]
        binary_copies = [shlex.split(r) for w, r in steps if w == "COPY"]
        self.assertEqual(len(binary_copies), 1)
        flag, src, dest = binary_copies[0]
        self.assertEqual(flag, "--from=build")
        self.assertEqual(src, f"/src/build/{target}")
        built = os.path.join(chart.BUILD, target)
        self.assertTrue(os.access(built, os.X_OK), f"{built} missing: the Dockerfile COPYs build/{target}")
        entry = [r for w, r in steps if w == "ENTRYPOINT"]
        self.assertEqual(entry, [f'["{dest}"]'])

        # Runtime packages: real Debian packages covering the binary's libraries.
        pkgs = apt_packages([r for w, r in steps if w == "RUN"][0])
        shown = subprocess.run(["apt-cache", "show", "--no-all-versions", *pkgs], capture_output=True, text=True).stdout
        found = set(re.findall(r"(?m)^Package: (\S+)", shown))
        self.assertEqual(sorted(set(pkgs) - found), [], f"{dockerfile}: not Debian packages (apt-get update first?)")
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]",
                            subprocess.run(["readelf", "-d", built], capture_output=True, text=True, check=True).stdout)
        self.assertTrue(needed)
        owners = subprocess.run(["dpkg", "-S", *[f"*/{lib}" for lib in needed]], capture_output=True,
                                text=True).stdout
        for lib in needed:
            providers = {line.split(":")[0] for line in owners.splitlines() if line.endswith("/" + lib)}
            self.assertTrue(providers & (set(pkgs) | BASE),
                            f"{dockerfile}: {lib} comes from {sorted(providers)}, none installed in the image")

        # The non-root user is the chart's.
        ids = re.search(r"--uid (\d+) --gid (\d+)", " ".join(r for w, r in steps if w == "RUN")).groups()
        user = [r for w, r in steps if w == "USER"]
        self.assertEqual(user, [f"{ids[0]}:{ids[1]}"])
        kind, name = ("StatefulSet", "sluice-runtime") if "sidecar" in dockerfile else ("Deployment", "sluice-operator")
        workload = chart.find(self.rendered, kind, name)
        sc = chart.container(workload)["securityContext"]
        self.assertEqual((str(sc["runAsUser"]), str(sc["runAsGroup"])), ids)
        self.assertEqual(str(workload["spec"]["template"]["spec"]["securityContext"]["fsGroup"]), ids[1])


if __name__ == "__main__":
    unittest.main(verbosity=2)
