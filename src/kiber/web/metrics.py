"""``GET /metrics``: Prometheus metrics for the operator, never public.

Off (404) unless ``KIBER_METRICS_TOKEN`` is set; then only ``Authorization: Bearer <token>`` is answered.
Besides each process's request and sweep histograms (summed over gunicorn's workers when
``PROMETHEUS_MULTIPROC_DIR`` is set), the figures of record are read from the database at scrape time,
so every web process reports the same: submissions by stage, deliveries by status (the queue), and
report stages overdue now.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector


class RecordsCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        from kiber.incidents.choices import ReminderKind
        from kiber.incidents.models import Delivery, Report, SentReminder

        stages = GaugeMetricFamily("kiber_reports_submitted", "Incident reports submitted, by stage.", labels=["stage"])
        for row in Report.objects.values("stage").annotate(n=Count("id")).order_by("stage"):
            stages.add_metric([row["stage"]], row["n"])
        yield stages
        deliveries = GaugeMetricFamily("kiber_deliveries", "Report deliveries, by status.", labels=["status"])
        for row in Delivery.objects.values("status").annotate(n=Count("id")).order_by("status"):
            deliveries.add_metric([row["status"]], row["n"])
        yield deliveries
        submitted = Report.objects.filter(incident=OuterRef("incident"), stage=OuterRef("stage"))
        overdue = SentReminder.objects.filter(kind=ReminderKind.OVERDUE).exclude(Exists(submitted))
        yield GaugeMetricFamily(
            "kiber_report_stages_overdue",
            "Report stages past their deadline and not yet submitted (as of the last sweep).",
            value=overdue.values("incident", "stage").distinct().count(),
        )


def _registry() -> CollectorRegistry:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        for collector in (REGISTRY, RecordsCollector()):
            registry.register(collector)
        return registry
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(RecordsCollector())
    return registry


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.KIBER_METRICS_TOKEN
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token or not hmac.compare_digest(offered.encode(), token.encode()):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
