"""Fixtures for the appliance integration tests: ostd in a private network
namespace made by scripts/ostd-netns, a config writer, and helpers to run
ostio/ostctl/tshark inside that namespace.

Every network test runs in a namespace it creates and removes; traffic only
goes to 10.77.x.y inside it. Every appliance started here is stopped by a
finalizer, even when the test fails.
"""
import itertools
import json
import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
SOURCE = Path(os.environ.get("OSTD_SOURCE", HERE.parents[2]))
BUILD = Path(os.environ.get("OSTD_BUILD", SOURCE / "build"))
OSTD_NETNS = SOURCE / "scripts" / "ostd-netns"
OSTD = BUILD / "control" / "ostd"
OSTIO = BUILD / "client" / "ostio"
OSTCTL = BUILD / "control" / "ostctl"
LNET_LUA = SOURCE / "tests" / "wire" / "lnet_udp.lua"

# Bounds: generous (2 shared cores) but finite.
UP_TIMEOUT_S = 45
COMMAND_TIMEOUT_S = 30

_serial = itertools.count()


def unique(tag):
    """A short name unique to this pytest process and call (for namespaces,
    file prefixes, interfaces: an interface name has at most 15 chars)."""
    return f"{tag}{os.getpid() % 100000}x{next(_serial)}"


def run(args, *, timeout=COMMAND_TIMEOUT_S, check=False, **kwargs):
    """subprocess.run with text output captured and a timeout."""
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout, check=check, **kwargs)


def write_config(directory, *, subnet=0, device=None, tag="oit", extra=None):
    """configs/tap.yaml with a unique file prefix, TAP interface and CLI
    socket (all under `directory`), the appliance at 10.77.<subnet>.1/24.
    `device` replaces port.device (e.g. a net_pcap vdev); `extra` is merged
    into the sections. Returns (path, config dict)."""
    config = yaml.safe_load((SOURCE / "configs" / "tap.yaml").read_text())
    name = unique(tag)
    config["eal"]["file_prefix"] = f"ostd-it-{name}"
    config["port"]["device"] = device or f"net_tap0,iface={name}"
    config["cli"]["socket"] = str(Path(directory) / f"{name}.sock")
    config["network"]["address"] = f"10.77.{subnet}.1"
    config["network"]["netmask"] = "255.255.255.0"
    config["network"]["allowed_networks"] = [f"10.77.{subnet}.0/24"]
    for section, values in (extra or {}).items():
        config.setdefault(section, {}).update(values)
    path = Path(directory) / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path, config


