#!/usr/bin/env bash
# THE test command: ./scripts/test.sh [extra dotnet test args, e.g. --filter Foo]
#
#  1. installs what the tests need if missing (apt-get; sudo when not root): tzdata, PostgreSQL 15,
#     Debian's chromium and fonts-noto-cjk for the browser tests, mosquitto and python3-pymodbus for the
#     collection tests, npm; runs `npm ci` for the UI assets,
#  2. starts a throwaway PostgreSQL 15 on 127.0.0.1 (unless ZEROPARK_TEST_PG is
#     already set, in which case that server is used as is),
#  3. runs `dotnet test ZeroPark.sln -c Release` (the PostgreSQL tests are
#     mandatory: they fail without ZEROPARK_TEST_PG), TRX results in ./artifacts/test-results,
#  4. stops the server, deletes its data, exits with dotnet test's exit code.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[test.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# install_if_missing PKGS CHECK_PATH...: apt-get install unless the paths exist (scripts/lib/install.sh)
# shellcheck source=lib/install.sh
. "$ROOT/scripts/lib/install.sh"
# shellcheck source=lib/pg.sh
. "$ROOT/scripts/lib/pg.sh"

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is not on PATH"

# --- 1. dependencies --------------------------------------------------------
install_if_missing tzdata /usr/share/zoneinfo/Asia/Shanghai
# The browser tests drive Debian's Chromium through Playwright for .NET (never `playwright install`);
# CJK fonts so that the Chinese UI renders (and the screenshots show it).
install_if_missing chromium /usr/bin/chromium
install_if_missing fonts-noto-cjk /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
# Collection tests: a real MQTT broker (Mosquitto, started on a loopback port by the test fixture) and Modbus TCP simulator
# (tests/ZeroPark.Tests/Collection/modbus_sim.py over Debian's pymodbus 3.0.0, which needs pyserial and serial-asyncio to import).
install_if_missing "mosquitto mosquitto-clients" /usr/sbin/mosquitto /usr/bin/mosquitto_pub
install_if_missing "python3 python3-pymodbus python3-serial python3-serial-asyncio" /usr/bin/python3 \
    /usr/lib/python3/dist-packages/pymodbus /usr/lib/python3/dist-packages/serial /usr/lib/python3/dist-packages/serial_asyncio
# The alert e-mail tests deliver through MailKit to a real SMTP server on 127.0.0.1 (python3 -m aiosmtpd, Mailbox handler).
install_if_missing python3-aiosmtpd /usr/lib/python3/dist-packages/aiosmtpd/__init__.py
# Front-end assets (Apache ECharts from npm, pinned in src/ZeroPark.Server/package-lock.json).
if ! command -v npm >/dev/null 2>&1; then
    install_if_missing "nodejs npm" /usr/bin/npm
fi
if [ ! -f src/ZeroPark.Server/node_modules/echarts/dist/echarts.min.js ]; then
    log "npm ci (src/ZeroPark.Server)"
    (cd src/ZeroPark.Server && npm ci --no-audit --no-fund)
fi
if [ -z "${ZEROPARK_TEST_PG:-}" ]; then
    install_if_missing "postgresql-15 postgresql-client-15" \
        "$ZP_PG_BINDIR/initdb" "$ZP_PG_BINDIR/pg_ctl" "$ZP_PG_BINDIR/createdb"
fi

# --- 2. PostgreSQL -----------------------------------------------------------
cleanup() { zp_pg_stop; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${ZEROPARK_TEST_PG:-}" ]; then
    log "using the PostgreSQL from ZEROPARK_TEST_PG"
else
    zp_pg_start || die "could not start the throwaway PostgreSQL 15 server"
    export ZEROPARK_TEST_PG="$ZP_PG_CONN"
fi

# --- 3. tests ----------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

set +e
dotnet test ZeroPark.sln -c Release --logger trx --results-directory "$RESULTS" "$@"
rc=$?
set -e

if [ "$rc" -eq 0 ]; then
    log "tests passed (results: artifacts/test-results)"
else
    log "tests FAILED with exit code $rc (results: artifacts/test-results)"
fi
exit "$rc"
