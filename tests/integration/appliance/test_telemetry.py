"""rte_telemetry: dpdk-telemetry.py reads ostd's commands; and a stopped ostd
leaves no EAL runtime directory behind."""
import json
import subprocess
from pathlib import Path

from conftest import OSTIO

TELEMETRY = "/usr/bin/dpdk-telemetry.py"  # Debian dpdk-dev, installed by scripts/setup


def telemetry(appliance, command):
    prefix = appliance.config["eal"]["file_prefix"]
    result = subprocess.run(["/usr/bin/python3", TELEMETRY, "-f", prefix], input=command + "\n",
                            capture_output=True, text=True, timeout=30)
    line = next((l for l in result.stdout.splitlines() if l.startswith("{")), None)
    assert line, f"no answer to {command}: {result.stdout}\n{result.stderr}"
    return json.loads(line)[command]


def test_stats_and_ldlm_commands_answer_with_moving_counters(appliance_factory):
    appliance = appliance_factory(tag="tel")
    before = telemetry(appliance, "/ostd/ldlm")
    write = appliance.exec(OSTIO, "write", appliance.nid, "5", "--size", "4096")
    assert write.returncode == 0, write.stderr
    after = telemetry(appliance, "/ostd/ldlm")
    assert after["enqueues"] - before["enqueues"] >= 1, (before, after)
    assert after["cancels"] - before["cancels"] >= 1, (before, after)
    assert after["locks"] == 0 and after["evictions"] == 0, after
    stats = telemetry(appliance, "/ostd/stats")
    assert stats["lnet_messages"] > 0 and stats["workers"] == 1, stats
    portals = telemetry(appliance, "/ostd/portals")
    assert {0, 6, 17, 28} <= set(portals["portal"]), portals


def test_a_stopped_ostd_leaves_no_runtime_directory(appliance_factory):
    appliance = appliance_factory(tag="trd")
    runtime = Path("/var/run/dpdk") / appliance.config["eal"]["file_prefix"]
    assert runtime.is_dir()
    assert appliance.down().returncode == 0
    assert not runtime.exists(), sorted(p.name for p in runtime.iterdir())