class Appliance:
    """One ostd in its namespace, as `scripts/ostd-netns up` reported it."""

    def __init__(self, config_path, config, log_path, join=None):
        self.join = join  # another appliance's namespace to run in (ostd-netns up --join)
        self.config_path = Path(config_path)
        self.config = config
        self.name = unique("ostd-it-")
        self.log_path = Path(log_path)
        self.info = {}
        self.down_result = None

    # -- life --------------------------------------------------------------
    def up(self):
        join = ["--join", self.join] if self.join else []
        result = run([OSTD_NETNS, "up", "--name", self.name, *join, "--log", self.log_path,
                      "--timeout", UP_TIMEOUT_S, self.config_path], timeout=UP_TIMEOUT_S + 30)
        if result.returncode != 0:
            pytest.fail(f"ostd-netns up failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        for line in result.stdout.splitlines():
            key, _, value = line.partition("=")
            words = shlex.split(value)
            self.info[key] = words[0] if words else ""
        for key in ("NETNS", "NID", "OSTD_PID", "CTL", "LOG"):
            assert key in self.info, f"ostd-netns up printed no {key}=: {result.stdout!r}"
        assert self.info["NETNS"] == (self.join or self.name)
        return self

    def down(self):
        """Stops ostd and deletes the namespace (once). Returns the
        CompletedProcess of `ostd-netns down`."""
        if self.down_result is None:
            self.down_result = run([OSTD_NETNS, "down", self.name], timeout=60)
        return self.down_result

    def alive(self):
        try:
            os.kill(self.pid, 0)
            return True
        except ProcessLookupError:
            return False

    @property
    def netns(self):
        return self.info["NETNS"]

    @property
    def nid(self):
        return self.info["NID"]

    @property
    def pid(self):
        return int(self.info["OSTD_PID"])

    @property
    def address(self):
        return self.info["ADDRESS"]

    @property
    def iface(self):
        return self.info["IFACE"]

    @property
    def client(self):
        return self.info["CLIENT"]

    @property
    def ctl(self):
        return self.info["CTL"]

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    # -- commands inside the namespace ---------------------------------------
    def netns_args(self, *args):
        return ["ip", "netns", "exec", self.netns, *[str(a) for a in args]]

    def exec(self, *args, timeout=COMMAND_TIMEOUT_S):
        return run(self.netns_args(*args), timeout=timeout)

    def ostio_ping(self, *extra, nid=None, timeout=COMMAND_TIMEOUT_S):
        return self.exec(OSTIO, "ping", nid or self.nid, *extra, timeout=timeout)

    def ostio_ping_json(self, *extra, nid=None):
        result = self.ostio_ping("--json", *extra, nid=nid)
        try:
            doc = json.loads(result.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"ostio ping --json printed no JSON (exit {result.returncode}):\n"
                        f"{result.stdout}\n{result.stderr}\n--- ostd log ---\n{self.log()}")
        return result, doc

    def ostctl(self, *words, as_json=True):
        """`ostctl --socket CTL [--json] WORDS...`; the JSON document or text."""
        require_ostctl()
        args = [OSTCTL, "--socket", self.ctl] + (["--json"] if as_json else []) + list(words)
        for _ in range(3):
            result = self.exec(*args)
            # Rarely, under tight polling, the CLI drops a connection before reading it (seen as
            # "no answer ... Broken pipe"): the command never ran, so asking again is safe.
            if result.returncode == 0 or "Broken pipe" not in result.stderr:
                break
        assert result.returncode == 0, f"{' '.join(map(str, args))} failed ({result.returncode}):\n" \
                                       f"{result.stdout}\n{result.stderr}"
        return json.loads(result.stdout) if as_json else result.stdout


def require_ostctl():
    if not OSTCTL.exists():
        pytest.skip(f"{OSTCTL} is not built yet (the ostctl CLI is being written): "
                    "the counter assertions run once it lands")


def lnet_drops(stats):
    """From `ostctl --json show lnet stats` ({"workers": [{"drops": {reason: n},
    "net_drops": {reason: n}, ...}]}): {reason: n} summed over the workers,
    LNET (DropReason) and network (NetDrop) reasons together."""
    totals = {}
    workers = stats["workers"]
    assert workers, stats
    for worker in workers:
        for section in ("drops", "net_drops"):
            for reason, count in worker[section].items():
                totals[reason] = totals.get(reason, 0) + count
    return totals


@pytest.fixture(scope="session", autouse=True)
def _prerequisites():
    missing = [str(p) for p in (OSTD, OSTIO, OSTD_NETNS) if not Path(p).exists()]
    assert not missing, f"not built or missing: {missing} (meson compile -C {BUILD})"
    assert os.geteuid() == 0, "the appliance tests create network namespaces: run them as root"
    for tool in ("ip", "ping", "tshark", "dumpcap"):
        assert shutil.which(tool), f"{tool} is not installed (scripts/setup installs it)"


@pytest.fixture
def appliance_factory(tmp_path):
    """make(subnet=0, device=None, extra=None, start=True, join=None) ->
    Appliance; all are brought down when the test ends, passed or not, the
    last made first (an appliance that joined a namespace before its maker)."""
    made = []

    def make(*, subnet=0, device=None, extra=None, start=True, tag="oit", join=None):
        path, config = write_config(tmp_path, subnet=subnet, device=device, extra=extra, tag=tag)
        app = Appliance(path, config, tmp_path / f"{path.stem}.log", join=join)
        made.append(app)
        return app.up() if start else app

    yield make
    for app in reversed(made):
        if app.info:
            app.down()


@pytest.fixture
def appliance_set(appliance_factory):
    """make(count, extra=None) -> [Appliance]: `count` ostd instances in ONE
    namespace (the first makes it, the others join it), appliance i at
    10.77.<i+1>.1/24 on its own TAP interface, with its own file prefix and
    CLI socket. A client in the namespace reaches each by its connected route."""
    def make(count, *, extra=None):
        first = appliance_factory(subnet=1, extra=extra, tag="ost")
        return [first] + [appliance_factory(subnet=i + 1, extra=extra, tag="ost", join=first.netns)
                          for i in range(1, count)]
    return make


@pytest.fixture(scope="module")
def appliance(tmp_path_factory):
    """One TAP appliance shared by the tests of a module."""
    directory = tmp_path_factory.mktemp("appliance")
    path, config = write_config(directory)
    app = Appliance(path, config, directory / "ostd.log")
    try:
        app.up()
        yield app
    finally:
        if app.info:
            app.down()


def wait_for(predicate, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


class OstioRun:
    """One `ostio run NID --json` client inside the appliance's namespace,
    driven line by line: `do("write 7 0 4096")` sends a command and returns
    its JSON result. The client (connection, locks, writeback cache) lives
    across commands and serves ASTs between them. Killed at close()."""

    def __init__(self, appliance, *extra):
        import queue
        import threading
        self.appliance = appliance
        self.process = subprocess.Popen(
            appliance.netns_args(OSTIO, "run", appliance.nid, "--json", *extra),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self._lines = queue.Queue()
        self._stderr = []
        threading.Thread(target=self._pump, args=(self.process.stdout, self._lines.put, True), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, self._stderr.append, False),
                         daemon=True).start()

    @staticmethod
    def _pump(stream, sink, mark_end):
        for line in iter(stream.readline, ""):
            sink(line)
        if mark_end:
            sink(None)  # end of output: result() reports the exit

    def send(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def result(self, timeout=COMMAND_TIMEOUT_S):
        """The next result line (a dict); fails the test on timeout or exit."""
        import queue
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"ostio run gave no result in {timeout} s; stderr: {''.join(self._stderr)}")
        if line is None:
            pytest.fail(f"ostio run exited ({self.process.wait(timeout=5)}); stderr: {''.join(self._stderr)}")
        return json.loads(line)

    def do(self, line, timeout=COMMAND_TIMEOUT_S, ok=True):
        self.send(line)
        doc = self.result(timeout)
        if ok:
            assert doc["ok"], (line, doc, "".join(self._stderr))
        return doc

    def stderr(self):
        return "".join(self._stderr)

    def quit(self, timeout=COMMAND_TIMEOUT_S):
        """Sends quit (flush, cancel, disconnect) and waits for the exit code."""
        doc = self.do("quit", timeout=timeout)
        self.process.stdin.close()
        return doc, self.process.wait(timeout=timeout)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)

    def close(self):
        self.kill()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                stream.close()
            except OSError:
                pass


@pytest.fixture
def ostio_run():
    """make(appliance, *extra) -> OstioRun; every one is killed at the end."""
    made = []

    def make(appliance, *extra):
        client = OstioRun(appliance, *extra)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
