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
