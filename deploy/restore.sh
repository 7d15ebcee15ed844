#!/bin/sh
# Restore a backup made by backup.sh into an EMPTY database and file store, then prove it:
# the schema is fully migrated and the audit log's hash chains (and checkpoints) verify.
# Usage: deploy/restore.sh BACKUP_DIR   (reads DATABASE_URL, KIBER_VAR_DIR and the audit key
# variables of the production environment; `kiber` must be on PATH).
set -eu
backup=${1:?usage: restore.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL must name the empty PostgreSQL database to restore into}"
: "${KIBER_VAR_DIR:?KIBER_VAR_DIR must name the file store to restore into}"
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)
pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$backup/database.dump"
mkdir -p "$KIBER_VAR_DIR"
tar --extract --gzip --file="$backup/files.tar.gz" --directory="$KIBER_VAR_DIR"
kiber migrate --check >/dev/null
kiber audit verify
