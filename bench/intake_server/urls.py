"""Kiber's URLs plus the floor: a bare Django Ninja endpoint doing one INSERT, the least any API write can cost.

It sits under /api/v1/ so that it takes the same way through Kiber's WSGI application as the early-warning
endpoint (middleware included); what is left between the two is the intake path itself.
"""

import json

from django.db import connection
from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Schema

from kiber.urls import urlpatterns as kiber_urlpatterns

floor = NinjaAPI(urls_namespace="bench-floor", docs_url=None, openapi_url=None)


class FloorIn(Schema):
    title: str


@floor.post("/floor")
def insert_one(request: HttpRequest, payload: FloorIn) -> dict[str, int]:
    with connection.cursor() as cursor:
        sql = "INSERT INTO bench_insert (payload) VALUES (%s::jsonb) RETURNING id"
        cursor.execute(sql, [json.dumps(payload.title)])
        return {"id": cursor.fetchone()[0]}


urlpatterns = [path("api/v1/bench/", floor.urls), *kiber_urlpatterns]
