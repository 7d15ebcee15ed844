"""Early-warning intake benchmark (issue 5): API against PostgreSQL, 50 concurrent clients, gunicorn 2 workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiber_bench_incidents .venv/bin/python bench/incidents_intake.py

Prints, in one run:
1. the raw single-row INSERT rate of the same PostgreSQL (psycopg, autocommit; 1 and 50 connections);
2. throughput and p50/p99 of POST /api/v1/incidents/early-warnings (create incident + significance rule +
   frozen early warning + routing + 3 audit entries, one transaction) with 50 clients spread over 50
   organisations, and with all 50 clients in ONE organisation (the audit chain's ChainHead row lock
   serialises writes per organisation: this measures whether it limits intake);
3. a crash test: SIGKILL the whole server mid-load, restart it, let the clients retry their unacknowledged
   requests with the same Idempotency-Key, then count that every acknowledged submission is in the
   database exactly once, and verify the audit log's hash chains (`kiber audit verify`).

The server runs with KIBER_JOBS_BACKEND=off: deliveries are recorded as pending in the same
transaction and sent by the sweep, so the figures are those of the intake path itself.

The clients are asyncio coroutines on raw keep-alive HTTP/1.1 connections in one thread (no extra
dependency): on a 2-core machine a thread-per-client httpx generator would take CPU from the server under
test. Each load phase also prints the CPU time per early warning used by the server's processes,
PostgreSQL's processes, this script and everything else on the machine (from /proc), so a shortfall can be
attributed. BENCH_SECONDS (15), BENCH_CLIENTS (50), BENCH_THREADS (16 per worker) and BENCH_PORT change
the run.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kiber_bench_incidents")
PORT = int(os.environ.get("BENCH_PORT", "8791"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
DURATION = float(os.environ.get("BENCH_SECONDS", "15"))
THREADS = int(os.environ.get("BENCH_THREADS", "16"))
BASE = f"http://127.0.0.1:{PORT}"
PATH = "/api/v1/incidents/early-warnings"
ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DJANGO_SETTINGS_MODULE": "kiber.settings",
    "KIBER_DEBUG": "0",
    "KIBER_JOBS_BACKEND": "off",
    "KIBER_VAR_DIR": "/tmp/kiber-bench-incidents-var",
    "KIBER_LOG_LEVEL": "ERROR",
}


def admin_url() -> str:
    return DB_URL.rsplit("/", 1)[0] + "/postgres"


def reset_database() -> None:
    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([str(ROOT / ".venv/bin/kiber"), "migrate", "-v0"], env=ENV, check=True)


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


def create_clients(n: int) -> list[str]:
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", "import django; django.setup()\n" + SETUP, str(n)],
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_server() -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
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
        env=ENV,
        start_new_session=True,
    )
    for _ in range(200):
        try:
            httpx.get(BASE + "/login/", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def kill_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def body(key: str) -> dict:
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


class Load:
    """Clients as asyncio coroutines on raw keep-alive HTTP/1.1 connections: a thread-per-client httpx load
    generator costs more CPU per request than the server's intake path on this 2-core machine."""

    def __init__(self, tokens: list[str], seconds: float, retry: bool = False) -> None:
        self.tokens, self.seconds, self.retry = tokens, seconds, retry
        self.latencies: list[float] = []
        self.acked: list[str] = []
        self.errors = 0
        self.stop_at = 0.0

    @staticmethod
    async def _post(conn: tuple[asyncio.StreamReader, asyncio.StreamWriter], token: str, key: str) -> bool:
        reader, writer = conn
        payload = json.dumps(body(key)).encode()
        head = (
            f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        writer.write(head.encode() + payload)
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
        return status == 201

    async def client(self, token: str) -> None:
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        pending: str | None = None
        while time.monotonic() < self.stop_at or (self.retry and pending):
            key = pending or uuid.uuid4().hex
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = await asyncio.open_connection("127.0.0.1", PORT)
                ok = await asyncio.wait_for(self._post(conn, token, key), 30)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                ok = False
                if conn is not None:
                    conn[1].close()
                conn = None
            elapsed = time.perf_counter() - started
            if ok:
                self.latencies.append(elapsed)
                self.acked.append(key)
            else:
                self.errors += 1
            pending = None if ok else (key if self.retry else None)
            if not ok:
                await asyncio.sleep(0.05)
        if conn is not None:
            conn[1].close()

    async def _run(self) -> None:
        await asyncio.gather(*(self.client(t) for t in self.tokens))

    def run(self) -> float:
        self.stop_at = time.monotonic() + self.seconds
        started = time.perf_counter()
        asyncio.run(self._run())
        return time.perf_counter() - started


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def cpu_seconds(server: subprocess.Popen) -> dict[str, float]:
    """CPU time used so far by the server's processes, PostgreSQL's processes and this script, and the
    machine's idle time (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"server": 0.0, "postgres": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if int(fields[2]) == server.pid:
            used["server"] += seconds
        elif comm == "postgres":
            used["postgres"] += seconds
    own = os.times()
    used["load generator"] = own.user + own.system
    used["idle"] = float(Path("/proc/stat").read_text().split()[4]) / tick
    return used


def report(label: str, load: Load, elapsed: float, cpu: dict[str, float] | None = None) -> None:
    n = len(load.latencies)
    print(
        f"{label}: {n} early warnings in {elapsed:.1f} s = {n / elapsed:.0f}/s; "
        f"p50 {pct(load.latencies, 0.5):.0f} ms, p99 {pct(load.latencies, 0.99):.0f} ms, "
        f"mean {statistics.fmean(load.latencies) * 1000 if n else 0:.0f} ms; errors {load.errors}"
    )
    if cpu and n:
        total = (os.cpu_count() or 1) * elapsed
        cpu = {**cpu, "other processes": total - sum(cpu.values())}
        print(
            "  CPU per early warning: "
            + ", ".join(f"{k} {v / n * 1000:.1f} ms" for k, v in cpu.items())
            + f" (of {total:.0f} CPU-seconds: {os.cpu_count()} CPUs x {elapsed:.1f} s)"
        )


def measured(server: subprocess.Popen, load: Load) -> tuple[float, dict[str, float]]:
    before = cpu_seconds(server)
    elapsed = load.run()
    after = cpu_seconds(server)
    return elapsed, {k: after[k] - before[k] for k in before}


def insert_rate() -> None:
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        conn.execute(
            "DROP TABLE IF EXISTS bench_insert; CREATE TABLE bench_insert (id bigserial primary key, "
            "payload jsonb, at timestamptz default now())"
        )
        n, end = 0, time.monotonic() + 3
        while time.monotonic() < end:
            conn.execute("INSERT INTO bench_insert (payload) VALUES (%s)", ('{"a": 1}',))
            n += 1
    print(f"raw INSERT, 1 connection, autocommit: {n / 3:.0f} rows/s")
    counts = [0] * CLIENTS

    def worker(i: int) -> None:
        with psycopg.connect(DB_URL, autocommit=True) as conn:
            end = time.monotonic() + 3
            while time.monotonic() < end:
                conn.execute("INSERT INTO bench_insert (payload) VALUES (%s)", ('{"a": 1}',))
                counts[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"raw INSERT, {CLIENTS} connections, autocommit: {sum(counts) / 3:.0f} rows/s")


def count_exactly_once(acked: list[str]) -> None:
    with psycopg.connect(DB_URL) as conn:
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
    if missing or duplicated:
        sys.exit(1)


def verify_audit_chain() -> None:
    """`kiber audit verify` over everything the runs (and the SIGKILL) left behind."""
    out = subprocess.run([str(ROOT / ".venv/bin/kiber"), "audit", "verify"], env=ENV, capture_output=True, text=True)
    result = json.loads(out.stdout)
    problems = len(result["problems"])
    print(f"kiber audit verify: {result['checked']} entries checked, ok: {result['ok']}, problems: {problems}")
    if not result["ok"]:
        sys.exit(1)


def main() -> None:
    print(f"PostgreSQL {DB_URL.rsplit('@', 1)[-1]}; {CLIENTS} clients; gunicorn 2 workers (gthread x{THREADS})")
    reset_database()
    tokens = create_clients(CLIENTS)
    insert_rate()
    server = start_server()
    try:
        warm = Load(tokens[:4], 2)
        warm.run()
        spread = Load(tokens, DURATION)
        report(f"{CLIENTS} clients, {CLIENTS} organisations", spread, *measured(server, spread))
        one_org = Load([tokens[0]] * CLIENTS, DURATION)
        report(f"{CLIENTS} clients, one organisation (one audit chain)", one_org, *measured(server, one_org))

        crash = Load(tokens, DURATION, retry=True)
        runner = threading.Thread(target=lambda: setattr(crash, "elapsed", crash.run()))
        runner.start()
        time.sleep(DURATION / 3)
        kill_server(server)
        print(f"SIGKILL sent to the server after {DURATION / 3:.0f} s of load")
        time.sleep(1.0)
        server = start_server()
        print("server restarted; clients retry unacknowledged requests with the same Idempotency-Key")
        runner.join()
        report("crash run", crash, crash.elapsed)
        count_exactly_once(crash.acked + spread.acked + one_org.acked)
        verify_audit_chain()
    finally:
        kill_server(server)


if __name__ == "__main__":
    main()
