"""A restarted ostd with the file backend serves the data written before the
restart (issue 5, test 5; DESIGN.md 8): objects written and synced (OST_SYNC)
through one ostd, that ostd stopped with SIGTERM, a new ostd started on the
same object directory (a new namespace, a new TAP): the bytes, the holes and
the sizes are all still there. The same after SIGKILL right after the
acknowledged OST_SYNC (issue 7), with strace showing that the sync really
fsync()ed the object's file while the client waited for the acknowledgement."""
import json
import os
import re
import signal
import subprocess
import time

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


SIZES = {obj: max(o + s for o, s, _ in extents) for obj, extents in OBJECTS.items()}


def write_and_sync(first, ostio_run, directory):
    """Writes OBJECTS through `first`, each followed by fsync (OST_WRITE, then
    OST_SYNC, acknowledged); returns the client, still connected."""
    assert first.ostctl("show", "objects")["kind"] == "file"
    writer = ostio_run(first)
    for obj, extents in OBJECTS.items():
        for offset, size, seed in extents:
            writer.do(f"write {obj} {offset} {size} pattern {seed}")
        writer.do(f"fsync {obj}")  # flush (OST_WRITE) and OST_SYNC
    listed = {o["id"]: o["size"] for o in first.ostctl("show", "objects")["objects"]}
    assert {obj: listed.get(obj) for obj in OBJECTS} == SIZES, listed
    assert len([p for p in directory.rglob("*") if p.is_file()]) >= len(OBJECTS), list(directory.rglob("*"))
    return writer


def test_data_survives_a_restart(appliance_factory, ostio_run, tmp_path):
    directory, extra = file_store(tmp_path)
    first = appliance_factory(extra=extra, tag="rsa")
    write_and_sync(first, ostio_run, directory).quit()

    down = first.down()  # SIGTERM
    assert down.returncode == 0, (down.stdout, down.stderr, first.log()[-2000:])
    assert not first.alive()
    serves_what_was_synced(appliance_factory, ostio_run, extra, first, tag="rsb")


def serves_what_was_synced(appliance_factory, ostio_run, extra, first, tag):
    """A new ostd on the same directory serves OBJECTS byte-exact."""
    sizes = SIZES
    second = appliance_factory(extra=extra, tag=tag)
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
    return second


def traced_fsyncs(pid, action):
    """Runs action() with strace attached to every thread of `pid`, tracing
    only fsync/fdatasync with file paths (-y); returns action's result and the
    trace lines."""
    tasks = sorted(os.listdir(f"/proc/{pid}/task"))
    args = ["strace", "-qq", "-y", "-e", "trace=fsync,fdatasync", "-e", "signal=none"]
    for task in tasks:
        args += ["-p", task]
    tracer = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)  # strace attaches to each thread in turn
        result = action()
    finally:
        tracer.send_signal(signal.SIGINT)  # detach
        _, trace = tracer.communicate(timeout=30)
    return result, trace.splitlines()


def test_synced_data_survives_sigkill(appliance_factory, ostio_run, tmp_path):
    """SIGKILL right after the OST_SYNC is acknowledged: no clean shutdown,
    nothing flushed on the way out. The sync fsync()ed the object's file
    (strace shows it, with a result of 0, while the client waited for the
    acknowledgement), and a new ostd serves the data."""
    directory, extra = file_store(tmp_path)
    first = appliance_factory(extra=extra, tag="rsk")
    writer = write_and_sync(first, ostio_run, directory)
    writer.do("write 5004 0 65536 pattern 9")
    synced, trace = traced_fsyncs(first.pid, lambda: writer.do("fsync 5004"))
    os.kill(first.pid, signal.SIGKILL)  # at once: the acknowledgement is in hand
    assert synced["ok"], synced
    name = f"{5004:016x}"  # objstore/fd_cache.cpp names a file by its id in hex
    on_object = [line for line in trace if re.search(rf"fsync\(\d+<[^>]*/{name}>\) += 0", line)]
    assert on_object, trace  # the object's own file, fsync()ed with success
    assert not [line for line in trace if "= -1" in line], trace

    first.down()  # removes the namespace; ostd is already dead
    assert not first.alive()
    second = serves_what_was_synced(appliance_factory, ostio_run, extra, first, tag="rsl")
    reader = ostio_run(second)
    doc = reader.do("read 5004 0 65536 verify 9")
    assert doc["bytes"] == 65536 and doc["verified"], doc
    reader.quit()


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
