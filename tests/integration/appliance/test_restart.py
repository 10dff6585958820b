"""A restarted ostd with the file backend serves the data written before the
restart (issue 5, test 5; DESIGN.md 8): objects written and synced (OST_SYNC)
through one ostd, that ostd stopped with SIGTERM, a new ostd started on the
same object directory (a new namespace, a new TAP): the bytes, the holes and
the sizes are all still there."""
import json

from conftest import OSTIO

MiB = 1 << 20

OBJECTS = {  # id: [(offset, size, seed)]
    5001: [(0, 4096, 1)],
    5002: [(0, 3 * MiB + 5, 2)],
    5003: [(17, 1000, 3), (8 * MiB, 4096, 4)],  # a hole in between
}


def file_store(tmp_path):
    directory = tmp_path / "objects"
    directory.mkdir()
    return directory, {"object_store": {"kind": "file", "directory": str(directory)}}


def test_data_survives_a_restart(appliance_factory, ostio_run, tmp_path):
    directory, extra = file_store(tmp_path)
    first = appliance_factory(extra=extra, tag="rsa")
    assert first.ostctl("show", "objects")["kind"] == "file"
    writer = ostio_run(first)
    for obj, extents in OBJECTS.items():
        for offset, size, seed in extents:
            writer.do(f"write {obj} {offset} {size} pattern {seed}")
        writer.do(f"fsync {obj}")  # flush (OST_WRITE) and OST_SYNC
    writer.quit()
    sizes = {obj: max(o + s for o, s, _ in extents) for obj, extents in OBJECTS.items()}
    listed = {o["id"]: o["size"] for o in first.ostctl("show", "objects")["objects"]}
    assert {obj: listed.get(obj) for obj in OBJECTS} == sizes, listed
    assert len([p for p in directory.rglob("*") if p.is_file()]) >= len(OBJECTS), list(directory.rglob("*"))

    down = first.down()  # SIGTERM
    assert down.returncode == 0, (down.stdout, down.stderr, first.log()[-2000:])
    assert not first.alive()

    second = appliance_factory(extra=extra, tag="rsb")
    assert second.pid != first.pid
    reader = ostio_run(second)
    for obj, extents in OBJECTS.items():
        assert reader.do(f"stat {obj}")["size"] == sizes[obj], obj
        for offset, size, seed in extents:
            doc = reader.do(f"read {obj} {offset} {size} verify {seed}")
            assert doc["bytes"] == size and doc["verified"], (obj, doc)
    hole = reader.do(f"read 5003 1017 {8 * MiB - 1017} verify zero")
    assert hole["bytes"] == 8 * MiB - 1017 and hole["verified"], hole
    # Negative control: the data is not some other pattern.
    assert reader.do("read 5002 0 4096 verify 1")["verified"] is False
    reader.quit()
    listed = {o["id"]: o["size"] for o in second.ostctl("show", "objects")["objects"]}
    assert {obj: listed.get(obj) for obj in OBJECTS} == sizes, listed


def test_memory_store_starts_empty(appliance_factory, ostio_run):
    """Control for the test above: the memory backend keeps nothing across a
    restart, so surviving data there comes from the file backend."""
    first = appliance_factory(tag="rsm")
    result = first.exec(OSTIO, "write", first.nid, 5100, "--size", 4096, "--pattern", 1, "--json")
    assert result.returncode == 0, result.stderr
    assert first.down().returncode == 0
    second = appliance_factory(tag="rsn")
    result = second.exec(OSTIO, "stat", second.nid, 5100, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["size"] == 0
    assert second.ostctl("show", "objects")["objects"] == []
