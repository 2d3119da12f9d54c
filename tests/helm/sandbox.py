"""A private network and mount namespace for the install test, so the chart's
fixed ports (4566, 4567, 8080) and paths can be used exactly as the chart says,
without touching the host: the whole test re-runs itself under
`unshare --net --mount` (root, as in CI). Inside, loopback is brought up, a
tmpfs covers /run (= /var/run) for the service-account files, and /etc/hosts
is replaced (by a bind mount) with the cluster DNS names the test needs."""

import fcntl
import os
import socket
import struct
import subprocess
import sys
import tempfile

MARK = "SLUICE_HELM_SANDBOX"
SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def reexec_inside():
    """Runs this process again inside new namespaces; returns only when already inside."""
    if os.environ.get(MARK) == "1":
        return
    if os.geteuid() != 0:
        sys.exit("test_install.py needs root for `unshare --net --mount` (CI runs as root)")
    env = dict(os.environ, **{MARK: "1"})
    # --kill-child: a CTest timeout that kills unshare also kills the test.
    cmd = ["unshare", "--net", "--mount", "--fork", "--kill-child", sys.executable, *sys.argv]
    os.execvpe("unshare", cmd, env)


def setup():
    _loopback_up()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=0755,size=16m", "sluice-run", "/run"], check=True)
    os.makedirs(SA_DIR)


def _loopback_up():
    SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifreq = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s, SIOCGIFFLAGS, ifreq))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))


def set_hosts(names):
    """names: {dns name: ip}. Replaces /etc/hosts inside the namespace."""
    f = tempfile.NamedTemporaryFile("w", prefix="hosts-", delete=False)
    f.write("127.0.0.1 localhost\n")
    for name, ip in names.items():
        f.write(f"{ip} {name}\n")
    f.close()
    subprocess.run(["umount", "/etc/hosts"], capture_output=True)  # an earlier set_hosts
    subprocess.run(["mount", "--bind", f.name, "/etc/hosts"], check=True)


def write_service_account(token, ca_pem, namespace):
    for name, content in (("token", token), ("ca.crt", ca_pem), ("namespace", namespace)):
        with open(os.path.join(SA_DIR, name), "w") as f:
            f.write(content)
