#!/bin/sh
# Back up Kiber: the PostgreSQL database (pg_dump, custom format) and the file store (KIBER_VAR_DIR:
# stored files and audit checkpoints), with SHA-256 sums. Usage: deploy/backup.sh TARGET_DIR
# Reads DATABASE_URL and KIBER_VAR_DIR (the same environment as the web process). Prints the backup's path.
set -eu
target=${1:?usage: backup.sh TARGET_DIR}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
: "${KIBER_VAR_DIR:?KIBER_VAR_DIR must name the file store}"
backup="$target/kiber-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$backup"
# One consistent snapshot of the database; the files are copied after it, so every file the dump
# refers to exists (files are only ever added under new names, never rewritten).
pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$backup/database.dump"
tar --create --gzip --file="$backup/files.tar.gz" --directory="$KIBER_VAR_DIR" \
    --exclude='./kiber.sqlite3*' .
(cd "$backup" && sha256sum database.dump files.tar.gz > SHA256SUMS)
echo "$backup"
