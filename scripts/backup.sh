#!/usr/bin/env bash
# Back up BOTT Tracker: the PostgreSQL database (pg_dump, custom format) and the attachments
# (a tarball of MEDIA_ROOT), with SHA-256 sums, into a new time-stamped folder.
#
# Usage: scripts/backup.sh TARGET_DIR        prints the folder it wrote
# Env:   DATABASE_URL (postgres://user:pass@host:5432/bott), MEDIA_ROOT (default var/media)
#
# The database is dumped first, then the files: pg_dump reads one consistent snapshot, and an
# attachment is never deleted by the app, so every attachment row in the dump has its file in
# the tarball (a file uploaded in between is simply extra). Keep the folders off this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/backup.sh TARGET_DIR}"
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database}"
media="${MEDIA_ROOT:-var/media}"
dir="$target/bott-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir" "$media"
umask 077  # the dump and the attachments hold personal data

pg_dump --format=custom --no-owner --no-privileges --file "$dir/database.dump" "$DATABASE_URL"
tar -C "$media" -czf "$dir/media.tar.gz" .
(cd "$dir" && sha256sum database.dump media.tar.gz > SHA256SUMS)
echo "$dir"
