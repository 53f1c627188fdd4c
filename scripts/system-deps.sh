#!/usr/bin/env bash
# Installs the Debian packages the app and its tests need when they are missing.
# Usage: scripts/system-deps.sh run|test   (test adds PostgreSQL, Redis and Chromium)
set -euo pipefail
mode="${1:-run}"
pkgs=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

python3.11 -c "import ensurepip, venv" 2>/dev/null || pkgs+=(python3.11-venv)
command -v npm >/dev/null || pkgs+=(nodejs npm)
# WeasyPrint (PDF exports) needs Pango.
have_lib libpango-1.0.so || pkgs+=(libpango-1.0-0 libpangoft2-1.0-0)
have_lib libpangoft2-1.0.so || pkgs+=(libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || pkgs+=(fonts-dejavu-core)
if [ "$mode" = test ]; then
    command -v pg_ctlcluster >/dev/null || pkgs+=(postgresql)
    command -v redis-server >/dev/null || pkgs+=(redis-server)
    [ -x /usr/bin/chromium ] || pkgs+=(chromium)
    # xgettext: the test that the English catalogue covers every string in the code.
    command -v xgettext >/dev/null || pkgs+=(gettext)
fi
if [ "${#pkgs[@]}" -eq 0 ]; then
    exit 0
fi
echo "Installing system packages: ${pkgs[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
        echo "Please install as root: apt-get install ${pkgs[*]}" >&2; exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
