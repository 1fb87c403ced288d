# shellcheck shell=bash
# A Citus cluster on 127.0.0.1 for test/citus.sh and test/bench/citus.sh,
# sourced after scripts/cluster-lib.sh.  Node I (0: the coordinator) gets
# a free port, a temporary directory, and is stopped and removed on exit
# (also when interrupted).  The caller sets db (the database q uses by
# default), nodes (the nodes' names, for messages), fails (its count of
# failed checks: the nodes' logs are shown on exit when it is not 0) and,
# optionally, CITUS_NODE_CONF (postgresql.conf lines added to each node).
#
#   start_node I      initdb and start node I (Bail out! on failure)
#   q I SQL [DB]      psql -At on node I, stopping on the first error
declare -a dirs=() ports=() datas=() logs=()
started=()

cleanup() {
    status=$?
    for i in "${started[@]}"; do
        "${as_pg[@]}" "$BINDIR/pg_ctl" -D "${datas[$i]}" -m immediate -w stop >/dev/null 2>&1 || true
    done
    if [ $status -ne 0 ] || [ "${fails:-0}" -ne 0 ]; then
        for i in "${!logs[@]}"; do
            [ -f "${logs[$i]}" ] || continue
            echo "# --- last lines of the ${nodes[$i]}'s log ---"
            tail -n 15 "${logs[$i]}" | sed 's/^/# /'
        done
    fi
    for d in "${dirs[@]}"; do rm -rf "$d"; done
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a port nobody listens on, on 127.0.0.1, not yet given to another node
port_taken() {
    local p=$1 q
    for q in "${ports[@]}"; do [ "$q" = "$p" ] && return 0; done
    (: </dev/tcp/127.0.0.1/"$p") 2>/dev/null
}

# psql on node I (0: coordinator) of database $db (or $3)
q() {
    "$BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${ports[$1]}" -U postgres \
        -d "${3:-$db}" -c "$2"
}

start_node() {      # start_node I: node I on a free port
    local i=$1
    cluster_new credit-citus            # BINDIR, tmp, data, log, port, as_pg
    dirs[i]=$tmp
    while port_taken "$port"; do port=$(( 20000 + RANDOM % 20000 )); done
    ports[i]=$port; datas[i]=$data; logs[i]=$log
    cluster_initdb <<CONF || { echo "Bail out! initdb of the ${nodes[$i]} failed"; exit 1; }
listen_addresses = '127.0.0.1'
shared_preload_libraries = 'citus'
shared_buffers = 64MB
max_connections = 60
${CITUS_NODE_CONF:-}
CONF
    started+=("$i")                     # (stopped on exit even if interrupted while starting)
    if ! "${as_pg[@]}" "$BINDIR/pg_ctl" -D "$data" -l "$log" -w -t 60 start >"$tmp/pg_ctl.log" 2>&1; then
        echo "Bail out! the ${nodes[$i]} did not start (port $port)"; exit 1
    fi
}
