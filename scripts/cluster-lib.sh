# shellcheck shell=bash
# Throwaway clusters, sourced by scripts/pgtmp.sh and scripts/valgrind.sh.
#
#   cluster_new PREFIX   sets BINDIR, tmp (a fresh /tmp/PREFIX.XXXXXX), data,
#                        log, port, and as_pg (the prefix that runs a command
#                        as the postgres OS user when we are root: initdb
#                        refuses root)
#   cluster_initdb       initdb, then the base configuration (Unix socket in
#                        $tmp only, no durability, messages in English) and
#                        the settings read from stdin

cluster_new() {
    BINDIR=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --bindir)
    tmp=$(mktemp -d "/tmp/$1.XXXXXX")
    chmod 755 "$tmp"
    data="$tmp/data"
    log="$tmp/server.log"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$tmp"
        as_pg=(runuser -u postgres --)
    else
        as_pg=()
    fi
    port=$(( 20000 + RANDOM % 20000 ))
}

cluster_initdb() {
    "${as_pg[@]}" "$BINDIR/initdb" -D "$data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
        || { cat "$tmp/initdb.log" >&2; return 1; }
    {
        cat <<CONF
listen_addresses = ''
unix_socket_directories = '$tmp'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
lc_messages = 'C'
CONF
        cat
    } >>"$data/postgresql.conf"
}

# ---- crashing a cluster on purpose (the crash tests) -------------------------
#
#   cluster_descendants PID   every process below PID
#   cluster_alive PID         PID exists and is not a zombie
#   cluster_kill9 PM          SIGSTOP the postmaster (no more forks), SIGKILL it
#                             and all its children, wait until none is alive;
#                             sets cluster_killed (the pids) and cluster_left
#                             (those still alive: empty on success)
#   cluster_clear_zombie_lock PM DATADIR SOCKETDIR PORT
#                             where PID 1 does not reap orphans (some
#                             containers), a killed postmaster stays a zombie
#                             and PostgreSQL's lock-file check (kill(pid, 0))
#                             cannot tell it from a live one: remove the stale
#                             lock files as an operator would
cluster_descendants() {
    ps -e -o pid=,ppid= | awk -v root="$1" '
        { parent[$1] = $2 }
        END { for (p in parent) { q = p; while (q in parent && q != root && q > 1) q = parent[q]; if (q == root && p != root) print p } }'
}

cluster_alive() {
    [ -r "/proc/$1/stat" ] && ! awk '{ exit !($3 == "Z") }' "/proc/$1/stat" 2>/dev/null
}

cluster_kill9() {
    local pm=$1 tree p
    kill -STOP "$pm"
    tree=$(cluster_descendants "$pm")
    kill -KILL "$pm" $tree 2>/dev/null
    cluster_killed="$pm $tree"
    for _ in $(seq 100); do
        cluster_left=""
        for p in $cluster_killed; do cluster_alive "$p" && cluster_left="$cluster_left $p"; done
        [ -z "$cluster_left" ] && break
        sleep 0.1
    done
}

cluster_clear_zombie_lock() {
    if [ -e "/proc/$1" ] && ! cluster_alive "$1"; then
        echo "# postmaster $1 is an unreaped zombie: removing its stale lock files"
        rm -f "$2/postmaster.pid" "$3/.s.PGSQL.$4.lock"
    fi
}
