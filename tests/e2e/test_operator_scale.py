#!/usr/bin/env python3
"""The operator's figures (issue: 1,000 Queues applied at once are Ready within
30 s; operator RSS under 64 MiB with them; no status writes in steady state
beyond the depth refresh). Prints the measured figures.

  SLUICE_SCALE_QUEUES=1000 python3 tests/e2e/test_operator_scale.py"""

import os
import shutil
import tempfile
import time
import unittest

import cluster
from cluster import harness, wait_for

CRDS = os.path.join(cluster.REPO, "crds")
QUEUES = int(os.environ.get("SLUICE_SCALE_QUEUES", "1000"))


class OperatorScaleTest(unittest.TestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="sluice-e2e-")
        self.api = cluster.ApiServer(self.workdir)
        self.api.kubectl("apply", "-f", CRDS)
        self.sidecar = harness.Server(extra_args=["--account-per-namespace"]).start()

    def tearDown(self):
        if hasattr(self, "operator"):
            self.operator.stop()
        self.sidecar.kill9()
        self.api.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def ready_count(self):
        items = self.api.get_json("queues", "-n", "scale")["items"]
        return sum(1 for q in items for c in q.get("status", {}).get("conditions", [])
                   if c["type"] == "Ready" and c["status"] == "True")

    def test_many_queues_become_ready_quickly_and_stay_quiet(self):
        # A depth refresh far longer than the test: steady state means no writes at all.
        self.operator = cluster.Operator(self.workdir, self.api.kubeconfig, [self.sidecar.admin],
                                         status_refresh=300, resync=600)
        self.api.kubectl("apply", "-f", "-", input=cluster.namespace_yaml("scale"))
        manifest = "\n".join(cluster.queue_yaml(f"q{i:04d}", "scale", {"visibilityTimeout": 30 + i % 60})
                                    for i in range(QUEUES))
        started = time.time()
        self.api.kubectl("apply", "-f", "-", input=manifest, timeout=300)
        applied = time.time() - started
        wait_for(lambda: self.ready_count() == QUEUES, 120, f"{QUEUES} queues Ready", interval=0.5)
        all_ready = time.time() - started
        rss_mib = self.operator.rss_kib() / 1024
        # Steady state: no status writes while nothing changes.
        self.api.testing("DELETE", "/testing/requests")
        time.sleep(15)
        writes = [r for r in self.api.testing("GET", "/testing/requests")["items"]
                  if r["method"] in ("PUT", "PATCH", "POST", "DELETE") and r["resource"] == "queues"]
        print(f"\nfigures: {QUEUES} queues: kubectl apply {applied:.1f} s, all Ready {all_ready:.1f} s after the "
              f"apply started; operator RSS {rss_mib:.1f} MiB; queue writes in 15 s of steady state: {len(writes)}")
        self.assertLessEqual(all_ready, 30.0)
        self.assertLess(rss_mib, 64.0)
        self.assertEqual(writes, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
