"""The lock service in the real appliance: LDLM_ENQUEUE/LDLM_CANCEL from
ostio's lock cache, glimpses from `ostio stat`, and the CLI's view
(`show ldlm namespaces`, `show locks`, `set ldlm expansion`)."""
import json

from conftest import OSTIO


def ostio_json(appliance, *args):
    result = appliance.exec(OSTIO, *args, "--json")
    assert result.returncode == 0, (args, result.stdout, result.stderr, appliance.log())
    return json.loads(result.stdout.strip().splitlines()[-1])


def namespace(appliance):
    return appliance.ostctl("show", "ldlm", "namespaces")["namespaces"][0]


def test_a_lock_is_granted_expanded_and_cancelled(appliance):
    before = namespace(appliance)
    doc = ostio_json(appliance, "locks", appliance.nid, "301", "--mode", "PW", "--offset", "0", "--size", "4096")
    after = namespace(appliance)
    assert after["grants"] - before["grants"] >= 1, (before, after, doc)
    assert after["cancels"] - before["cancels"] >= 1, (before, after)
    assert after["locks"] == 0, after  # cancelled, or released at disconnect
    assert appliance.ostctl("show", "locks", "301")["locks"] == []


def test_a_glimpse_reports_the_size_written(appliance):
    ostio_json(appliance, "write", appliance.nid, "302", "--offset", "0", "--size", "12345")
    doc = ostio_json(appliance, "stat", appliance.nid, "302")
    assert doc["size"] == 12345, doc
    assert appliance.ostctl("show", "locks", "302")["size"] == 12345


def test_expansion_can_be_switched_off(appliance):
    assert appliance.ostctl("set", "ldlm", "expansion", "off") == {"expansion": False}
    assert namespace(appliance)["expansion"] is False
    assert appliance.ostctl("set", "ldlm", "expansion", "on") == {"expansion": True}
