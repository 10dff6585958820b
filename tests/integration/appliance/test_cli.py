"""The CLI over the appliance's unix socket (ostctl): counters move with
traffic."""
import pytest

from conftest import OSTCTL, require_ostctl


def totals(stats):
    port = stats["port"]
    workers = stats["workers"]
    return {
        "rx_packets": port["rx_packets"],
        "tx_packets": port["tx_packets"],
        "lnet_messages": sum(w["lnet_messages"] for w in workers),
        "icmp_replies": sum(w["icmp_replies"] for w in workers),
    }


def test_port_stats_move_with_pings(appliance):
    require_ostctl()
    before = totals(appliance.ostctl("show", "port", "stats", "all"))
    result, doc = appliance.ostio_ping_json("--count", "10", "--timeout", "3000")
    assert doc["replied"] == 10, (doc, result.stderr)
    icmp = appliance.exec("ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", appliance.address)
    assert icmp.returncode == 0, icmp.stdout
    after = totals(appliance.ostctl("show", "port", "stats", "all"))
    assert after["lnet_messages"] - before["lnet_messages"] == 10, (before, after)
    assert after["icmp_replies"] - before["icmp_replies"] == 3, (before, after)
    assert after["rx_packets"] - before["rx_packets"] >= 13, (before, after)
    assert after["tx_packets"] - before["tx_packets"] >= 13, (before, after)


def test_lnet_stats_count_gets_and_replies(appliance):
    require_ostctl()
    def get_reply(stats):
        return (sum(w["received"]["get"] for w in stats["workers"]),
                sum(w["sent"]["reply"] for w in stats["workers"]))
    before = get_reply(appliance.ostctl("show", "lnet", "stats"))
    result, doc = appliance.ostio_ping_json("--count", "4", "--timeout", "3000")
    assert doc["replied"] == 4, (doc, result.stderr)
    after = get_reply(appliance.ostctl("show", "lnet", "stats"))
    assert (after[0] - before[0], after[1] - before[1]) == (4, 4), (before, after)


def test_text_output_and_unknown_command(appliance):
    require_ostctl()
    text = appliance.ostctl("show", "port", "stats", "all", as_json=False)
    assert "rx_packets" in text or "RX-packets" in text, text
    bad = appliance.exec(OSTCTL, "--socket", appliance.ctl, "show", "no", "such", "thing")
    assert bad.returncode != 0, bad.stdout
    assert "unknown command" in (bad.stdout + bad.stderr), bad.stdout + bad.stderr
    # The appliance still answers after a bad command.
    assert appliance.ostio_ping_json("--timeout", "3000")[1]["replied"] == 1
