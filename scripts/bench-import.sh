#!/usr/bin/env bash
# File import benchmark: `zeropark bench import` — a generated 7-day readings CSV (default --meters 2000: 1,989 meters ×
# 7 days × 96 quarter-hours ≈ 1.34 M rows) imported by `zeropark import` as a whole process, by sqlite3's `.import` of the
# same file, and by the in-process ingest, one after the other in one run. Installs the Debian package sqlite3 if missing.
#
#   scripts/bench-import.sh [--meters N] [--days N] [--format json]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
log() { echo "bench-import: $*" >&2; }
die() { log "$*"; exit 1; }
# shellcheck source=lib/install.sh
. "$root/scripts/lib/install.sh"
install_if_missing sqlite3 /usr/bin/sqlite3
dotnet build "$root/src/ZeroPark.Cli" -c Release -v q -nologo >/dev/null
"$root/src/ZeroPark.Cli/bin/Release/net10.0/zeropark" bench import "$@"
