#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and MEDIA_ROOT.
#
# Usage: scripts/restore.sh BACKUP_DIR
# Env:   DATABASE_URL (the new, empty database: `createdb bott`), MEDIA_ROOT (default var/media)
#
# Checks the SHA-256 sums first, refuses a database that already has tables, restores in one
# transaction (all or nothing), then unpacks the attachments. Afterwards run
# `manage.py migrate` (a no-op for a backup of the same version) and start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:?usage: scripts/restore.sh BACKUP_DIR}"
: "${DATABASE_URL:?set DATABASE_URL to the empty target database}"
media="${MEDIA_ROOT:-var/media}"

(cd "$dir" && sha256sum --check --quiet SHA256SUMS)
tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
    echo "restore: the target database already has $tables tables; restore into an empty one." >&2
    exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname "$DATABASE_URL" "$dir/database.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$dir/media.tar.gz"
echo "restored $dir"
