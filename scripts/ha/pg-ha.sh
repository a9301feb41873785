#!/usr/bin/env bash
# A pg_auto_failover formation on loopback for finhub: one monitor and two
# PostgreSQL 15 data nodes (primary + synchronous standby).
#
#   pg-ha.sh up            create and start it, print the formation URI
#   pg-ha.sh uri           print the formation URI (finhub's FINHUB_DATABASE_URL)
#   pg-ha.sh status        the monitor's view of the nodes, and replication
#   pg-ha.sh kill-primary  SIGKILL the current primary node (see cmd_kill_primary)
#   pg-ha.sh rejoin        restart killed nodes: they come back as standbys
#   pg-ha.sh down          stop everything and remove the directory
#
# FINHUB_HA_DIR (default /tmp/finhub-ha) holds data, config and logs;
# FINHUB_HA_MONITOR_PORT, FINHUB_HA_PORT1, FINHUB_HA_PORT2 (6001, 6002, 6003)
# the ports. Runs as root; PostgreSQL and pg_autoctl run as `postgres`.
set -euo pipefail

DIR=${FINHUB_HA_DIR:-/tmp/finhub-ha}
MON_PORT=${FINHUB_HA_MONITOR_PORT:-6001}
PORTS=("${FINHUB_HA_PORT1:-6002}" "${FINHUB_HA_PORT2:-6003}")
PGBIN=${FINHUB_HA_PGBIN:-/usr/lib/postgresql/15/bin}
HOST=127.0.0.1
DB=finhub
ROLE=finhub

# Failure detection and promotion, tuned for seconds instead of the defaults'
# ~50 s. The keeper of a primary cut off from monitor and standby demotes
# itself after NETWORK_PARTITION_S; the monitor promotes the standby only
# after PRIMARY_DEMOTE_MS, which must stay longer, or a partitioned old
# primary could still take writes while the new one does (split brain).
NETWORK_PARTITION_S=${FINHUB_HA_NETWORK_PARTITION_S:-2}
PRIMARY_DEMOTE_MS=${FINHUB_HA_PRIMARY_DEMOTE_MS:-3000}
UNHEALTHY_MS=${FINHUB_HA_UNHEALTHY_MS:-2000}

