#!/usr/bin/env bash
# THE run command: ./scripts/run.sh [extra `zeropark serve` args]
#
# Installs tzdata and nodejs/npm with apt-get if missing (sudo when not root; scripts/lib/install.sh),
# the UI assets (npm ci) if missing, builds the CLI, creates the demo park on first run (zeropark demo:
# 13 months, 2025-01-01 … 2026-01-31, of 15-minute data from ~500 meters and a weather station, ~19
# million readings, about a minute on 2 cores; a time-of-use tariff, scope 1/2/3 carbon data, energy
# plans; see docs/demo.md), then serves the web UI and the REST API (OpenAPI at /openapi/v1.json) on
# http://127.0.0.1:${PORT:-5080}. With no user in the store, the server prints a one-time password
# for the administrator 'admin' (or add one: zeropark users add).
#   ZEROPARK_DB  SQLite file (default ./zeropark-demo.db) or a PostgreSQL connection string
#   PORT         HTTP port (default 5080)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[run.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=lib/install.sh
. "$ROOT/scripts/lib/install.sh"

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH"
# Park time zones are IANA zones (Asia/Shanghai): .NET reads them from tzdata.
install_if_missing tzdata /usr/share/zoneinfo/Asia/Shanghai
# Report PDFs are printed by headless Chromium; Chinese text needs a CJK font (docs/reports.md).
install_if_missing chromium /usr/bin/chromium
install_if_missing fonts-noto-cjk /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

# The web UI's front-end assets (Apache ECharts, pinned by package-lock.json) are embedded into the server at build time.
if [ ! -f src/ZeroPark.Server/node_modules/echarts/dist/echarts.min.js ]; then
    command -v npm >/dev/null 2>&1 || install_if_missing "nodejs npm" /usr/bin/npm
    log "npm ci (src/ZeroPark.Server: Apache ECharts for the web UI)"
    (cd src/ZeroPark.Server && npm ci --no-audit --no-fund)
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build src/ZeroPark.Cli -c Release

BIN="$ROOT/src/ZeroPark.Cli/bin/Release/net10.0/zeropark"
DB="${ZEROPARK_DB:-./zeropark-demo.db}"
URL="http://127.0.0.1:${PORT:-5080}"

if ! "$BIN" parks list --db "$DB" --format json | grep -q '"code": "demo"'; then
    log "creating the demo park in $DB (13 months, ~500 meters: about a minute)"
    if ! "$BIN" demo --db "$DB"; then
        # Never leave a half-filled SQLite file behind: the next run would find a broken demo park.
        case "$DB" in *Host=*|postgres://*|postgresql://*) ;; *) rm -f -- "$DB" "$DB-wal" "$DB-shm" "$DB-journal" ;; esac
        log "error: zeropark demo failed"
        exit 1
    fi
fi

log "serving $DB on $URL"
exec "$BIN" serve --db "$DB" --urls "$URL" "$@"
