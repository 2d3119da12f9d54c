"""A small Kubernetes world for end-to-end tests: the Kubernetes API test server,
the real sluice-operator, real sluice-sidecar runtimes (via the integration
harness), and the real kubectl from scripts/install-kube-tools.sh.

Every process runs on free loopback ports and is stopped (its whole process
group) when the test ends, even when it fails."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))

import harness  # noqa: E402  (the sidecar's start/stop/kill -9)

REPO = harness.REPO
KUBECTL = os.path.join(REPO, ".cache", "kube-tools", "bin", "kubectl")
HELM = os.path.join(REPO, ".cache", "kube-tools", "bin", "helm")


def binary(env, default):
    path = os.environ.get(env, os.path.join(REPO, "build", default))
    if not os.path.exists(path):
        raise AssertionError(f"{path} not found: build it (scripts/build.sh) or set {env}")
    return path


def wait_for(predicate, timeout, what, interval=0.1):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class Process:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, args, log_path, env=None):
        self.args = args
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=env, preexec_fn=harness._die_with_parent)

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.alive():
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def output(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")


class ApiServer:
    def __init__(self, workdir, tls=False, extra=()):
        self.workdir = workdir
        self.kubeconfig = os.path.join(workdir, "kubeconfig")
        self.cache = tempfile.mkdtemp(prefix="kubectl-cache-", dir=workdir)
        args = [binary("SLUICE_TEST_APISERVER", "tests/k8s/sluice-test-apiserver"), "--port", "0",
                "--kubeconfig-out", self.kubeconfig, *extra]
        if tls:
            args.append("--tls")
        self.process = Process(args, os.path.join(workdir, "apiserver.log"))
        wait_for(lambda: os.path.exists(self.kubeconfig) and "http" in self.process.output(), 10,
                 "the API test server to start")
        self.url = self.process.output().splitlines()[0].strip()

    def kubectl(self, *args, input=None, check=True, timeout=60):
        if not os.path.exists(KUBECTL):
            raise AssertionError(f"{KUBECTL} missing: run scripts/setup.sh --test")
        cmd = [KUBECTL, "--kubeconfig", self.kubeconfig, "--cache-dir", self.cache, *args]
        r = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
        return r

    def get_json(self, *args):
        return json.loads(self.kubectl("get", *args, "-o", "json").stdout)

    def testing(self, method, path):
        """The server's test hooks (/testing/compact, /testing/requests)."""
        import urllib.request
        req = urllib.request.Request(self.url + path, method=method)
        token = None
        with open(self.kubeconfig) as f:
            for line in f:
                if "token:" in line:
                    token = line.split("token:")[1].strip().strip('"')
        if token:
            req.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(req, timeout=10, context=_insecure()) as resp:
            body = resp.read()
            return json.loads(body) if body else None

    def stop(self):
        return self.process.stop()


def _insecure():
    import ssl
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Operator:
    def __init__(self, workdir, kubeconfig, runtime_admin_urls, extra=(), name="operator", status_refresh=1,
                 resync=30):
        self.args = [binary("SLUICE_OPERATOR", "operator/sluice-operator"), "--kubeconfig", kubeconfig,
                     "--metrics-port", "0", "--status-refresh", str(status_refresh), "--watch-timeout", "20",
                     "--resync", str(resync), *[a for url in runtime_admin_urls for a in ("--runtime-url", url)],
                     *extra]
        self.log_path = os.path.join(workdir, name + ".log")
        self.process = None
        self.start()

    def start(self):
        self.process = Process(self.args, self.log_path)
        wait_for(lambda: "metrics and probes" in self.process.output() or not self.process.alive(), 10,
                 "the operator to start")
        if not self.process.alive():
            raise AssertionError("operator exited:\n" + self.process.output())

    def metrics_url(self):
        for line in self.process.output().splitlines():
            if "metrics and probes:" in line:
                port = line.rsplit(":", 1)[1].strip()
                return f"http://127.0.0.1:{port}"
        raise AssertionError("no metrics port in operator output")

    def rss_kib(self):
        with open(f"/proc/{self.process.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self, sig=signal.SIGTERM):
        return self.process.stop(sig)


def queue_yaml(name, namespace, spec=None):
    doc = {"apiVersion": "sluice.io/v1alpha1", "kind": "Queue",
           "metadata": {"name": name, "namespace": namespace}, "spec": spec or {}}
    return json.dumps(doc)


def namespace_yaml(name):
    return json.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
