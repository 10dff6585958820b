"""The strided writer (client/strided_writer.hpp, DESIGN.md 6) against the real
ostd, through `ostio bench strided --mode lockahead`: 3 processes write
alternate 64 KiB blocks of one object, 40 each; each locks ahead of its
I/O, so the writes never call each other's locks back, and the object
verifies. (The failure path -- advice refused, lockahead off, no-expand
kept -- is tested in tests/unit/client/strided_writer_test.cpp: the bench
refuses a batch over 1023 before it reaches the writer.)"""
import json

from conftest import OSTIO

CLIENTS, BLOCKS = 3, 40


def bench(appliance, mode, obj, *extra):
    result = appliance.exec(OSTIO, "bench", "strided", appliance.nid, "--clients", str(CLIENTS), "--block", "64K",
                            "--blocks-per-client", str(BLOCKS), "--mode", mode, "--object", str(obj), "--json",
                            *extra, timeout=120)
    assert result.returncode == 0, (result.stdout, result.stderr, appliance.log()[-2000:])
    doc = json.loads(result.stdout.strip().splitlines()[-1])
    assert doc["verified"] is True and doc["size"] == CLIENTS * BLOCKS * 65536, doc
    return doc


def test_lockahead_writers_do_not_call_each_other_back(appliance):
    doc = bench(appliance, "lockahead", 7001, "--batch", "16")
    assert doc["lockahead_enabled"] is True, doc
    assert doc["client_blocking_asts"] == 0 and doc["client_waits"] == 0, doc
    # Per client: the GROUP lock at open, then batches at blocks 0, 16 and 32
    # (16 extents each); every write found its lockahead lock.
    assert doc["client_enqueues"] == CLIENTS * (1 + 3 * 16), doc


def test_expanded_writers_do_call_each_other_back(appliance):
    """The baseline the lockahead run is measured against."""
    doc = bench(appliance, "expand", 7002)
    assert doc["client_blocking_asts"] > 0, doc

