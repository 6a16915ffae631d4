#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for CI and local checks (no Docker, no system service).
#
#   scripts/pg-cluster.sh start <dir> <port>   initdb (if needed) + start; prints the URL on stdout
#   scripts/pg-cluster.sh stop <dir>           fast shutdown, then removes <dir>
#   scripts/pg-cluster.sh status <dir>         exit 0 when the cluster in <dir> is running
#
# The cluster is owned by the `postgres` OS user (the server refuses to run as root), trusts
# connections from 127.0.0.1 and its own unix socket only, listens on 127.0.0.1 only, runs with
# fsync off (data is disposable) and keeps everything inside <dir>:
#   <dir>/data  <dir>/socket  <dir>/postgres.log  <dir>/.pg-cluster (marker: `stop` only removes such dirs)
# Nothing is created inside the cluster: the URL is postgresql://postgres@127.0.0.1:<port>/postgres,
# `postgres` being the bootstrap superuser.
#
# Env: PG_BIN (default /usr/lib/postgresql/15/bin), PG_OS_USER (default postgres).
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_OS_USER="${PG_OS_USER:-postgres}"
MARKER=.pg-cluster

die() { echo "pg-cluster: error: $*" >&2; exit 1; }
note() { echo "pg-cluster: $*" >&2; }

usage() {
	sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

abspath() {
	case "$1" in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

check_binaries() {
	local b
	for b in initdb pg_ctl postgres pg_isready; do
		[ -x "$PG_BIN/$b" ] || die "missing $PG_BIN/$b: install the server with \`apt-get install postgresql-15\` (or set PG_BIN to a PostgreSQL 15 bin directory)"
	done
	id -u "$PG_OS_USER" >/dev/null 2>&1 || die "no OS user '$PG_OS_USER': \`apt-get install postgresql-15\` creates it (or set PG_OS_USER)"
}

# Runs a command as the cluster's OS user, from / so an unreadable cwd does not matter.
as_pg() {
	if [ "$(id -un)" = "$PG_OS_USER" ]; then
		(cd / && "$@")
	elif [ "$(id -u)" = 0 ]; then
		if command -v runuser >/dev/null 2>&1; then
			(cd / && runuser -u "$PG_OS_USER" -- "$@")
		else
			local q
			q=$(printf '%q ' "$@")
			(cd / && su -s /bin/sh "$PG_OS_USER" -c "$q")
		fi
	else
		die "run as root (the cluster is started as the '$PG_OS_USER' OS user) or as '$PG_OS_USER' itself"
	fi
}

is_running() { # <dir>
	[ -f "$1/data/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

port_in_use() { # <port>
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

cmd_start() {
	[ $# -eq 2 ] || usage
	local dir port
	dir=$(abspath "$1")
	port=$2
	if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
		die "port must be a number in 1024-65535, got '$port'"
	fi
	check_binaries

	local url="postgresql://postgres@127.0.0.1:${port}/postgres"

	if [ -e "$dir" ] && [ ! -f "$dir/$MARKER" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
		die "$dir exists, is not empty and was not made by this script; pick another directory"
	fi

	if is_running "$dir"; then
		local running_port
		running_port=$(sed -n 4p "$dir/data/postmaster.pid" 2>/dev/null || true)
		[ "$running_port" = "$port" ] || die "the cluster in $dir is already running on port $running_port, not $port"
		note "already running in $dir"
		echo "$url"
		return 0
	fi

	if port_in_use "$port"; then
		die "something already listens on 127.0.0.1:$port; stop it or choose another port"
	fi

	mkdir -p "$dir"
	touch "$dir/$MARKER"
	chown "$PG_OS_USER:" "$dir" "$dir/$MARKER" 2>/dev/null || [ "$(id -un)" = "$PG_OS_USER" ] || die "cannot chown $dir to $PG_OS_USER"
	chmod 0700 "$dir"
	# Every parent must be traversable by the postgres user.
	as_pg test -w "$dir" || die "$dir is not writable by the '$PG_OS_USER' OS user (check the permissions of its parent directories)"

	if [ ! -f "$dir/data/PG_VERSION" ]; then
		rm -rf "$dir/data"
		as_pg mkdir -p "$dir/data" "$dir/socket"
		note "initdb in $dir/data"
		if ! as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
			--no-instructions >"$dir/initdb.log" 2>&1; then
			cat "$dir/initdb.log" >&2
			die "initdb failed"
		fi
		# Trust, but only over the cluster's own socket and 127.0.0.1 (no ::1, no other host).
		as_pg sh -c "cat >'$dir/data/pg_hba.conf'" <<-'EOF'
			# TYPE  DATABASE  USER  ADDRESS       METHOD
			local   all       all                 trust
			host    all       all   127.0.0.1/32  trust
			local   replication all               trust
			host    replication all 127.0.0.1/32  trust
		EOF
		as_pg sh -c "cat >>'$dir/data/postgresql.conf'" <<-EOF

			# --- scripts/pg-cluster.sh: throwaway cluster ---
			listen_addresses = '127.0.0.1'
			port = $port
			unix_socket_directories = '$dir/socket'
			unix_socket_permissions = 0700
			fsync = off
			synchronous_commit = off
			full_page_writes = off
			max_connections = 100
			logging_collector = off
		EOF
	else
		# An existing, stopped cluster of ours: keep its data, make sure the port matches.
		as_pg sed -i "s/^port = .*/port = $port/" "$dir/data/postgresql.conf"
	fi

	note "starting on 127.0.0.1:$port"
	if ! as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
		tail -n 30 "$dir/postgres.log" >&2 || true
		die "the server did not start (log: $dir/postgres.log)"
	fi
	as_pg "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 10 || die "the server started but does not accept connections on 127.0.0.1:$port"
	echo "$url"
}

cmd_stop() {
	[ $# -eq 1 ] || usage
	local dir
	dir=$(abspath "$1")
	if [ ! -e "$dir" ]; then
		note "nothing to stop: $dir does not exist"
		return 0
	fi
	[ -f "$dir/$MARKER" ] || die "$dir was not made by this script (no $MARKER marker); not touching it"
	check_binaries
	if is_running "$dir"; then
		note "stopping the cluster in $dir"
		as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
			die "pg_ctl stop failed (log: $dir/postgres.log)"
	fi
	rm -rf "$dir"
	note "removed $dir"
}

cmd_status() {
	[ $# -eq 1 ] || usage
	local dir
	dir=$(abspath "$1")
	check_binaries
	if is_running "$dir"; then
		echo "running: postgresql://postgres@127.0.0.1:$(sed -n 4p "$dir/data/postmaster.pid")/postgres"
	else
		echo "not running"
		return 1
	fi
}

[ $# -ge 1 ] || usage
action=$1
shift
case "$action" in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
status) cmd_status "$@" ;;
-h | --help | help) usage ;;
*) usage ;;
esac
