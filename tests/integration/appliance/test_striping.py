"""A file striped over two ostd appliances in one namespace (client/layout.hpp,
client/striped_file.hpp, `ostd-netns up --join`): each appliance has its own
TAP interface, /24, file prefix and CLI socket. Several ostio processes write
one striped file at once; it reads back byte-exact through the layout, each
appliance's object holds exactly its stripes, and stat (one glimpse per
stripe) gives the file's size."""
import json
import subprocess

from conftest import COMMAND_TIMEOUT_S, OSTIO

STRIPE = 65536


def layout_args(apps):
    args = []
    for app in apps:
        args += ["--ost", app.nid]
    return args + ["--stripe-size", str(STRIPE)]


def file_to_objects(data, count):
    """The stripe objects' bytes for a file's bytes (RAID0, STRIPE-byte units)."""
    objects = [bytearray() for _ in range(count)]
    for unit, at in enumerate(range(0, len(data), STRIPE)):
        objects[unit % count] += data[at:at + STRIPE]
    return [bytes(o) for o in objects]


def ostio_json(app, *args, timeout=COMMAND_TIMEOUT_S):
    result = app.exec(OSTIO, *args, "--json", timeout=timeout)
    assert result.returncode == 0, (args, result.stdout, result.stderr, app.log()[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_appliances_share_one_namespace_each_on_its_own_interface(appliance_set):
    first, second = appliance_set(2)
    assert first.netns == second.netns
    assert first.iface != second.iface and first.address != second.address
    for app in (first, second):
        result, doc = app.ostio_ping_json("--count", "2")
        assert result.returncode == 0, (result.stdout, result.stderr)


def test_concurrent_writers_read_back_byte_exact_and_each_object_holds_its_stripes(appliance_set, tmp_path):
    apps = appliance_set(2)
    first = apps[0]
    obj, seed, clients, part = 300, 11, 4, 300_000  # parts straddle stripe units: neighbours' locks meet
    writers = [subprocess.Popen(first.netns_args(OSTIO, "write", *layout_args(apps), obj, "--offset", k * part,
                                                 "--size", part, "--pattern", seed, "--json"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for k in range(clients)]
    for k, writer in enumerate(writers):
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, (k, out, err)
        doc = json.loads(out.strip().splitlines()[-1])
        assert [s["ost"] for s in doc["layout"]["stripes"]] == [a.nid for a in apps], doc
    size = clients * part

    whole = tmp_path / "file.bin"
    doc = ostio_json(first, "read", *layout_args(apps), obj, "--size", size, "--verify-pattern", seed,
                     "--out", whole)
    assert doc["verified"] is True and doc["bytes"] == size, doc

    expected = file_to_objects(whole.read_bytes(), len(apps))
    for i, app in enumerate(apps):
        piece = tmp_path / f"object{i}.bin"
        doc = ostio_json(app, "read", app.nid, obj + i, "--size", size, "--out", piece)
        assert piece.read_bytes() == expected[i], f"appliance {i}'s object {obj + i} is not stripe {i}"

    stat = ostio_json(first, "stat", *layout_args(apps), obj)
    assert stat["size"] == size, stat
    assert stat["object_sizes"] == [len(e) for e in expected], stat


def test_stat_maps_each_stripes_object_size_back_to_the_file_size(appliance_set):
    apps = appliance_set(2)
    obj = 400
    # Ends 1000 bytes into file unit 3 (stripe 1's second unit): stripe 0's object is the shorter.
    ostio_json(apps[0], "write", *layout_args(apps), obj, "--offset", 0, "--size", 3 * STRIPE + 1000,
               "--pattern", 3)
    stat = ostio_json(apps[0], "stat", *layout_args(apps), obj)
    assert stat["object_sizes"] == [2 * STRIPE, STRIPE + 1000], stat
    assert stat["size"] == 3 * STRIPE + 1000, stat
    for i, app in enumerate(apps):  # each appliance knows only its object
        single = ostio_json(app, "stat", app.nid, obj + i)
        assert single["size"] == stat["object_sizes"][i], single


def test_lockahead_writers_over_two_appliances(appliance_set):
    apps = appliance_set(2)
    clients, blocks = 4, 24
    ctls = []
    for app in apps:
        ctls += ["--ctl", app.ctl]
    doc = ostio_json(apps[0], "bench", "strided", *layout_args(apps), "--clients", clients, "--block", "64K",
                     "--blocks-per-client", blocks, "--mode", "lockahead", "--batch", 8, "--object", 500, *ctls,
                     timeout=120)
    assert doc["verified"] is True and doc["size"] == clients * blocks * STRIPE, doc
    assert doc["lockahead_enabled"] is True, doc
    assert doc["client_blocking_asts"] == 0 and doc["client_waits"] == 0, doc
    assert doc["server"]["blocking_asts"] == 0, doc
    # Every block is one stripe unit: the lockahead locks (one per block)
    # went to the block's own appliance, half to each.
    assert doc["server"]["enqueues"] == clients * blocks, doc
    for i, app in enumerate(apps):
        single = ostio_json(app, "stat", app.nid, 500 + i)
        assert single["size"] == clients * blocks * STRIPE // 2, single


def test_lockahead_advice_is_cut_into_each_stripes_object_extents(appliance_set):
    apps = appliance_set(2)
    obj = 600
    doc = ostio_json(apps[0], "ladvise", *layout_args(apps), obj, "--advice", "lockahead", "--mode", "write",
                     "--async", "--extent", f"0:{STRIPE - 1}", "--extent", f"{STRIPE + STRIPE // 2}:{3 * STRIPE - 1}")
    assert [r["result"] for r in doc["results"]] == ["sent", "sent"], doc
    held = sorted((lock["object"], lock["start"], lock["end"]) for lock in doc["locks"])
    # File unit 0 is stripe 0's object unit 0; [1.5, 3) units are the second
    # half of stripe 1's unit 0 and stripe 0's unit 1.
    assert held == [(str(obj), 0, STRIPE - 1), (str(obj), STRIPE, 2 * STRIPE - 1),
                    (str(obj + 1), STRIPE // 2, STRIPE - 1)], doc
    assert all(lock["no_expand"] for lock in doc["locks"]), doc
