#!/usr/bin/env bash
# Load test of the dashboard endpoints (not part of the test suite):
#   ./scripts/loadtest.sh [--db FILE] [--days 30] [--duration 20] [--connections 50] [--threads 2] [--port 5091]
#
# Builds the CLI, creates the demo park in --db if it is missing (zeropark demo --days N --meters 2000), adds a time-of-use tariff and an
# annual electricity plan (so that every card and page has data), a user 'loadtest' (energy_manager) with a dashboard from the
# 'energy_overview' template, starts `zeropark serve` on 127.0.0.1 only, signs in (POST /api/session → session cookie) and runs
# Debian's wrk (installed with apt-get if missing) for --duration seconds per endpoint (after 3 s of unmeasured warm-up) with
# --connections concurrent connections. Prints p50/p95/p99 and requests/s per endpoint, then stops the server it started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DB="./zeropark-loadtest.db"; DAYS=30; DURATION=20; CONNECTIONS=50; THREADS=2; PORT=5091
while [ $# -gt 0 ]; do
    case "$1" in
        --db) DB="$2"; shift 2 ;;
        --days) DAYS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$DURATION" -ge 1 ] && [ "$DURATION" -le 300 ] || { echo "--duration must be 1..300 s" >&2; exit 2; }
log() { printf '[loadtest] %s\n' "$*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk (apt-get)"
    if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null; else sudo apt-get install -y wrk >/dev/null; fi
fi
command -v curl >/dev/null 2>&1 || { log "curl is needed"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/ZeroPark.Cli -c Release -v q -nologo >/dev/null
Z="$ROOT/src/ZeroPark.Cli/bin/Release/net10.0/zeropark"
URL="http://127.0.0.1:$PORT"
PASSWORD="Loadtest-password-1"

if ! "$Z" parks list --db "$DB" --format json | grep -q '"code": "demo"'; then
    log "creating the demo park in $DB ($DAYS days)"
    "$Z" demo --db "$DB" --days "$DAYS" --meters 2000 >/dev/null   # the size of the published load-test figures
fi
if ! "$Z" energy tariff list --db "$DB" --park demo --format json | grep -q valid_from; then
    TARIFF="$(mktemp)"
    cat > "$TARIFF" <<'EOF'
{ "name": "演示 10kV 一般工商业", "currency": "CNY",
  "prices": { "critical_peak": 1.30, "peak": 1.05, "flat": 0.65, "valley": 0.30 },
  "schedule": [ { "start": 0, "end": 8, "period": "valley" }, { "start": 8, "end": 10, "period": "flat" },
                { "start": 10, "end": 12, "period": "peak" }, { "start": 12, "end": 17, "period": "flat" },
                { "start": 17, "end": 22, "period": "peak" }, { "start": 22, "end": 24, "period": "flat" },
                { "start": 20, "end": 22, "period": "critical_peak", "months": [7, 8] } ] }
EOF
    "$Z" energy tariff add --db "$DB" --park demo --from 2024-01-01 --file "$TARIFF" --user loadtest >/dev/null
    rm -f "$TARIFF"
    "$Z" energy plan set --db "$DB" --park demo --carrier electricity --year 2025 --amount 60000 --unit MWh --user loadtest >/dev/null
fi
if ! "$Z" users list --db "$DB" --format json | grep -q '"loadtest"'; then
    printf '%s\n' "$PASSWORD" | "$Z" users add --db "$DB" --user loadtest --role energy_manager --park demo >/dev/null
fi

log "starting zeropark serve on $URL"
"$Z" serve --db "$DB" --urls "$URL" >/tmp/zeropark-loadtest-server.log 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; rm -f "$COOKIES"' EXIT
COOKIES="$(mktemp)"
for _ in $(seq 1 120); do curl -fs "$URL/health" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "$URL/health" >/dev/null || { log "the server did not start (see /tmp/zeropark-loadtest-server.log)"; exit 1; }
curl -fs -c "$COOKIES" -H 'Content-Type: application/json' -d "{\"user\":\"loadtest\",\"password\":\"$PASSWORD\"}" "$URL/api/session" >/dev/null
SESSION="$(awk '$6 == "zp_session" { print $7 }' "$COOKIES")"
[ -n "$SESSION" ] || { log "sign-in failed"; exit 1; }
H="Cookie: zp_session=$SESSION"

# A dashboard (the energy_overview template) for the dashboard read, and the latest day with data for the card periods.
DASH="$(curl -fs -H "$H" "$URL/api/parks/demo/dashboards" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2 || true)"
if [ -z "$DASH" ]; then
    DASH="$(curl -fs -H "$H" -H 'Content-Type: application/json' -d '{"template":"energy_overview"}' "$URL/api/parks/demo/dashboards" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)"
fi
LAST="$(curl -fs -H "$H" "$URL/api/parks/demo/latest" | grep -o '"at":"[0-9-]*' | cut -d'"' -f4 | sort | tail -1)"
TO="$(date -d "$LAST -1 day" +%F)"          # the latest reading (local midnight) closes the day before
MONTH="$(date -d "$TO" +%Y-%m-01)"
FROM7="$(date -d "$TO -6 day" +%F)"
FROM30="$(date -d "$TO -29 day" +%F)"
log "demo data up to $TO; dashboard $DASH; $CONNECTIONS connections, ${DURATION}s per endpoint"

# The requests the dashboard's cards make (energy_overview, cooling and PUE templates).
ENDPOINTS=(
    "dashboard|/api/parks/demo/dashboards/$DASH"
    "kpi tile (month)|/api/parks/demo/energy/kpi?from=$MONTH&to=$TO&by=total"
    "kpi tile (7 days)|/api/parks/demo/energy/kpi?from=$FROM7&to=$TO&by=total"
    "trend (30 days)|/api/parks/demo/energy/kpi?from=$FROM30&to=$TO&by=day"
    "trend cooling|/api/parks/demo/series?system=cooling&from=$FROM30&to=$TO&by=day"
    "breakdown|/api/parks/demo/energy/breakdown?from=$MONTH&to=$TO&by=total"
    "sankey|/api/parks/demo/energy/flow?from=$MONTH&to=$TO&by=total"
    "ranking top 10|/api/parks/demo/energy/top?from=$MONTH&to=$TO&n=10"
)
LUA="$(mktemp --suffix=.lua)"
cat > "$LUA" <<'EOF'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %.1f\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
EOF
printf '%-20s %9s %8s %9s %9s %9s %9s\n' endpoint requests errors "p50 ms" "p95 ms" "p99 ms" "req/s"
for e in "${ENDPOINTS[@]}"; do
    name="${e%%|*}"; path="${e#*|}"
    code="$(curl -s -o /dev/null -w '%{http_code}' -H "$H" "$URL$path")"
    [ "$code" = 200 ] || { log "$path answered $code"; exit 1; }
    # 3 s of warm-up first (JIT, thread pool, the first computation of a cached answer), not measured.
    wrk -t"$THREADS" -c"$CONNECTIONS" -d3s --timeout 10s -H "$H" "$URL$path" >/dev/null
    line="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -H "$H" -s "$LUA" "$URL$path" | grep '^RESULT')"
    read -r _ req err p50 p95 p99 rps <<<"$line"
    printf '%-20s %9s %8s %9s %9s %9s %9s\n' "$name" "$req" "$err" "$p50" "$p95" "$p99" "$rps"
done
rm -f "$LUA"
