"""ptlrpc through the real appliance: OST_CONNECT, OBD_PING, OST_DISCONNECT
from `ostio connect`, served by the control core and answered by the worker
that received them; exports and request portals as the CLI shows them."""
import json

from conftest import OSTCTL, OSTIO


def ostio_connect(appliance, *extra):
    result = appliance.exec(OSTIO, "connect", appliance.nid, "--json", *extra)
    doc = json.loads(result.stdout)
    return result, doc


def test_connect_ping_disconnect(appliance):
    result, doc = ostio_connect(appliance)
    assert result.returncode == 0, (doc, result.stderr, appliance.log())
    assert doc["connected"] and doc["pinged"] and doc["disconnected"], doc
    assert doc["errors"] == []
    assert int(doc["export_handle"], 16) != 0
    assert doc["connect_data"]["brw_size"] == 1 << 20
    assert doc["connect_data"]["version_text"] == "2.15.0.0"


def test_request_portals_are_lazy_wildcards_apart_from_ping(appliance):
    portals = {p["portal"]: p for w in appliance.ostctl("show", "portals")["workers"] for p in w["portals"]}
    assert portals[28]["kind"] == "wildcard" and portals[28]["lazy"], portals
    assert portals[17]["kind"] == "wildcard" and portals[17]["lazy"], portals
    assert portals[28]["entries"] >= 1 and portals[17]["entries"] >= 1, portals
    assert not portals[0]["lazy"] and portals[0]["entries"] == 1, portals  # the ping ME alone


def test_exports_come_and_go_and_requests_are_counted(appliance):
    before = appliance.ostctl("show", "exports")
    result, doc = ostio_connect(appliance)
    assert result.returncode == 0, doc
    after = appliance.ostctl("show", "exports")
    assert after["requests"] - before["requests"] == 3, (before, after)  # connect, ping, disconnect
    assert after["exports"] == before["exports"]  # disconnected again
    assert after["malformed"] == before["malformed"] == 0


def test_evicted_nid_is_reported_and_unknown_nid_refused(appliance):
    doc = appliance.ostctl("evict", appliance.client + "@tcp")
    assert doc == {"evicted": 0}, doc  # nobody connected right now
    result = appliance.exec(OSTCTL, "--socket", appliance.ctl, "evict", "nonsense")
    assert result.returncode == 1 and "not a NID" in result.stdout + result.stderr, result
