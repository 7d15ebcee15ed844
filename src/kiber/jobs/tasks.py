"""The Celery task that runs any job in production (``KIBER_JOBS_BACKEND=celery``)."""

from __future__ import annotations

from kiber.celery import app
from kiber.jobs.runner import run


# Bound to Kiber's app, not ``shared_task``: a web process that never imported kiber.celery would
# otherwise publish to Celery's default app (an AMQP broker on localhost), not to CELERY_BROKER_URL.
@app.task(name="kiber.jobs.run", acks_late=True)
def run_job(name: str, *args: object) -> None:
    run(name, *args)