log() { printf '[pg-ha] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# pg_autoctl keeps its config and state under XDG dirs: keep them in $DIR so
# `down` leaves nothing behind in the postgres user's home.
as_pg() {
  runuser -u postgres -- env \
    XDG_CONFIG_HOME="$DIR/xdg/config" XDG_DATA_HOME="$DIR/xdg/data" \
    XDG_RUNTIME_DIR="$DIR/xdg/run" PATH="$PGBIN:$PATH" PG_CONFIG="$PGBIN/pg_config" \
    "$@"
}

# Statements on stdin run one by one (ALTER SYSTEM refuses a transaction).
psql_at() { # port, db, sql
  as_pg psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$HOST" -p "$1" -d "$2" -f - <<<"$3"
}

install_if_missing() {
  command -v pg_autoctl >/dev/null 2>&1 && return
  log "installing postgresql-15-auto-failover"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq postgresql-15-auto-failover >/dev/null ||
    { apt-get update -qq && apt-get install -y -qq postgresql-15-auto-failover >/dev/null; }
}

monitor_uri() {
  as_pg pg_autoctl show uri --pgdata "$DIR/monitor" --formation monitor
}

# The formation URI with finhub's role in it: pg_autoctl prints none, and a
# client without one would log in as its OS user.
formation_uri() {
  local u
  u=$(as_pg pg_autoctl show uri --pgdata "$DIR/monitor" --formation default)
  printf '%s\n' "${u/postgres:\/\//postgres://$ROLE@}"
}

# Start `pg_autoctl run` for one node in its own session, so the whole node
# (supervisor, keeper, postmaster, backends) is one process group.
run_node() { # name
  local name=$1
  setsid runuser -u postgres -- env \
    XDG_CONFIG_HOME="$DIR/xdg/config" XDG_DATA_HOME="$DIR/xdg/data" \
    XDG_RUNTIME_DIR="$DIR/xdg/run" PATH="$PGBIN:$PATH" \
    pg_autoctl run --pgdata "$DIR/$name" >>"$DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pgid"
}

wait_for() { # seconds, description, command...
  local secs=$1 what=$2
  shift 2
  local t0=$SECONDS
  until "$@" >/dev/null 2>&1; do
    ((SECONDS - t0 < secs)) || die "timed out after ${secs}s waiting for $what (logs in $DIR)"
    sleep 0.5
  done
}

# Node states as the monitor reports them: "name port reported assigned" lines.
states() {
  psql_at "$MON_PORT" pg_auto_failover \
    "SELECT nodename, nodeport, reportedstate, goalstate FROM pgautofailover.node ORDER BY nodeid" |
    tr '|' ' '
}

has_primary_and_sync_secondary() {
  local s
  s=$(states)
  grep -Eq ' primary primary$' <<<"$s" && grep -Eq ' secondary secondary$' <<<"$s" || return 1
  # The standby is really synchronous: the primary waits for it on commit.
  local p
  p=$(primary_port) || return 1
  [ -n "$(psql_at "$p" postgres "SHOW synchronous_standby_names")" ] || return 1
  [ "$(psql_at "$p" postgres "SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync','quorum')")" -ge 1 ]
}

# The node whose reported and assigned states agree on primary (a dead
# primary stays reported "primary" while the monitor assigns it "demoted").
primary_port() {
  states | awk '$3 == $4 && ($3 == "primary" || $3 == "wait_primary" || $3 == "single") { print $2; found=1; exit } END { exit !found }'
}

tune_monitor() {
  psql_at "$MON_PORT" pg_auto_failover "
    ALTER SYSTEM SET pgautofailover.health_check_period = 1000;
    ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000;
    ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1;
    ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500;
    ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = $UNHEALTHY_MS;
    ALTER SYSTEM SET pgautofailover.primary_demote_timeout = $PRIMARY_DEMOTE_MS;
    ALTER SYSTEM SET pgautofailover.startup_grace_period = 2000;
    SELECT pg_reload_conf();" >/dev/null
}

create_node() { # index
  local name="node$(($1 + 1))" port=${PORTS[$1]}
  as_pg pg_autoctl create postgres --pgdata "$DIR/$name" --pgctl "$PGBIN/pg_ctl" \
    --pgport "$port" --pghost "$HOST" --listen "$HOST" --hostname "$HOST" --name "$name" \
    --dbname "$DB" --monitor "$(monitor_uri)" --auth trust --no-ssl \
    >>"$DIR/$name.log" 2>&1 || die "creating $name failed; see $DIR/$name.log"
  as_pg pg_autoctl config set --pgdata "$DIR/$name" \
    timeout.network_partition_timeout "$NETWORK_PARTITION_S" >/dev/null
  run_node "$name"
}

# finhub's role and database on the primary; the standby gets them by
# replication. Loopback logins need no rule of ours: pg_autoctl's initdb
# (--auth trust) already trusts 127.0.0.1, and pg_basebackup copies the file.
prepare_primary() {
  local p=${PORTS[0]}
  psql_at "$p" postgres "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN CREATE ROLE $ROLE LOGIN; END IF;
    END \$\$" >/dev/null
  if [ -z "$(psql_at "$p" postgres "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    psql_at "$p" postgres "CREATE DATABASE $DB" >/dev/null
  fi
  psql_at "$p" postgres "ALTER DATABASE $DB OWNER TO $ROLE" >/dev/null
  # Replication state (pg_stat_replication's sync_state) for monitoring and
  # the failover test; the role stays a plain owner otherwise.
  psql_at "$p" postgres "GRANT pg_read_all_stats TO $ROLE" >/dev/null
}

all_running() {
  local n
  for n in monitor node1 node2; do
    [ -f "$DIR/$n.pgid" ] && kill -0 "$(cat "$DIR/$n.pgid")" 2>/dev/null || return 1
  done
}

cmd_up() {
  install_if_missing
  if all_running; then
    log "already up"
    formation_uri
    return
  fi
  [ ! -e "$DIR" ] || die "$DIR exists but the formation is not running: run '$0 down' first"
  mkdir -p "$DIR/xdg/config" "$DIR/xdg/data" "$DIR/xdg/run"
  chmod 700 "$DIR/xdg/run"
  chown -R postgres:postgres "$DIR"
  local t0=$SECONDS
  log "monitor on $HOST:$MON_PORT"
  as_pg pg_autoctl create monitor --pgdata "$DIR/monitor" --pgctl "$PGBIN/pg_ctl" \
    --pgport "$MON_PORT" --hostname "$HOST" --auth trust --no-ssl \
    >>"$DIR/monitor.log" 2>&1 || die "creating the monitor failed; see $DIR/monitor.log"
  # create monitor has no --listen; without this it listens on every interface.
  as_pg pg_autoctl config set --pgdata "$DIR/monitor" postgresql.listen_addresses "$HOST" >/dev/null
  run_node monitor
  wait_for 60 "the monitor" psql_at "$MON_PORT" pg_auto_failover "SELECT 1"
  tune_monitor
  log "primary on $HOST:${PORTS[0]}"
  create_node 0
  wait_for 60 "node1 to be single" eval 'states | grep -q " single single$"'
  wait_for 60 "node1 to accept connections" psql_at "${PORTS[0]}" postgres "SELECT 1"
  prepare_primary
  log "standby on $HOST:${PORTS[1]}"
  create_node 1
  wait_for 120 "a primary and a synchronous secondary" has_primary_and_sync_secondary
  log "up in $((SECONDS - t0)) s"
  formation_uri
}

# "The primary machine dies": every process of that node (the pg_autoctl
# supervisor and keeper, the postmaster and its backends) gets SIGKILL at
# once. Killing the postmaster alone would be a crash the keeper repairs by
# restarting PostgreSQL in place, not a failover; stopping the keeper
# politely would let it tell the monitor first. With everything gone no one
# reports for that node, and the monitor must find it dead and promote the
# standby. (A real dead machine also stops answering TCP instead of refusing
# it; finhub's short connect timeouts cover that case as well.)
cmd_kill_primary() {
  local port name pid
  port=$(primary_port) || die "no primary right now"
  for name in node1 node2; do
    if [ "$(as_pg pg_autoctl config get --pgdata "$DIR/$name" postgresql.port)" = "$port" ]; then
      pid=$(head -1 "$DIR/$name/postmaster.pid")
      log "killing $name (port $port, postmaster $pid, process group $(cat "$DIR/$name.pgid"))"
      kill -9 -- "-$(cat "$DIR/$name.pgid")" 2>/dev/null || true
      kill -9 "$pid" 2>/dev/null || true
      printf '%s\n' "$name"
      return
    fi
  done
  die "no node listens on the primary's port $port"
}

# The machine is back: its keeper asks the monitor, which makes the old
# primary a standby of the new one (pg_rewind), and synchronous replication
# resumes.
cmd_rejoin() {
  local n
  for n in node1 node2; do
    [ -f "$DIR/$n.pgid" ] && kill -0 -- "-$(cat "$DIR/$n.pgid")" 2>/dev/null && continue
    log "restarting $n"
    run_node "$n"
  done
  wait_for 120 "a primary and a synchronous secondary" has_primary_and_sync_secondary
  log "rejoined"
}

cmd_status() {
  as_pg pg_autoctl show state --pgdata "$DIR/monitor"
  local p
  if p=$(primary_port); then
    echo
    echo "primary $HOST:$p: synchronous_standby_names = $(psql_at "$p" postgres "SHOW synchronous_standby_names")"
    psql_at "$p" postgres "SELECT application_name, state, sync_state FROM pg_stat_replication"
  fi
}

cmd_down() {
  local n
  for n in node2 node1 monitor; do
    [ -f "$DIR/$n.pgid" ] || continue
    # A polite stop first (pg_autoctl stops its PostgreSQL), then SIGKILL
    # whatever is left of that process group, and any postmaster it left.
    as_pg pg_autoctl stop --pgdata "$DIR/$n" --fast >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do
      kill -0 -- "-$(cat "$DIR/$n.pgid")" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 -- "-$(cat "$DIR/$n.pgid")" 2>/dev/null || true
    if [ -f "$DIR/$n/postmaster.pid" ]; then
      kill -9 "$(head -1 "$DIR/$n/postmaster.pid")" 2>/dev/null || true
    fi
  done
  rm -rf "$DIR"
  log "down"
}

main() {
  [ "$(id -u)" -eq 0 ] || die "run as root (PostgreSQL itself runs as postgres)"
  case "${1:-}" in
    up) cmd_up ;;
    uri) formation_uri ;;
    status) cmd_status ;;
    kill-primary) cmd_kill_primary ;;
    rejoin) cmd_rejoin ;;
    down) cmd_down ;;
    *) die "usage: $0 up|down|uri|status|kill-primary|rejoin" ;;
  esac
}

main "$@"
