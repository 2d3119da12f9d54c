"""Starts the real sidecar binary for the integration tests and drives it.

Standard library only: the suites run under Debian's /usr/bin/python3 (boto3 1.26,
SQS over the query protocol) and under the pyenv python3 (boto3 1.43, JSON 1.0).

Environment:
  SLUICE_SIDECAR       path of the sidecar binary (default <repo>/build/sidecar/sluice-sidecar)
  SLUICE_TEST_TARGET   "sidecar" (default) or "moto": run against moto_server to debug the
                       tests themselves; sidecar-only features (admin port, metrics,
                       manifests, persistence) are then skipped.
"""

import atexit
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("SLUICE_TEST_TARGET", "sidecar")
ACCOUNT = "000000000000"
REGION = "us-east-1"
READY_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0
CREDENTIALS_ENV = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": REGION,
}

_live = set()  # servers still running; killed at exit whatever happened


def is_moto():
    return TARGET == "moto"


def sidecar_path():
    return os.environ.get("SLUICE_SIDECAR") or os.path.join(REPO, "build", "sidecar", "sluice-sidecar")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    # Own process group, so signals reach wrappers' children too (moto_server is a
    # pyenv shim); and never outlive a test runner killed by a CTest timeout.
    os.setsid()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _signal_group(proc, sig):
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def http_get(url, timeout=5.0):
    """Returns (status, body text); (None, reason) when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as e:
        return None, str(e)


class ServerError(AssertionError):
    pass


class Server:
    """One sidecar (or moto_server) process on free loopback ports.

    The data dir outlives stop()/kill9() so restart() finds the same state; close()
    removes it. Start and restart from the main thread only (the child is tied to the
    thread that forks it through PR_SET_PDEATHSIG).
    """

    def __init__(self, manifests=None, extra_args=(), data_dir=None):
        self.manifests = manifests
        self.extra_args = list(extra_args)
        self.tmp = tempfile.mkdtemp(prefix="sluice-it-")
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        os.makedirs(self.data_dir, exist_ok=True)
        self.port = free_port()
        self.admin_port = free_port()
        self.proc = None
        self.log_path = None
        self.starts = 0

    # -- addresses -------------------------------------------------------------
    @property
    def endpoint(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def admin(self):
        return "http://127.0.0.1:%d" % self.admin_port

    def queue_url(self, name):
        return "%s/%s/%s" % (self.endpoint, ACCOUNT, name)

    # -- life cycle ------------------------------------------------------------
    def command(self):
        if is_moto():
            return ["moto_server", "-H", "127.0.0.1", "-p", str(self.port)]
        cmd = [sidecar_path(), "--port", str(self.port), "--admin-port", str(self.admin_port),
               "--data-dir", self.data_dir, "--bind", "127.0.0.1"]
        if self.manifests:
            cmd += ["--manifests", self.manifests]
        return cmd + self.extra_args

    def spawn(self):
        """Starts the process without waiting for it to be ready."""
        if not is_moto() and not os.access(sidecar_path(), os.X_OK):
            raise ServerError("sidecar binary not found at %s (build target sluice-sidecar or set "
                              "SLUICE_SIDECAR)" % sidecar_path())
        self.starts += 1
        self.log_path = os.path.join(self.tmp, "server-%d.log" % self.starts)
        log = open(self.log_path, "wb")
        env = dict(os.environ, MOTO_ACCOUNT_ID=ACCOUNT) if is_moto() else None
        self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, env=env,
                                     stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        log.close()
        _live.add(self)
        return self.proc

    def start(self):
        self.spawn()
        self.wait_ready()
        return self

    def ready_url(self):
        return self.endpoint + "/moto-api/" if is_moto() else self.admin + "/readyz"

    def wait_ready(self, timeout=READY_TIMEOUT):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError("server exited with status %s before it was ready\n%s"
                                  % (self.proc.returncode, self.log()))
            status, body = http_get(self.ready_url(), timeout=1.0)
            if status == 200:
                return
            last = (status, body[:200])
            time.sleep(0.05)
        raise ServerError("server not ready after %.0f s (last /readyz: %r)\n%s" % (timeout, last, self.log()))

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _signal_group(self.proc, signal.SIGKILL)
            self.proc.wait()
            raise ServerError("server did not exit within %.0f s\n%s" % (timeout, self.log()))
        finally:
            _live.discard(self)

    def stop(self):
        """SIGTERM; the sidecar must exit 0 (moto's exit status is not our contract)."""
        if not self.running():
            return
        _signal_group(self.proc, signal.SIGTERM)
        rc = self.wait_exit(STOP_TIMEOUT)
        if rc != 0 and not is_moto():
            raise ServerError("sidecar exited with status %s on SIGTERM, expected 0\n%s" % (rc, self.log()))

    def kill9(self):
        if self.running():
            _signal_group(self.proc, signal.SIGKILL)
            self.proc.wait()
        _live.discard(self)

    def restart(self):
        """Starts again on the same ports and data dir after stop() or kill9()."""
        if self.running():
            raise ServerError("restart() while the server is still running")
        return self.start()

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def close(self):
        """Always safe: kills whatever still runs and removes the temp dir."""
        if self.running() or (self.proc is not None and is_moto()):
            _signal_group(self.proc, signal.SIGKILL)  # moto: also the python behind the pyenv shim
            self.proc.wait()
        _live.discard(self)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log(self, limit=20000):
        out = []
        for i in range(1, self.starts + 1):
            path = os.path.join(self.tmp, "server-%d.log" % i)
            try:
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8", "replace")
            except OSError:
                continue
            out.append("---- server log (start %d) ----\n%s" % (i, text[-limit:]))
        return "\n".join(out) or "(no server log)"

    # -- admin -------------------------------------------------------------------
    def metrics(self):
        """/metrics as {(name, frozenset(labels.items())): value}."""
        status, body = http_get(self.admin + "/metrics")
        if status != 200:
            raise ServerError("/metrics answered %s: %s" % (status, body[:300]))
        return parse_prometheus(body)


def parse_prometheus(text):
    samples = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        labels = {}
        name = head
        if "{" in head:
            name, _, rest = head.partition("{")
            rest = rest.rstrip("}")
            for part in _split_labels(rest):
                k, _, v = part.partition("=")
                labels[k.strip()] = v.strip().strip('"')
        try:
            samples[(name, frozenset(labels.items()))] = float(value)
        except ValueError:
            pass
    return samples


def _split_labels(s):
    parts, cur, quoted = [], "", False
    for ch in s:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return parts


def metric(samples, name, **labels):
    """The value of the one sample of `name` whose labels include `labels` (None if absent)."""
    want = set(labels.items())
    found = [v for (n, ls), v in samples.items() if n == name and want <= set(ls)]
    return found[0] if len(found) == 1 else (sum(found) if found else None)


@atexit.register
def _kill_leftovers():
    for server in list(_live):
        server.close()


# -- AWS clients ------------------------------------------------------------------

def boto3_client(endpoint, service="sqs", **config):
    """An SQS (or `service`) client with test credentials, no retries and no client-side
    validation, so every request reaches the server and every error is the server's."""
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test",
                                    region_name=REGION)
    cfg = dict(retries={"max_attempts": 0}, parameter_validation=False,
               connect_timeout=5, read_timeout=30)
    cfg.update(config)
    return session.client(service, endpoint_url=endpoint, config=Config(**cfg))


def client_env(extra=None):
    """The environment for CLI subprocesses: test credentials, no user config."""
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("AWS_"):
            del env[k]
    env.update(CREDENTIALS_ENV)
    env["AWS_CONFIG_FILE"] = os.devnull
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["AWS_PAGER"] = ""
    env.update(extra or {})
    return env


# -- unittest glue ------------------------------------------------------------------

class ServerTestCase(unittest.TestCase):
    """Starts one server per test class (override make_server for options)."""

    server = None

    @classmethod
    def make_server(cls):
        return Server()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = cls.make_server()
        cls.addClassCleanup(cls.server.close)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()  # a failing SIGTERM exit status fails the class
        super().tearDownClass()


def describe_runtime():
    return "python %s (%s), target %s" % (sys.version.split()[0], sys.executable, TARGET)
