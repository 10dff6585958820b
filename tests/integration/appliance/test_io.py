"""Object I/O through the real appliance, byte-exact (issue 5, test 1):
data written by one client (`ostio run`: PW lock, writeback cache, OST_WRITE
with bulk, OST_SYNC) is read back by *another* client (`ostio read`: PR
lock, OST_READ with bulk), so what is checked came from ostd's store and not
from the writer's cache. Sizes around the page and the 1 MiB BRW boundaries,
unaligned offsets, a 64 MiB transfer, holes read as zeros, and the object's
size after each."""
import json

import pytest

from conftest import OSTIO

MiB = 1 << 20


def ostio_json(appliance, *args, timeout=60):
    result = appliance.exec(OSTIO, *args, "--json", timeout=timeout)
    return result, (json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else None)


def read_back(appliance, obj, offset, size, seed, timeout=60):
    result, doc = ostio_json(appliance, "read", appliance.nid, obj, "--offset", offset, "--size", size,
                             "--verify-pattern", seed, timeout=timeout)
    assert doc is not None, (result.stdout, result.stderr, appliance.log()[-3000:])
    return result, doc


def size_of(appliance, obj):
    result, doc = ostio_json(appliance, "stat", appliance.nid, obj)
    assert result.returncode == 0, (result.stdout, result.stderr)
    return doc["size"]


CASES = [  # object, offset, size
    pytest.param(1001, 0, 1, id="1B"),
    pytest.param(1002, 0, 4095, id="4095B"),
    pytest.param(1003, 1, 4095, id="4095B-at-1"),
    pytest.param(1004, 12345, 4097, id="4097B-at-12345"),
    pytest.param(1005, 0, MiB + 1, id="1MiB+1"),
    pytest.param(1006, 4095, MiB + 1, id="1MiB+1-at-4095"),
    pytest.param(1007, 3 * MiB - 7, 2 * MiB + 13, id="2MiB+13-across-BRWs"),
]


@pytest.mark.parametrize("obj,offset,size", CASES)
def test_write_then_read_back_byte_exact(appliance, ostio_run, obj, offset, size):
    seed = obj * 7 + 3
    writer = ostio_run(appliance)
    doc = writer.do(f"write {obj} {offset} {size} pattern {seed}")
    assert doc["bytes"] == size, doc
    writer.do(f"fsync {obj}")
    writer.quit()

    result, doc = read_back(appliance, obj, offset, size, seed)
    assert result.returncode == 0 and doc["bytes"] == size and doc["verified"], (doc, result.stderr)
    assert size_of(appliance, obj) == offset + size
    # A negative control of the verification: another seed does not match.
    result, doc = read_back(appliance, obj, offset, size, seed + 1)
    assert result.returncode == 1 and doc["verified"] is False, doc
    assert doc["first_mismatch"] == offset or size < 8, doc


def test_read_across_the_end_is_short(appliance, ostio_run):
    obj, size = 1010, 10000
    writer = ostio_run(appliance)
    writer.do(f"write {obj} 0 {size} pattern 5")
    writer.do(f"fsync {obj}")
    writer.quit()
    result, doc = read_back(appliance, obj, size - 100, 4096, 5)
    assert result.returncode == 0 and doc["bytes"] == 100 and doc["verified"], doc
    result, doc = read_back(appliance, obj, size + 4096, 4096, 5)
    assert result.returncode == 0 and doc["bytes"] == 0, doc


def test_holes_read_as_zeros(appliance, ostio_run):
    obj = 1020
    writer = ostio_run(appliance)
    writer.do(f"write {obj} 0 4096 pattern 11")
    writer.do(f"write {obj} {10 * MiB} 4096 pattern 12")
    writer.do(f"fsync {obj}")
    writer.quit()

    reader = ostio_run(appliance)
    assert reader.do(f"stat {obj}")["size"] == 10 * MiB + 4096
    assert reader.do(f"read {obj} 0 4096 verify 11")["verified"]
    hole = reader.do(f"read {obj} 4096 {10 * MiB - 4096} verify zero", timeout=60)
    assert hole["bytes"] == 10 * MiB - 4096 and hole["verified"], hole
    assert reader.do(f"read {obj} {10 * MiB} 4096 verify 12")["verified"]
    # The whole object at once: data, hole, data.
    whole = reader.do(f"read {obj} 0 {10 * MiB + 4096}", timeout=60)
    assert whole["bytes"] == 10 * MiB + 4096, whole
    # Negative control: the written block is not zeros.
    assert reader.do(f"read {obj} {10 * MiB} 4096 verify zero")["verified"] is False
    reader.quit()
    listed = {o["id"]: o for o in appliance.ostctl("show", "objects")["objects"]}
    assert listed[obj]["size"] == 10 * MiB + 4096, listed.get(obj)


def test_overwrite_in_the_middle(appliance, ostio_run):
    obj = 1030
    writer = ostio_run(appliance)
    writer.do(f"write {obj} 0 {3 * MiB} pattern 21")
    writer.do(f"fsync {obj}")
    writer.do(f"write {obj} {MiB + 17} 1000 pattern 22")
    writer.do(f"fsync {obj}")
    writer.quit()
    for offset, size, seed in ((0, MiB + 17, 21), (MiB + 17, 1000, 22), (MiB + 1017, 2 * MiB - 1017, 21)):
        result, doc = read_back(appliance, obj, offset, size, seed)
        assert result.returncode == 0 and doc["verified"], (offset, size, seed, doc)
    assert size_of(appliance, obj) == 3 * MiB


def test_64_MiB_round_trip(appliance):
    obj, size = 1040, 64 * MiB
    result, doc = ostio_json(appliance, "write", appliance.nid, obj, "--size", size, "--pattern", 41, timeout=120)
    assert result.returncode == 0 and doc["bytes"] == size, (result.stdout, result.stderr)
    assert doc["write_rpcs"] >= 64, doc  # 1 MiB BRWs at most
    result, doc = read_back(appliance, obj, 0, size, 41, timeout=120)
    assert result.returncode == 0 and doc["bytes"] == size and doc["verified"], (doc, result.stderr)
    assert size_of(appliance, obj) == size
