"""Early-warning intake benchmark (issues 5 and 11): the API against PostgreSQL, gunicorn 2 workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiber_bench_incidents \\
        .venv/bin/python bench/incidents_intake.py [--before GIT-REF]

Prints, in one run:
1. the raw single-row INSERT rate of the same PostgreSQL (psycopg, autocommit; 1 and 50 connections);
2. the floor: a bare Django Ninja endpoint doing one INSERT (``bench/intake_server``, mounted only in this
   bench's server), 50 closed-loop clients: requests/s and CPU per request;
3. POST /api/v1/incidents/early-warnings (create incident + significance rule + frozen early warning +
   routing + 3 audit entries + idempotency key, one transaction), 50 closed-loop clients over 50
   organisations, then all 50 in ONE organisation (one audit chain, one organisation lock);
4. an open-loop run at a fixed offered rate (BENCH_RATE, 100 early warnings/s): latency from the moment
   each request was due (queueing included), p50/p99 and errors;
5. the table of rates, CPU per request of the server's processes and of PostgreSQL (the backends of this
   run's database only, from /proc) and the ratios to the floor, measured in the same run;
6. a crash test: SIGKILL the whole server mid-load, restart it, let the clients retry their
   unacknowledged requests with the same Idempotency-Key, then check that every acknowledged submission
   is in the database exactly once and verify the audit hash chains (`kiber audit verify`).

``--before REF`` runs 2–5 first for the code of REF (``git archive`` into /tmp, its own database and
migrations), so the table holds before and after from one run on the same machine load.

The server runs with KIBER_JOBS_BACKEND=off: deliveries are recorded as pending in the same
transaction and sent by the sweep, so the figures are those of the intake path itself.

The clients are asyncio coroutines on raw keep-alive HTTP/1.1 connections in one thread (no extra
dependency): on a 2-core machine a thread-per-client httpx generator would take CPU from the server under
test. BENCH_SECONDS (15), BENCH_CLIENTS (50), BENCH_THREADS (16 per worker), BENCH_RATE (100) and
BENCH_PORT change the run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kiber_bench_incidents")
PORT = int(os.environ.get("BENCH_PORT", "8791"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
DURATION = float(os.environ.get("BENCH_SECONDS", "15"))
THREADS = int(os.environ.get("BENCH_THREADS", "16"))
RATE = float(os.environ.get("BENCH_RATE", "100"))
BASE = f"http://127.0.0.1:{PORT}"
EARLY_WARNINGS = "/api/v1/incidents/early-warnings"
FLOOR = "/api/v1/bench/floor"


@dataclass
class Variant:
    """One code tree under test, with its own database."""

    name: str
    src: Path
    db_url: str

    @property
    def db_name(self) -> str:
        return self.db_url.rsplit("/", 1)[1]

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": f"{self.src}:{ROOT / 'bench'}",
            "DATABASE_URL": self.db_url,
            "DJANGO_SETTINGS_MODULE": "intake_server.settings",
            "KIBER_DEBUG": "0",
            "KIBER_JOBS_BACKEND": "off",
            "KIBER_INCIDENTS_BACKGROUND": "off",  # what trees before kiber.jobs read
            "KIBER_VAR_DIR": f"/tmp/kiber-bench-incidents-var-{self.name}",
            "KIBER_LOG_LEVEL": "ERROR",
            # Connections kept for the whole run: a backend that exits mid-phase would take its CPU time along.
            "KIBER_CONN_MAX_AGE": "3600",
        }

    def kiber(self, *args: str, **kwargs: object) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "kiber"), *args], env=self.env, **kwargs)  # type: ignore[call-overload]


def checkout(ref: str) -> Path:
    """The ``src`` tree of ``ref``, unpacked under /tmp (no worktree: the repository is left as it is); or
    ``ref``'s own ``src`` when it is a directory holding one (a tree unpacked earlier)."""
    if (Path(ref) / "src").is_dir():
        return Path(ref).resolve() / "src"
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", ref], check=True, capture_output=True, text=True)
    target = Path(f"/tmp/kiber-bench-{sha.stdout.strip()[:12]}")
    if not (target / "src").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", ref, "src"], stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(target)], stdin=archive.stdout, check=True)
        archive.wait()
    return target / "src"


