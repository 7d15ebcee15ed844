"""Compliance dashboards benchmark (issue 4) against PostgreSQL.

    .venv/bin/python bench/compliance_dashboards.py            # uses postgres://postgres@127.0.0.1:5432/kiber_bench
    BENCH_SUBJECTS=1000 .venv/bin/python bench/compliance_dashboards.py

Generates (in a dedicated, re-created database): BENCH_SUBJECTS (5 000) subjects with 5 information systems
each (25 000), the full requirement catalogue, and one submitted self-assessment per subject answering every
applicable item (per system where the requirement is per system; > 1 000 000 answers, loaded with COPY),
with the per-version section and requirement scores stored as ``submit`` stores them. Then prints:

1. server time (Django test client, in-process: URL routing, middleware, view, SQL, template) and query count
   of the NKC sector dashboard (``compliance:home``) and the requirement heat map (``compliance:heatmap``),
   for an all-sector supervisor and a two-sector supervisor, median of 7 runs after a warm-up;
2. the same query counts at a tenth of the subjects (scoping to one sector) to show they do not grow;
3. the time to score one assessment (pure ``scoring.score`` and load-from-database + score).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kiber_bench")
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiber.settings")
os.environ.setdefault("KIBER_VAR_DIR", "/tmp/kiber-bench-compliance-var")
os.environ.setdefault("KIBER_DEBUG", "0")
SUBJECTS = int(os.environ.get("BENCH_SUBJECTS", "5000"))
SYSTEMS_PER_SUBJECT = 5
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


def generate() -> None:
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from kiber.assets.models import InformationSystem
    from kiber.compliance.applicability import applicable_items
    from kiber.compliance.loader import load_catalogue
    from kiber.compliance.models import Assessment, AssessmentVersion, Requirement
    from kiber.compliance.scoring import ScoredAnswer, score
    from kiber.registry.models import Organisation

    rng = random.Random(2026)
    started = time.perf_counter()
    load_catalogue()
    requirements = list(Requirement.objects.order_by("sort_key"))
    by_id = {r.pk: r for r in requirements}
    started = step(f"catalogue ({len(requirements)} requirements)", started)
    now = timezone.now()
    organisations = []
    for index in range(SUBJECTS):
        organisations.append(Organisation(
            registration_number=f"4{index:010d}", name=f"SIA Etalons {index:05d}", legal_address="Rīga",
            email=f"info{index}@example.lv", phone="+37167000000", sector=SECTORS[index % len(SECTORS)],
            employees=300, annual_turnover_eur=Decimal("60000000"), balance_sheet_eur=Decimal("50000000"),
            is_ci_owner=rng.random() < 0.1, category="essential" if rng.random() < 0.4 else "important",
            size="large",
        ))
    Organisation.objects.bulk_create(organisations, batch_size=2000)
    organisations = list(Organisation.objects.order_by("pk"))
    systems = []
    for organisation in organisations:
        for n in range(SYSTEMS_PER_SUBJECT):
            cls = rng.choices("ABC", weights=(15, 35, 50))[0]
            conf = rng.choices("ABC", weights=(20, 40, 40))[0] if cls != "A" else "A"
            systems.append(InformationSystem(
                organisation=organisation, name=f"Sistēma {n + 1}", security_class=cls, confidentiality=conf,
                integrity=cls, availability=cls, in_ci_set=organisation.is_ci_owner and n == 0,
            ))
    InformationSystem.objects.bulk_create(systems, batch_size=5000)
    systems_of: dict[int, list[InformationSystem]] = {}
    for system in InformationSystem.objects.order_by("organisation_id", "name"):
        systems_of.setdefault(system.organisation_id, []).append(system)
    started = step(f"{len(organisations)} subjects, {len(systems)} systems", started)

    assessments = Assessment.objects.bulk_create(
        [Assessment(organisation=o, year=2026, due_date=date(2026, 10, 1), due_basis=["22-TA-3183 p.151.1"],
                    status="submitted", latest_version=1) for o in organisations], batch_size=5000)
    versions_input = []
    answers_total = 0
    statuses = ("implemented", "partial", "not_implemented", "not_applicable")
    per_org_scores = []
    pairs = list(zip(organisations, assessments, strict=True))
    for chunk_start in range(0, len(pairs), 250):
        # Applicability queries the database, so compute a chunk first, then COPY it (a connection in COPY
        # mode cannot run other queries).
        chunk_rows = []
        for organisation, assessment in pairs[chunk_start:chunk_start + 250]:
            base = rng.random() * 0.5
            scored = []
            for item in applicable_items(organisation, requirements, systems_of[organisation.pk]):
                roll = rng.random()
                status = statuses[0] if roll < 0.45 + base else statuses[1] if roll < 0.75 + base / 2 else (
                    statuses[2] if roll < 0.95 else statuses[3])
                gap = status in ("partial", "not_implemented")
                chunk_rows.append((
                    assessment.pk, item.requirement.pk, item.system.pk if item.system else None, status, "",
                    "Nav attiecināms" if status == "not_applicable" else "", "IT vadītājs" if gap else "",
                    date(2027, 3, 1) if gap else None, 1, now,
                ))
                scored.append(ScoredAnswer(item.requirement.ref, item.requirement.section_number, status,
                                           str(item.system.pk) if item.system else ""))
            per_org_scores.append(score(scored))
        with connection.cursor() as cursor, cursor.connection.cursor().copy(
            "COPY compliance_answer (assessment_id, requirement_id, system_id, status, comment, justification, "
            "gap_owner, target_date, requirement_version, updated_at) FROM STDIN"
        ) as copy:
            for row in chunk_rows:
                copy.write_row(row)
        answers_total += len(chunk_rows)
    started = step(f"{answers_total} answers (COPY)", started)

    ref_to_id = {r.ref: r.pk for r in requirements}
    for organisation, assessment, result in zip(organisations, assessments, per_org_scores, strict=True):
        versions_input.append(AssessmentVersion(
            assessment=assessment, organisation=organisation, number=1, snapshot={"schema": "bench"},
            sha256="0" * 64, overall_score=result.overall, section_scores=result.sections, submitted_at=now,
        ))
    versions = AssessmentVersion.objects.bulk_create(versions_input, batch_size=2000)
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
    from kiber.compliance.services import rebuild_rollup

    rollup_rows = rebuild_rollup()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert by_id
    step(f"versions, stored scores, schedules (COPY), sector rollup ({rollup_rows} rows) + ANALYZE", started)


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kiber.compliance import services
    from kiber.compliance.models import Answer, Assessment, RequirementScore
    from kiber.compliance.scoring import ScoredAnswer, score
    from kiber.registry.models import User

    print(f"\nData: {Answer.objects.count():,} answers, {RequirementScore.objects.count():,} stored requirement "
          f"scores, {Assessment.objects.count():,} submitted assessments".replace(",", " "))

    def client_for(username: str, sectors: list[str]) -> Client:
        User.objects.filter(username=username).delete()
        user = User.objects.create_user(username=username, password="x", role="nkc_supervisor",
                                        supervised_sectors=sectors)
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    def timed(client: Client, url: str) -> tuple[float, int]:
        client.get(url)  # warm-up
        times, count = [], 0
        for _ in range(7):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            count = len(queries)
        return statistics.median(times), count

    print("\nServer time (median of 7, in-process Django test client) and queries per request:")
    results = {}
    for label, username, sectors in (
        ("all sectors", "bench.nkc", []),
        ("2 sectors", "bench.nkc2", ["banking", "energy"]),
        ("1 sector (1/18 of subjects)", "bench.nkc1", ["health"]),
    ):
        client = client_for(username, sectors)
        for page in ("compliance:home", "compliance:heatmap"):
            ms, queries = timed(client, reverse(page))
            results[(label, page)] = (ms, queries)
            verdict = "OK" if ms < 300 else "OVER 300 ms"
            print(f"  {page:20s} {label:28s} {ms:7.1f} ms  {queries:2d} queries  {verdict}")
    for page in ("compliance:home", "compliance:heatmap"):
        counts = {results[(label, page)][1] for label in ("all sectors", "2 sectors", "1 sector (1/18 of subjects)")}
        print(f"  {page}: query count across scopes {sorted(counts)} -> "
              f"{'constant' if len(counts) == 1 else 'VARIES'}")

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
    start = time.perf_counter()
    for _ in range(10):
        services.working_scores(services.working_items(assessment))
    page_rows = (time.perf_counter() - start) * 100
    print(f"\nScoring one assessment ({len(rows)} items): {pure:.2f} ms (score only), "
          f"{loaded:.1f} ms (services.assessment_scores: applicability + answers from PostgreSQL + score); "
          f"target < 20 ms.\n  For comparison, loading the full working rows a page shows (texts, evidence) and "
          f"scoring: {page_rows:.1f} ms")


def main() -> None:
    print(f"Compliance dashboards benchmark — {SUBJECTS} subjects, {SUBJECTS * SYSTEMS_PER_SUBJECT} systems, {DB_URL}")
    if os.environ.get("BENCH_REUSE") != "1":
        reset_database()
    import django

    django.setup()
    from django.core.management import call_command

    if os.environ.get("BENCH_REUSE") != "1":
        call_command("migrate", verbosity=0)
        print("Generating:")
        generate()
    measure()


if __name__ == "__main__":
    main()
