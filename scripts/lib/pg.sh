# shellcheck shell=bash
# Throwaway PostgreSQL 15 cluster for the test suite. Source this file, then:
#
#   zp_pg_start   # sets ZP_PG_DIR, ZP_PG_PORT, ZP_PG_CONN (Npgsql connection string)
#   zp_pg_stop    # stops the server and deletes ZP_PG_DIR (safe to call twice)
#
# The cluster lives in a fresh temp dir, listens on 127.0.0.1 only (first free
# port from 55432 up), trusts every local connection, has superuser `zeropark`
# and database `zeropark_test`, and runs without fsync (data is disposable).
# With ZP_PG_DURABLE=1 it runs with PostgreSQL's durable defaults instead (fsync,
# synchronous_commit and full_page_writes on): the mode scripts/bench.sh measures in.
# PostgreSQL refuses to run as root, so as root the server runs as `postgres`.

ZP_PG_BINDIR="${ZP_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
ZP_PG_FIRST_PORT="${ZP_PG_FIRST_PORT:-55432}"
ZP_PG_DIR=""
ZP_PG_PORT=""
ZP_PG_CONN=""

zp_pg_log() { printf '[pg] %s\n' "$*" >&2; }

# Runs a command as the cluster owner (postgres when we are root, else ourselves),
# from inside the cluster dir so the owner never needs access to our cwd.
zp_pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$ZP_PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$ZP_PG_DIR" && "$@")
    fi
}

# True when nothing listens on 127.0.0.1:$1.
zp_pg_port_free() {
    local port="$1"
    if command -v ss >/dev/null 2>&1; then
        if ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
            return 1
        fi
    fi
    # Fallback / double check: can we connect to it?
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        return 1
    fi
    return 0
}

# Removes leftovers of runs that were killed hard (no live postmaster, > 1 h old).
zp_pg_cleanup_stale() {
    local d pid
    for d in /tmp/zeropark-pg.*; do
        [ -d "$d" ] || continue
        [ -n "$(find "$d" -maxdepth 0 -mmin +60 2>/dev/null)" ] || continue
        pid="$(head -n1 "$d/data/postmaster.pid" 2>/dev/null || true)"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            continue
        fi
        rm -rf -- "$d"
    done
}

zp_pg_start() {
    local bindir="$ZP_PG_BINDIR" locale port last
    if [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
        zp_pg_log "PostgreSQL 15 not found in $bindir"
        return 1
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        zp_pg_log "running as root but there is no 'postgres' user to run the server"
        return 1
    fi

    local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if [ "${ZP_PG_DURABLE:-0}" = 1 ]; then
        durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
    fi

    zp_pg_cleanup_stale
    ZP_PG_DIR="$(mktemp -d /tmp/zeropark-pg.XXXXXX)"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$ZP_PG_DIR"
    fi
    chmod 700 "$ZP_PG_DIR"

    locale=C
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        locale=C.UTF-8
    fi

    if ! zp_pg_as_owner "$bindir/initdb" -D "$ZP_PG_DIR/data" -A trust -U zeropark \
            --encoding=UTF8 --locale="$locale" --no-sync >"$ZP_PG_DIR/initdb.log" 2>&1; then
        zp_pg_log "initdb failed:"
        cat "$ZP_PG_DIR/initdb.log" >&2
        return 1
    fi

    # Another process may grab a port between the check and the bind: try the next one.
    port="$ZP_PG_FIRST_PORT"
    last=$((ZP_PG_FIRST_PORT + 100))
    while [ "$port" -lt "$last" ]; do
        if zp_pg_port_free "$port"; then
            if zp_pg_as_owner "$bindir/pg_ctl" -D "$ZP_PG_DIR/data" -l "$ZP_PG_DIR/server.log" -w -t 60 \
                    -o "-c listen_addresses=127.0.0.1 -p $port -k $ZP_PG_DIR $durability -c max_connections=300" \
                    start >/dev/null 2>&1; then
                ZP_PG_PORT="$port"
                break
            fi
            zp_pg_log "could not start on port $port, trying the next one"
        fi
        port=$((port + 1))
    done
    if [ -z "$ZP_PG_PORT" ]; then
        zp_pg_log "could not start PostgreSQL; server log:"
        tail -n 30 "$ZP_PG_DIR/server.log" >&2 2>/dev/null || true
        return 1
    fi

    if ! "$bindir/createdb" -h 127.0.0.1 -p "$ZP_PG_PORT" -U zeropark zeropark_test; then
        zp_pg_log "createdb zeropark_test failed"
        return 1
    fi
    ZP_PG_CONN="Host=127.0.0.1;Port=$ZP_PG_PORT;Username=zeropark;Database=zeropark_test;Pooling=true;Maximum Pool Size=50"
    zp_pg_log "PostgreSQL 15 ready on 127.0.0.1:$ZP_PG_PORT (data in $ZP_PG_DIR)"
}

zp_pg_stop() {
    [ -n "$ZP_PG_DIR" ] || return 0
    if [ -f "$ZP_PG_DIR/data/postmaster.pid" ]; then
        zp_pg_as_owner "$ZP_PG_BINDIR/pg_ctl" -D "$ZP_PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            zp_pg_as_owner "$ZP_PG_BINDIR/pg_ctl" -D "$ZP_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 ||
            true
    fi
    rm -rf -- "$ZP_PG_DIR"
    ZP_PG_DIR=""
    ZP_PG_PORT=""
    ZP_PG_CONN=""
}
