"""National-scale supervision pages benchmark (issues 4 and 18) against PostgreSQL.

    .venv/bin/python bench/compliance_dashboards.py                 # BENCH_SCALES=5000,20000
    BENCH_SCALES=1000,4000 .venv/bin/python bench/compliance_dashboards.py
    BENCH_SUBJECTS=50000 .venv/bin/python bench/compliance_dashboards.py   # one scale

Uses a dedicated, re-created database (``BENCH_DATABASE_URL``, default ``.../kiber_scale_bench``) and grows
it scale by scale within one run: first to the smallest number of subjects, measure, then the same register
grown to the next scale (new subjects only), measure again. Each subject has 5 information systems (classes
from 60 patterns) and one submitted self-assessment answering every applicable item (per system where the
requirement is per system; COPY; statuses from 6 patterns per tiers and systems, so applicability and
scoring run once per pattern, not per subject), the per-version section and requirement scores as
``submit`` stores them, a schedule (8 % overdue), and every fourth subject one incident this year (30 %
significant, with their reports). Organisations, systems, assessments and incidents are bulk-inserted; the
supervision rollups are rebuilt by ``rebuild_compliance_rollup``'s function, then VACUUM ANALYZE.

For every page it prints the server time at each scale (Django test client, in-process: routing, middleware,
view, SQL, template; median of 7 after a warm-up), the ratio of the largest to the smallest scale, the CPU
per request (this process + the PostgreSQL backend serving it, from /proc) and the query count:
the NKC sector dashboard and the requirement heat map (all sectors, two sectors, one sector), the
registry list of subjects, and the incident statistics for the current year. Then the time to score one
assessment.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kiber_scale_bench")
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiber.settings")
os.environ.setdefault("KIBER_VAR_DIR", "/tmp/kiber-bench-compliance-var")
os.environ.setdefault("KIBER_DEBUG", "0")
if os.environ.get("BENCH_SUBJECTS"):
    SCALES = [int(os.environ["BENCH_SUBJECTS"])]
else:
    SCALES = sorted(int(n) for n in os.environ.get("BENCH_SCALES", "5000,20000").split(","))
SYSTEMS_PER_SUBJECT = 5
TARGET_MS = 150
# Information systems (security class, confidentiality) of a subject: 60 patterns of 5 systems.
_PATTERN_RNG = random.Random(18)
SYSTEM_PROFILES = [
    [(cls, _PATTERN_RNG.choices("ABC", weights=(20, 40, 40))[0] if cls != "A" else "A")
     for cls in _PATTERN_RNG.choices("ABC", weights=(15, 35, 50), k=SYSTEMS_PER_SUBJECT)]
    for _ in range(60)
]
PATTERNS_PER_PROFILE = 6
ANSWER_PATTERNS: dict[tuple, list] = {}
STATUSES = ("implemented", "partial", "not_implemented", "not_applicable")
SECTORS = ["energy", "transport", "banking", "financial_market_infrastructure", "health", "drinking_water",
           "waste_water", "digital_infrastructure", "ict_service_management", "public_administration", "space",
           "postal_courier", "waste_management", "chemicals", "food", "manufacturing", "digital_providers",
           "research"]


def reset_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label}: {now - started:.1f} s", flush=True)
    return now


def generate(first: int, last: int, requirements: list) -> None:
    """Subjects ``first`` .. ``last - 1`` with their systems, submitted assessment, scores, schedule, incidents."""
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from kiber.assets.models import InformationSystem
    from kiber.compliance.models import Assessment, AssessmentVersion
    from kiber.registry.models import Organisation

    rng = random.Random(2026 + first)
    started = time.perf_counter()
    now = timezone.now()
    with connection.cursor() as cursor:
        # Generated rows are consistent by construction: skip the per-row foreign-key triggers while loading
        # (superuser only; reset in main() before measuring).
        cursor.execute("SET session_replication_role = replica")
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                registration_number=f"4{index:010d}", name=f"SIA Etalons {index:05d}", legal_address="Rīga",
                email=f"info{index}@example.lv", phone="+37167000000", sector=SECTORS[index % len(SECTORS)],
                employees=300, annual_turnover_eur=Decimal("60000000"), balance_sheet_eur=Decimal("50000000"),
                is_ci_owner=rng.random() < 0.1, category="essential" if rng.random() < 0.4 else "important",
                size="large",
            )
            for index in range(first, last)
        ],
        batch_size=2000,
    )
    systems = []
    profile_of: dict[int, int] = {}
    for organisation in organisations:
        profile_of[organisation.pk] = rng.randrange(len(SYSTEM_PROFILES))
        for n, (cls, conf) in enumerate(SYSTEM_PROFILES[profile_of[organisation.pk]]):
            systems.append(InformationSystem(
                organisation=organisation, name=f"Sistēma {n + 1}", security_class=cls, confidentiality=conf,
                integrity=cls, availability=cls, in_ci_set=organisation.is_ci_owner and n == 0,
            ))
    systems = InformationSystem.objects.bulk_create(systems, batch_size=5000)  # primary keys back (RETURNING)
    systems_of: dict[int, list[InformationSystem]] = {}
    for system in systems:
        systems_of.setdefault(system.organisation_id, []).append(system)
    started = step(f"{len(organisations)} subjects, {len(systems)} systems", started)

    assessments = Assessment.objects.bulk_create(
        [Assessment(organisation=o, year=2026, due_date=date(2026, 10, 1), due_basis=["22-TA-3183 p.151.1"],
                    status="submitted", latest_version=1) for o in organisations], batch_size=5000)
    answers_total = 0
    per_org_scores = []
    pairs = list(zip(organisations, assessments, strict=True))
    updated = now.isoformat()
    for chunk_start in range(0, len(pairs), 500):
        # Applicability reads the subject's facts from the database, and a connection in COPY mode cannot
        # run other queries: work out a chunk first, then COPY it (as text: write_row per row costs more).
        lines = []
        for organisation, assessment in pairs[chunk_start:chunk_start + 500]:
            own_systems = systems_of[organisation.pk]
            patterns = answer_patterns(organisation, own_systems, profile_of[organisation.pk], requirements)
            template, result = patterns[rng.randrange(len(patterns))]
            per_org_scores.append(result)
            for requirement_id, system_index, tail in template:
                system = "\\N" if system_index is None else own_systems[system_index].pk
                lines.append(f"{assessment.pk}\t{requirement_id}\t{system}\t{tail}\t{updated}\t1\n")
        with connection.cursor() as cursor, cursor.connection.cursor().copy(
            "COPY compliance_answer (assessment_id, requirement_id, system_id, status, comment, justification, "
            "gap_owner, target_date, requirement_version, updated_at, version) FROM STDIN"
        ) as copy:
            copy.write("".join(lines))
        answers_total += len(lines)
    started = step(f"{answers_total} answers (COPY)", started)

    ref_to_id = {r.ref: r.pk for r in requirements}
    versions = AssessmentVersion.objects.bulk_create(
        [
            AssessmentVersion(
                assessment=assessment, organisation=organisation, number=1, snapshot={"schema": "bench"},
                sha256="0" * 64, overall_score=result.overall, section_scores=result.sections, submitted_at=now,
            )
            for organisation, assessment, result in zip(organisations, assessments, per_org_scores, strict=True)
        ],
        batch_size=2000,
    )
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        with raw.copy("COPY compliance_sectionscore (version_id, organisation_id, section, score, answered, current) "
                      "FROM STDIN") as copy:
            for version, result in zip(versions, per_org_scores, strict=True):
                copy.write_row((version.pk, version.organisation_id, "", result.overall, result.counted, True))
                for section, value in result.sections.items():
                    copy.write_row((version.pk, version.organisation_id, section, value, 0, True))
        with raw.copy("COPY compliance_requirementscore (version_id, organisation_id, requirement_id, score, current) "
                      "FROM STDIN") as copy:
            for version, result in zip(versions, per_org_scores, strict=True):
                for ref, value in result.requirements.items():
                    copy.write_row((version.pk, version.organisation_id, ref_to_id[ref], value, True))
        with raw.copy("COPY compliance_schedule (organisation_id, frequency_years, next_due, basis, status_since, "
                      "computed_at) FROM STDIN") as copy:
            for organisation in organisations:
                due = date(2025, 10, 1) if rng.random() < 0.08 else date(2027, 10, 1)
                copy.write_row((organisation.pk, 1, due, '["22-TA-3183 p.151.1", "22-TA-3183 p.152"]',
                                date(2024, 1, 1), now))
    started = step("versions, stored scores, schedules (COPY)", started)
    incidents = generate_incidents(organisations, rng)
    step(f"{incidents} incidents with their reports", started)


def answer_patterns(organisation, systems: list, profile: int, requirements: list) -> list[tuple[list, object]]:
    """The answer patterns of a subject with these tiers and systems, each with its scores (computed once).

    What applies follows from the subject's tiers and its systems' classes only, so applicability and scoring
    run once per (tiers, system pattern, answer pattern) — a few thousand times — instead of per subject.
    Each template row is (requirement id, index of the system or None, the COPY columns from status to
    requirement_version).
    """
    from kiber.compliance.applicability import applicable_items
    from kiber.compliance.scoring import ScoredAnswer, score

    key = (organisation.effective_category, organisation.is_ci_owner, profile)
    if key in ANSWER_PATTERNS:
        return ANSWER_PATTERNS[key]
    items = [(item.requirement, systems.index(item.system) if item.system else None)
             for item in applicable_items(organisation, requirements, systems)]
    rng = random.Random(repr(key))
    patterns = []
    for _pattern in range(PATTERNS_PER_PROFILE):
        base = rng.random() * 0.5  # how far along the subject is
        template, scored = [], []
        for requirement, system_index in items:
            roll = rng.random()
            status = STATUSES[0] if roll < 0.45 + base else STATUSES[1] if roll < 0.75 + base / 2 else (
                STATUSES[2] if roll < 0.95 else STATUSES[3])
            gap = status in ("partial", "not_implemented")
            justification = "Nav attiecināms" if status == "not_applicable" else ""
            tail = "\t".join((status, "", justification, "IT vadītājs" if gap else "",
                              "2027-03-01" if gap else "\\N", "1"))
            template.append((requirement.pk, system_index, tail))
            scored.append(ScoredAnswer(requirement.ref, requirement.section_number, status,
                                       "" if system_index is None else str(system_index)))
        patterns.append((template, score(scored)))
    ANSWER_PATTERNS[key] = patterns
    return patterns


def generate_incidents(organisations: list, rng: random.Random) -> int:
    """Every fourth subject: one incident this year (30 % significant; early warning, initial report if so)."""
    from django.utils import timezone

    from kiber.incidents import catalogue
    from kiber.incidents.models import Incident, Report

    codes = [code for code, _label in catalogue.type_choices()][:12]
    now = timezone.now()
    year_start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    span = max(1, int((now - year_start).total_seconds()) - 3 * 86400)
    incidents = []
    for organisation in organisations:
        if int(organisation.registration_number) % 4:
            continue
        detected = year_start + timedelta(seconds=rng.randrange(span))
        resolved = rng.random() < 0.6
        incidents.append(Incident(
            organisation=organisation, number=1, title="Pakalpojuma pārtraukums", detected_at=detected,
            aware_at=detected, type_codes=[rng.choice(codes)], description="Etalona incidents",
            significance="significant" if rng.random() < 0.3 else "not_significant",
            resolution="resolved" if resolved else "in_progress",
            resolved_at=detected + timedelta(hours=rng.randrange(2, 200)) if resolved else None,
        ))
    incidents = Incident.objects.bulk_create(incidents, batch_size=2000)
    reports = []
    for incident in incidents:
        reports.append(Report(incident=incident, stage="early_warning", answers={}, snapshot={}, sha256="0" * 64,
                              submitted_at=incident.detected_at + timedelta(hours=rng.randrange(2, 30))))
        if incident.significance == "significant":
            reports.append(Report(incident=incident, stage="initial_report", answers={}, snapshot={},
                                  sha256="0" * 64,
                                  submitted_at=incident.detected_at + timedelta(hours=rng.randrange(30, 90))))
    Report.objects.bulk_create(reports, batch_size=2000)
    return len(incidents)


def prepare() -> None:
    from django.db import connection

    from kiber.compliance.services import rebuild_rollup

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    rows = rebuild_rollup()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # autocommit; the visibility map lets counts use index-only scans
    step(f"supervision rollups rebuilt ({rows} rows) + ANALYZE", started)


class Measurer:
    """Signed-in clients per scope; times one page: median wall time, CPU (this process + backend), queries."""

    def __init__(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backend_stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        self.clients: dict[str, object] = {}

    def backend_cpu(self) -> float | None:
        try:
            fields = self.backend_stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def client(self, username: str, role: str, sectors: list[str]):
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from kiber.registry.models import User

        if username not in self.clients:
            User.objects.filter(username=username).delete()
            user = User.objects.create_user(username=username, password="x", role=role, supervised_sectors=sectors)
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            client = Client()
            client.force_login(user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
            self.clients[username] = client
        return self.clients[username]

    def timed(self, client, url: str) -> tuple[float, float | None, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)  # warm-up
        times, cpus, count = [], [], 0
        for _ in range(7):
            with CaptureQueriesContext(connection) as queries:
                backend = self.backend_cpu()
                cpu = time.process_time()
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                own = time.process_time() - cpu
                after = self.backend_cpu()
            assert response.status_code == 200, (url, response.status_code)
            cpus.append(own * 1000 + ((after - backend) * 1000 if backend is not None and after is not None else 0))
            count = len(queries)
        return statistics.median(times), statistics.median(cpus), count


PAGES = [
    # (label, url name, username, role, supervised sectors)
    ("NKC dashboard, all sectors", "compliance:home", "bench.nkc", "nkc_supervisor", []),
    ("NKC dashboard, 2 sectors", "compliance:home", "bench.nkc2", "nkc_supervisor", ["banking", "energy"]),
    ("NKC dashboard, 1 sector", "compliance:home", "bench.nkc1", "nkc_supervisor", ["health"]),
    ("heat map, all sectors", "compliance:heatmap", "bench.nkc", "nkc_supervisor", []),
    ("heat map, 2 sectors", "compliance:heatmap", "bench.nkc2", "nkc_supervisor", ["banking", "energy"]),
    ("heat map, 1 sector", "compliance:heatmap", "bench.nkc1", "nkc_supervisor", ["health"]),
    ("registry list, all sectors", "registry:list", "bench.nkc", "nkc_supervisor", []),
    ("incident statistics, this year", "incidents:stats", "bench.nkc", "nkc_supervisor", []),
]


def measure(measurer: Measurer) -> dict[str, tuple[float, float | None, int]]:
    from django.urls import reverse

    from kiber.compliance.models import Answer, Assessment, RequirementScore
    from kiber.incidents.models import Incident

    print(f"  data: {Assessment.objects.count():,} submitted assessments, {Answer.objects.count():,} answers, "
          f"{RequirementScore.objects.count():,} stored requirement scores, "
          f"{Incident.objects.count():,} incidents".replace(",", " "), flush=True)
    results = {}
    for label, page, username, role, sectors in PAGES:
        results[label] = measurer.timed(measurer.client(username, role, sectors), reverse(page))
        ms, cpu, queries = results[label]
        print(f"  {label:32s} {ms:7.1f} ms  CPU {cpu:6.1f} ms  {queries:2d} queries", flush=True)
    return results


def report(results: dict[int, dict[str, tuple[float, float | None, int]]]) -> None:
    """Per page: time at each scale, ratios largest/smallest of time and of CPU, CPU and queries at the largest.

    On a machine shared with other work the wall time also measures the wait for a core; the CPU ratio
    (this process + the PostgreSQL backend) is the steadier sign of whether a page grows with the register.
    """
    scales = sorted(results)
    print("\nServer time per page (median of 7) at each scale; ratio largest/smallest of the time and of the CPU "
          "per request (app + PostgreSQL backend); CPU and queries at the largest scale:")
    head = "".join(f"{n:>10,d}".replace(",", " ") for n in scales)
    print(f"  {'page':32s}{head}   ratio  CPU ratio  CPU ms  queries")
    for label, *_rest in PAGES:
        times = [results[n][label][0] for n in scales]
        cpus = [results[n][label][1] or 0.0 for n in scales]
        largest = results[scales[-1]][label]
        ratio = times[-1] / times[0] if len(times) > 1 else 1.0
        cpu_ratio = cpus[-1] / cpus[0] if len(cpus) > 1 and cpus[0] else 1.0
        counts = {results[n][label][2] for n in scales}
        verdict = "" if not label.startswith(("NKC dashboard, all", "heat map, all")) else (
            "  OK" if largest[0] < TARGET_MS and ratio <= 1.3 else f"  OVER target (<{TARGET_MS} ms, ratio <= 1.3)")
        print(f"  {label:32s}" + "".join(f"{t:8.1f}ms" for t in times)
              + f"  {ratio:5.2f}  {cpu_ratio:9.2f}  {cpus[-1]:6.1f}  {largest[2]:3d}"
              + ("" if len(counts) == 1 else " (VARIES)") + verdict)


def scoring() -> None:
    from kiber.compliance import services
    from kiber.compliance.models import Assessment
    from kiber.compliance.scoring import ScoredAnswer, score

    assessment = Assessment.objects.select_related("organisation").order_by("pk")[len(SECTORS)]
    rows = services.working_items(assessment)
    answers = [ScoredAnswer(r.item.requirement.ref, r.item.requirement.section_number,
                            r.answer.status if r.answer else "", str(r.item.system.pk) if r.item.system else "")
               for r in rows]
    start = time.perf_counter()
    for _ in range(100):
        score(answers)
    pure = (time.perf_counter() - start) * 10
    start = time.perf_counter()
    for _ in range(10):
        services.assessment_scores(assessment)
    loaded = (time.perf_counter() - start) * 100
    print(f"\nScoring one assessment ({len(rows)} items): {pure:.2f} ms (score only), "
          f"{loaded:.1f} ms (services.assessment_scores: applicability + answers from PostgreSQL + score); "
          "target < 20 ms.")


def main() -> None:
    print(f"Supervision pages benchmark — scales {SCALES} subjects, {SYSTEMS_PER_SUBJECT} systems each, {DB_URL}")
    reset_database()
    import django

    django.setup()
    from django.core.management import call_command

    from kiber.compliance.loader import load_catalogue
    from kiber.compliance.models import Requirement

    call_command("migrate", verbosity=0)
    load_catalogue()
    requirements = list(Requirement.objects.order_by("sort_key"))
    print(f"Catalogue: {len(requirements)} requirements")
    measurer = Measurer()
    results = {}
    generated = 0
    for scale in SCALES:
        print(f"\n{scale} subjects — generating {scale - generated} more:", flush=True)
        generate(generated, scale, requirements)
        generated = scale
        prepare()
        results[scale] = measure(measurer)
    report(results)
    scoring()


if __name__ == "__main__":
    main()
