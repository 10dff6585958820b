"""ostd's life: a clean stop on SIGTERM (and SIGINT), and two instances with
different file prefixes, interfaces, subnets and sockets side by side."""
import os
import signal

import pytest

from conftest import wait_for


def link_exists(app):
    return app.exec("ip", "link", "show", "dev", app.iface).returncode == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_clean_shutdown_on_signal(appliance_factory, signum):
    app = appliance_factory(tag="olc")
    assert link_exists(app)
    os.kill(app.pid, signum)
    assert wait_for(lambda: not app.alive(), timeout=20), f"ostd ignored {signum.name}:\n{app.log()}"
    log = app.log()
    assert "ostd: stopped cleanly" in log, log
    assert wait_for(lambda: "ostd-netns: ostd exit status" in app.log(), timeout=5), app.log()
    assert "ostd-netns: ostd exit status 0" in app.log(), app.log()
    # The TAP interface goes with the process.
    assert wait_for(lambda: not link_exists(app), timeout=5), app.exec("ip", "link").stdout
    # Its socket file is not left behind for the next instance to trip on.
    assert not os.path.exists(app.ctl), f"{app.ctl} left behind"
    assert app.down().returncode == 0, app.down_result.stderr


def test_down_stops_ostd_and_removes_namespace(appliance_factory):
    app = appliance_factory(tag="odn")
    down = app.down()
    assert down.returncode == 0, down.stderr
    assert "ostd exit status 0" in down.stderr, down.stderr
    assert not app.alive()
    assert "ostd: stopped cleanly" in app.log(), app.log()
    namespaces = app.exec("true")  # ip netns exec into a deleted namespace fails
    assert namespaces.returncode != 0, "namespace still exists"


def test_two_instances_side_by_side(appliance_factory):
    first = appliance_factory(subnet=0, tag="oa")
    second = appliance_factory(subnet=1, tag="ob")
    assert first.config["eal"]["file_prefix"] != second.config["eal"]["file_prefix"]
    assert (first.nid, second.nid) == ("10.77.0.1@tcp", "10.77.1.1@tcp")
    for app in (first, second):
        result, doc = app.ostio_ping_json("--count", "5", "--timeout", "3000")
        assert result.returncode == 0 and doc["replied"] == 5, (doc, result.stderr)
        assert [ni["nid"] for ni in doc["nis"]] == ["0@lo", app.nid], doc
    assert first.alive() and second.alive()
    # Stopping one leaves the other serving.
    assert first.down().returncode == 0, first.down_result.stderr
    result, doc = second.ostio_ping_json("--timeout", "3000")
    assert result.returncode == 0 and doc["replied"] == 1, (doc, result.stderr)


def test_up_fails_cleanly_on_a_bad_config(appliance_factory, tmp_path):
    """ostd-netns up with a config ostd refuses: non-zero exit, ostd's error
    printed, and no namespace or process left behind."""
    app = appliance_factory(start=False, tag="obad")
    app.config_path.write_text(app.config_path.read_text().replace("  memory_mb: 512", "  memory_mb: 512\n  bogus: 1"))
    from conftest import OSTD_NETNS, run
    result = run([OSTD_NETNS, "up", "--name", app.name, "--log", app.log_path, app.config_path], timeout=90)
    assert result.returncode != 0, result.stdout
    assert "eal.bogus: unknown key" in result.stderr, result.stderr
    assert app.name not in run(["ip", "netns", "list"]).stdout