def admin_url(db_url: str) -> str:
    return db_url.rsplit("/", 1)[0] + "/postgres"


def reset_database(variant: Variant) -> None:
    with psycopg.connect(admin_url(variant.db_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{variant.db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{variant.db_name}"')
    variant.kiber("migrate", "-v0", check=True)
    with psycopg.connect(variant.db_url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE bench_insert (id bigserial primary key, payload jsonb, at timestamptz default now())"
        )


SETUP = """
import json, sys
from decimal import Decimal
from kiber.registry.models import Organisation, User, ApiToken
keys = []
for i in range(int(sys.argv[1])):
    org = Organisation.objects.create(registration_number=str(50000000000 + i), name=f"SIA Mākonis {i}",
        legal_address="Rīga", email="x@example.lv", phone="+37100000000", sector="digital_infrastructure",
        employees=80, annual_turnover_eur=Decimal(8000000), balance_sheet_eur=Decimal(6000000),
        category="important", size="medium")
    user = User.objects.create_user(username=f"bench{i}", password=None, role="subject_user", organisation=org)
    keys.append(ApiToken.issue(user, "bench")[1])
print(json.dumps(keys))
"""


def create_clients(variant: Variant, n: int) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + SETUP, str(n)],
        env=variant.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_server(variant: Variant) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "kiber.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--backlog",
            "2048",
            "--log-level",
            "error",
        ],
        env=variant.env,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            httpx.get(BASE + "/healthz", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def kill_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def early_warning(key: str) -> dict:
    return {
        "incident": {
            "title": f"bench {key}",
            "detected_at": "2026-01-10T10:00:00+02:00",
            "type_codes": ["06"],
            "description": "Pilnīga nepieejamība 45 minūtes",
        },
        "significance": {"entity_type": "cloud", "facts": {"complete_unavailability_minutes": 45}},
        "answers": {"suspected_malicious": "no", "cross_border_impact": "unknown"},
    }


def floor_body(key: str) -> dict:
    return {"title": f"bench {key}"}


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def post(conn: Connection, path: str, token: str, key: str, payload: dict) -> int:
    """One request on a keep-alive connection; the status, or an exception when the connection broke."""
    reader, writer = conn
    data = json.dumps(payload).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    writer.write(head.encode() + data)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length, close = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "connection" and value.strip().lower() == "close":
            close = True
    await reader.readexactly(length)
    if close:
        raise ConnectionResetError("server closed the connection")
    return status


BROKEN = (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError)


@dataclass
class Load:
    """Closed loop: each client sends its next request when the last one was answered."""

    tokens: list[str]
    seconds: float
    path: str = EARLY_WARNINGS
    body: Callable[[str], dict] = early_warning
    retry: bool = False
    latencies: list[float] = field(default_factory=list)
    acked: list[str] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    async def client(self, token: str, stop_at: float) -> None:
        conn: Connection | None = None
        pending: str | None = None
        while time.monotonic() < stop_at or (self.retry and pending):
            key = pending or uuid.uuid4().hex
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = await asyncio.open_connection("127.0.0.1", PORT)
                ok = await asyncio.wait_for(post(conn, self.path, token, key, self.body(key)), 30) in (200, 201)
            except BROKEN:
                ok = False
                if conn is not None:
                    conn[1].close()
                conn = None
            if ok:
                self.latencies.append(time.perf_counter() - started)
                self.acked.append(key)
            else:
                self.errors += 1
                await asyncio.sleep(0.05)
            pending = None if ok else (key if self.retry else None)
        if conn is not None:
            conn[1].close()

    def run(self) -> Load:
        stop_at = time.monotonic() + self.seconds
        started = time.perf_counter()
        asyncio.run(self._gather(stop_at))
        self.elapsed = time.perf_counter() - started
        return self

    async def _gather(self, stop_at: float) -> None:
        await asyncio.gather(*(self.client(t, stop_at) for t in self.tokens))


@dataclass
class OpenLoad(Load):
    """Open loop: request i is due at start + i / rate whether or not earlier ones were answered; its latency
    runs from that moment, so time spent queueing in the load generator counts too."""

    rate: float = RATE

    def run(self) -> Load:
        started = time.perf_counter()
        asyncio.run(self._schedule())
        self.elapsed = time.perf_counter() - started
        return self

    async def _schedule(self) -> None:
        idle: list[Connection] = []
        start = time.perf_counter()
        tasks = []
        for i in range(int(self.rate * self.seconds)):
            due = start + i / self.rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(self._one(idle, self.tokens[i % len(self.tokens)], due)))
        await asyncio.gather(*tasks)
        for conn in idle:
            conn[1].close()

    async def _one(self, idle: list[Connection], token: str, due: float) -> None:
        key = uuid.uuid4().hex
        conn = idle.pop() if idle else None
        try:
            if conn is None:
                conn = await asyncio.open_connection("127.0.0.1", PORT)
            ok = await asyncio.wait_for(post(conn, self.path, token, key, self.body(key)), 30) in (200, 201)
        except BROKEN:
            ok = False
            if conn is not None:
                conn[1].close()
            conn = None
        if ok:
            self.latencies.append(time.perf_counter() - due)
            self.acked.append(key)
        else:
            self.errors += 1
        if conn is not None:
            idle.append(conn)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def cpu_seconds(server: subprocess.Popen, db_name: str) -> dict[str, float]:
    """CPU time used so far by the server's workers and by the PostgreSQL backends connected to ``db_name``
    (other agents' databases on the same server are not counted), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"server": 0.0, "postgres": 0.0}
    marker = f" {db_name} ".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            seconds = (int(fields[11]) + int(fields[12])) / tick
            if int(fields[2]) == server.pid or int(entry.name) == server.pid:
                used["server"] += seconds
            elif stat[stat.index("(") + 1 : stat.rindex(")")] == "postgres":
                if marker in (entry / "cmdline").read_bytes():
                    used["postgres"] += seconds
        except (OSError, ValueError):
            continue
    return used


def measured(server: subprocess.Popen, variant: Variant, load: Load) -> tuple[Load, dict[str, float]]:
    before = cpu_seconds(server, variant.db_name)
    load.run()
    after = cpu_seconds(server, variant.db_name)
    return load, {k: after[k] - before[k] for k in before}


@dataclass
class Row:
    label: str
    load: Load
    cpu: dict[str, float]

    @property
    def rate(self) -> float:
        return len(self.load.latencies) / self.load.elapsed

    def per_request(self, what: str) -> float:
        return self.cpu[what] / max(1, len(self.load.latencies)) * 1000


def print_table(rows: list[Row]) -> None:
    floors = {r.label.split(":")[0]: r for r in rows if r.label.endswith("floor (one INSERT)")}
    print()
    print(
        "| run | requests/s | p50 ms | p99 ms | errors | server CPU ms/req | PostgreSQL CPU ms/req "
        "| rate / floor | CPU / floor |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        floor = floors[r.label.split(":")[0]]
        floor_cpu = floor.per_request("server") + floor.per_request("postgres")
        cpu = r.per_request("server") + r.per_request("postgres")
        print(
            f"| {r.label} | {r.rate:.0f} | {pct(r.load.latencies, 0.5):.0f} | {pct(r.load.latencies, 0.99):.0f} | "
            f"{r.load.errors} | {r.per_request('server'):.2f} | {r.per_request('postgres'):.2f} | "
            f"{r.rate / floor.rate:.0%} | {cpu / floor_cpu:.1f}x |"
        )
    print()


def insert_rate(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        n, end = 0, time.monotonic() + 3
        while time.monotonic() < end:
            conn.execute("INSERT INTO bench_insert (payload) VALUES (%s)", ('{"a": 1}',))
            n += 1
    print(f"raw psycopg INSERT, 1 connection, autocommit: {n / 3:.0f} rows/s")
    counts = [0] * CLIENTS

    def worker(i: int) -> None:
        with psycopg.connect(db_url, autocommit=True) as conn:
            end = time.monotonic() + 3
            while time.monotonic() < end:
                conn.execute("INSERT INTO bench_insert (payload) VALUES (%s)", ('{"a": 1}',))
                counts[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"raw psycopg INSERT, {CLIENTS} connections, autocommit: {sum(counts) / 3:.0f} rows/s")


def count_exactly_once(variant: Variant, acked: list[str]) -> bool:
    with psycopg.connect(variant.db_url) as conn:
        rows = conn.execute(
            "SELECT i.title, count(r.id) FROM incidents_incident i LEFT JOIN incidents_report r "
            "ON r.incident_id = i.id AND r.stage = 'early_warning' WHERE i.title LIKE 'bench %%' GROUP BY i.title"
        ).fetchall()
    counts = {title[6:]: n for title, n in rows}
    missing = [k for k in acked if counts.get(k, 0) == 0]
    duplicated = [k for k in acked if counts.get(k, 0) > 1]
    once = sum(1 for k in acked if counts.get(k) == 1)
    print(
        f"crash test: {len(acked)} acknowledged; in the database exactly once: {once}; missing: {len(missing)}; "
        f"duplicated: {len(duplicated)}; incidents with more than one early warning overall: "
        f"{sum(1 for n in counts.values() if n > 1)}"
    )
    return not missing and not duplicated


def verify_audit_chain(variant: Variant) -> bool:
    """`kiber audit verify` over everything the runs (and the SIGKILL) left behind."""
    out = variant.kiber("audit", "verify", capture_output=True, text=True)
    result = json.loads(out.stdout)
    print(
        f"kiber audit verify: {result['checked']} entries checked, ok: {result['ok']}, "
        f"problems: {len(result['problems'])}"
    )
    return bool(result["ok"])


def measure(variant: Variant, tokens: list[str], server: subprocess.Popen) -> tuple[list[Row], list[str]]:
    Load(tokens[:4], 2).run()  # warm: imports, connections, caches
    Load(tokens[:4], 2, path=FLOOR, body=floor_body).run()
    rows = []
    for label, load in (
        ("floor (one INSERT)", Load(tokens, DURATION, path=FLOOR, body=floor_body)),
        (f"early warnings, {CLIENTS} organisations", Load(tokens, DURATION)),
        (f"early warnings, {CLIENTS} clients of one organisation", Load([tokens[0]] * CLIENTS, DURATION)),
        (f"early warnings, open loop {RATE:.0f}/s", OpenLoad(tokens, DURATION)),
    ):
        rows.append(Row(f"{variant.name}: {label}", *measured(server, variant, load)))
        print(f"  {rows[-1].label}: {rows[-1].rate:.0f}/s, errors {load.errors}", flush=True)
    return rows, [k for r in rows[1:] for k in r.load.acked]


def crash_test(variant: Variant, tokens: list[str], server: subprocess.Popen, acked: list[str]) -> bool:
    crash = Load(tokens, DURATION, retry=True)
    runner = threading.Thread(target=crash.run)
    runner.start()
    time.sleep(DURATION / 3)
    kill_server(server)
    print(f"SIGKILL sent to the server after {DURATION / 3:.0f} s of load")
    time.sleep(1.0)
    server = start_server(variant)
    print("server restarted; clients retry unacknowledged requests with the same Idempotency-Key")
    runner.join()
    kill_server(server)
    print(f"crash run: {len(crash.acked)} acknowledged, {crash.errors} failed attempts (retried)")
    return count_exactly_once(variant, crash.acked + acked) and verify_audit_chain(variant)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--before", metavar="GIT-REF", help="also measure the code of this commit (or directory with src/), first"
    )
    args = parser.parse_args()
    variants = [Variant("after" if args.before else "now", ROOT / "src", DB_URL)]
    if args.before:
        variants.insert(0, Variant("before", checkout(args.before), DB_URL + "_before"))
    print(f"PostgreSQL {DB_URL.rsplit('@', 1)[-1]}; {CLIENTS} clients; gunicorn 2 workers (gthread x{THREADS})")
    rows: list[Row] = []
    ok = True
    for variant in variants:
        print(f"{variant.name}: {variant.src}", flush=True)
        reset_database(variant)
        tokens = create_clients(variant, CLIENTS)
        if variant is variants[0]:
            insert_rate(variant.db_url)
        server = start_server(variant)
        try:
            measured_rows, acked = measure(variant, tokens, server)
        except BaseException:
            kill_server(server)
            raise
        rows += measured_rows
        if variant is variants[-1]:
            ok = crash_test(variant, tokens, server, acked)
        else:
            kill_server(server)
    print_table(rows)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
