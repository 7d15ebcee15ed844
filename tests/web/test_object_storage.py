"""Stored files in an S3-compatible object store (issue 17, item 3), against a real S3 server on 127.0.0.1
(moto's server): evidence, attachments and frozen PDFs land in the private bucket under generated keys,
come back only through the checked downloads, and nothing is written to the local media directory."""

from __future__ import annotations

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from moto.server import ThreadedMotoServer

from kiber.registry.choices import Role
from tests.support import sign_in
from tests.web.conftest import EVIL

pytestmark = pytest.mark.django_db
BUCKET = "kiber-files"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    credentials = {"aws_access_key_id": "kiber", "aws_secret_access_key": "kiber-secret", "region_name": "eu-north-1"}
    client = boto3.client("s3", endpoint_url=s3_server, **credentials)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "kiber.web.object_storage.ProtectedS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "eu-north-1",
                "access_key": "kiber",
                "secret_key": "kiber-secret",
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_stored_files_live_in_the_bucket_and_download_only_when_authorised(
    bucket, stored, client, settings, make_user, other_organisation, subject_admin
):
    sign_in(client, subject_admin)
    for url in stored["urls"]:
        assert client.get(url).status_code == 200, url  # renders the PDFs on first download
    for key in ("submission", "version", "report"):
        stored[key].refresh_from_db()
    names = {
        stored["submission"].pdf.name,
        stored["version"].pdf.name,
        stored["evidence"].file.name,
        stored["report"].pdf.name,
        stored["attachment"].file.name,
    }
    assert names <= _keys(bucket)
    assert not (settings.MEDIA_ROOT.exists() and any(settings.MEDIA_ROOT.rglob("*.*")))
    attachment = client.get(reverse("incidents:attachment", args=[stored["attachment"].pk]))
    assert b"".join(attachment.streaming_content) == EVIL
    assert attachment["Content-Type"] == "application/octet-stream"
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=stored["attachment"].file.name)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]  # the owner only: private

    client.logout()
    sign_in(client, make_user(Role.SUBJECT_ADMIN, other_organisation))
    for url in stored["urls"]:
        assert client.get(url).status_code in (403, 404), url
    with pytest.raises(ValueError):
        stored["attachment"].file.url  # noqa: B018 - no object URL is ever handed out


def test_deleting_removes_the_object_and_readiness_checks_the_bucket(bucket, client):
    name = default_storage.save("evidence/probe.txt", ContentFile(b"x"))
    assert name in _keys(bucket)
    default_storage.delete(name)
    assert name not in _keys(bucket)
    assert client.get("/readyz").json()["checks"]["media"] == {"status": "ok"}
    bucket.delete_bucket(Bucket=BUCKET)
    assert client.get("/readyz").json()["checks"]["media"]["status"] == "fail"
    bucket.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
