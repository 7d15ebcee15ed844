"""Stored files in an S3-compatible object store (``KIBER_S3_BUCKET``), for several web machines.

Imported only when configured (boto3 is slow to import). The bucket stays private and Kiber hands out
no object URL: downloads stream through ``kiber.web.files.download`` after the object's own check,
exactly as with the filesystem.
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage


class ProtectedS3Storage(S3Storage):
    default_acl = "private"
    file_overwrite = False

    def url(
        self, name: str | None, parameters: object = None, expire: object = None, http_method: object = None
    ) -> str:
        raise ValueError("stored files have no URL; serve them through kiber.web.files.download")

    def check_reachable(self) -> None:
        """Readiness: the bucket answers with these credentials (one HEAD request, nothing written)."""
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)
