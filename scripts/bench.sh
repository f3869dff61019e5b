#!/usr/bin/env bash
# Durable ingest benchmark: `zeropark bench --ingest-only` on SQLite (WAL, synchronous=FULL, as the store always runs)
# and on a throwaway PostgreSQL 15 started with its durable defaults (fsync, synchronous_commit and full_page_writes on;
# ZP_PG_DURABLE=1 in scripts/lib/pg.sh), so that every figure is for commits that survive a power cut.
#
#   scripts/bench.sh [--meters N] [--days N] [other zeropark bench options]   (default: --meters 2000 --days 30)
#
# The cluster listens on 127.0.0.1 only and is deleted afterwards. Results go to standard output.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/pg.sh
. "$root/scripts/lib/pg.sh"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--meters 2000 --days 30)
dotnet build "$root/src/ZeroPark.Cli" -c Release -v q -nologo >/dev/null
zp="$root/src/ZeroPark.Cli/bin/Release/net10.0/zeropark"
echo "== SQLite (WAL, synchronous=FULL)"
"$zp" bench --store sqlite --ingest-only "${args[@]}"
ZP_PG_DURABLE=1 zp_pg_start
trap zp_pg_stop EXIT
echo "== PostgreSQL 15 (fsync=on, synchronous_commit=on, full_page_writes=on)"
psql_settings="$("$ZP_PG_BINDIR/psql" -h 127.0.0.1 -p "$ZP_PG_PORT" -U zeropark -d zeropark_test -Atc "SELECT string_agg(name || '=' || setting, ' ') FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes')")"
echo "server settings: $psql_settings"
"$zp" bench --store postgres --pg "$ZP_PG_CONN" --ingest-only "${args[@]}"
