#!/usr/bin/env bash
# CI step: the real Supabase CLI applies every migration in supabase/migrations, from zero, to a
# real PostgreSQL 15 that looks like a fresh hosted Supabase database — the path operators take
# with `supabase db push` / `migration up` against a hosted project. No Docker.
#
#   1. start a throwaway cluster (scripts/pg-cluster.sh)
#   2. apply tests/operators/supabase-platform.sql (Supabase's roles, auth/storage schemas, grants;
#      `postgres` ends up a non-superuser, as on hosted projects)
#   3. `supabase migration up --db-url …`, then `supabase migration list --db-url …`: every
#      migration file must show with its Local and Remote columns filled; a second `migration up`
#      and `supabase db push --db-url …` must have nothing to do
#   4. `supabase db reset --db-url … --yes`: drops what the migrations made, applies them again and
#      runs the seed ([db.seed] in supabase/config.toml); the list is checked again
#   5. the cluster is stopped and removed, whatever happened
#
# Usage: scripts/check-cli-migrations.sh [--port N] [--workdir DIR] [--no-reset] [--keep]
#   --port N       cluster port (default $CLI_CHECK_PORT or 55432; the next free one is taken if busy
#                  and no port was asked for)
#   --workdir DIR  project directory holding supabase/ (default: this repository)
#   --no-reset     skip step 4
#   --keep         leave the cluster running at the end (prints how to stop it)
# Exit status: 0 when every check passed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORKDIR=$ROOT
PORT=${CLI_CHECK_PORT:-}
DO_RESET=1
KEEP=0

while [ $# -gt 0 ]; do
	case "$1" in
	--port) PORT=${2:?--port needs a value}; shift 2 ;;
	--workdir) WORKDIR=$(cd "${2:?--workdir needs a value}" && pwd) || exit 2; shift 2 ;;
	--no-reset) DO_RESET=0; shift ;;
	--keep) KEEP=1; shift ;;
	-h | --help) sed -n '2,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
	esac
done

SUPABASE="$ROOT/node_modules/.bin/supabase"
PG_CLUSTER="$ROOT/scripts/pg-cluster.sh"
PLATFORM_SQL="$ROOT/tests/operators/supabase-platform.sql"
MIGRATIONS_DIR="$WORKDIR/supabase/migrations"

PASSED=0
FAILED=0
START_TIME=$(date +%s)
pass() { PASSED=$((PASSED + 1)); echo "PASS: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
indent() { sed 's/^/    | /'; }

finish() {
	local elapsed=$(($(date +%s) - START_TIME))
	echo
	echo "cli-migrations: ${PASSED} passed, ${FAILED} failed"
	echo "(${elapsed}s)"
	[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
	exit $?
}
abort() { fail "$*"; finish; }

# --- preflight ---------------------------------------------------------------------------------

[ -x "$SUPABASE" ] || abort "the Supabase CLI is missing at node_modules/.bin/supabase (run npm ci)"
command -v psql >/dev/null || abort "psql is missing (apt-get install postgresql-client-15)"
[ -f "$PLATFORM_SQL" ] || abort "missing $PLATFORM_SQL"
[ -d "$MIGRATIONS_DIR" ] || abort "no supabase/migrations directory in $WORKDIR"

# The CLI only runs files named <digits>_<name>.sql and silently skips the rest.
declare -a VERSIONS=()
declare -a BAD_NAMES=()
shopt -s nullglob
for f in "$MIGRATIONS_DIR"/*; do
	name=$(basename "$f")
	if [[ "$name" =~ ^([0-9]+)_.+\.sql$ ]]; then
		VERSIONS+=("${BASH_REMATCH[1]}")
	else
		BAD_NAMES+=("$name")
	fi
done
shopt -u nullglob
if [ ${#BAD_NAMES[@]} -gt 0 ]; then
	fail "supabase/migrations holds files the CLI would skip (name must be <timestamp>_<name>.sql): ${BAD_NAMES[*]}"
fi
DUPES=$(printf '%s\n' "${VERSIONS[@]}" | sort | uniq -d | tr '\n' ' ')
[ -z "$DUPES" ] || fail "duplicate migration versions: $DUPES"
echo "migrations in $MIGRATIONS_DIR: ${#VERSIONS[@]}"

# --- cluster -------------------------------------------------------------------------------------

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "$PORT" ]; then
	PORT=55432
	for _ in $(seq 1 20); do port_free "$PORT" && break; PORT=$((PORT + 1)); done
fi

URL=""
PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cli-check-pg.XXXXXX") || abort "mktemp failed"
touch "$PG_DIR/.pg-cluster" # ours: pg-cluster.sh stop may remove it even if start fails half-way
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
	if [ "$KEEP" = 1 ]; then
		echo "cluster kept: $URL  (stop: $PG_CLUSTER stop $PG_DIR)"
	else
		"$PG_CLUSTER" stop "$PG_DIR" >/dev/null 2>&1 || echo "warning: could not stop the cluster in $PG_DIR" >&2
	fi
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

URL=$("$PG_CLUSTER" start "$PG_DIR" "$PORT" 2>"$PG_DIR.start.log") || {
	indent <"$PG_DIR.start.log"
	rm -f "$PG_DIR.start.log"
	abort "could not start PostgreSQL 15 on 127.0.0.1:$PORT"
}
rm -f "$PG_DIR.start.log"
DB_URL="$URL?sslmode=disable"
pass "PostgreSQL 15 cluster up: $URL"

PSQL=(psql "$URL" -X -q -v ON_ERROR_STOP=1)

if out=$("${PSQL[@]}" -f "$PLATFORM_SQL" 2>&1); then
	pass "supabase-platform.sql applied (postgres superuser: $("${PSQL[@]}" -Atc "select rolsuper from pg_roles where rolname = 'postgres'"))"
else
	echo "$out" | indent
	abort "supabase-platform.sql failed"
fi

# --- the CLI -------------------------------------------------------------------------------------

export DO_NOT_TRACK=1 SUPABASE_TELEMETRY_DISABLED=1
cli() { (cd "$WORKDIR" && "$SUPABASE" "$@" 2>&1); }

# Prints the versions whose Local and Remote columns are both filled, one per line; rows where
# only one side is filled go to stderr as "local-only <v>" / "remote-only <v>".
parse_list() {
	awk -F'|' '
		NF >= 3 {
			l = $1; r = $2
			gsub(/[` \t]/, "", l); gsub(/[` \t]/, "", r)
			if (l == "Local" || l ~ /^-+$/) next
			if (l != "" && l == r) print l
			else if (l != "" && r == "") print "local-only " l > "/dev/stderr"
			else if (l == "" && r != "") print "remote-only " r > "/dev/stderr"
			else if (l != "" && r != "") print "mismatch " l " " r > "/dev/stderr"
		}'
}

check_list() { # <label>
	local label=$1 out applied problems missing="" v
	if ! out=$(cli migration list --db-url "$DB_URL"); then
		echo "$out" | indent
		fail "$label: supabase migration list failed"
		return
	fi
	echo "supabase migration list ($label):"
	echo "$out" | indent
	applied=$(echo "$out" | parse_list 2>/dev/null)
	problems=$(echo "$out" | parse_list 2>&1 >/dev/null)
	for v in "${VERSIONS[@]}"; do
		grep -qx "$v" <<<"$applied" || missing+="$v "
	done
	if [ -n "$missing" ] || [ -n "$problems" ]; then
		fail "$label: not every migration is applied — missing: ${missing:-none}; ${problems:+other rows: $(echo "$problems" | tr '\n' ';')}"
		return
	fi
	local in_db
	in_db=0
	if [ "$("${PSQL[@]}" -Atc "select to_regclass('supabase_migrations.schema_migrations') is not null")" = t ]; then
		in_db=$("${PSQL[@]}" -Atc "select count(*) from supabase_migrations.schema_migrations" 2>&1)
	fi
	if [ "$in_db" != "${#VERSIONS[@]}" ]; then
		fail "$label: supabase_migrations.schema_migrations holds '$in_db' rows, expected ${#VERSIONS[@]}"
		return
	fi
	pass "$label: all ${#VERSIONS[@]} migrations listed as applied (Local = Remote) and recorded in supabase_migrations.schema_migrations"
}

if out=$(cli migration up --db-url "$DB_URL"); then
	echo "$out" | indent
	pass "supabase migration up applied ${#VERSIONS[@]} migration(s) from zero"
else
	echo "$out" | indent
	abort "supabase migration up failed"
fi

check_list "after migration up"

if out=$(cli migration up --db-url "$DB_URL") && ! grep -q '^Applying migration' <<<"$out"; then
	pass "a second migration up has nothing to apply"
else
	echo "$out" | indent
	fail "a second migration up did not come back clean"
fi

# What operators run against a hosted project: it must read the same history and find nothing to do.
if out=$(cli db push --db-url "$DB_URL" --yes) && grep -q 'Remote database is up to date' <<<"$out"; then
	pass "supabase db push agrees: remote database is up to date"
else
	echo "$out" | indent
	fail "supabase db push did not report the database as up to date"
fi

if [ "$DO_RESET" = 1 ]; then
	seed_expected=0
	[ -f "$WORKDIR/supabase/seed.sql" ] && seed_expected=1
	if out=$(cli db reset --db-url "$DB_URL" --yes); then
		echo "$out" | indent
		pass "supabase db reset dropped and re-applied every migration"
		if [ "$seed_expected" = 1 ]; then
			seeds=$("${PSQL[@]}" -Atc "select count(*) from supabase_migrations.seed_files" 2>&1)
			if grep -q '^Seeding data from' <<<"$out" && [ "${seeds:-0}" -ge 1 ] 2>/dev/null; then
				pass "seed applied by db reset ($(grep '^Seeding data from' <<<"$out" | sed 's/^Seeding data from //; s/\.\.\.$//' | tr '\n' ' ')— $seeds file(s) in supabase_migrations.seed_files)"
			else
				fail "db reset did not run the seed (seed_files: $seeds)"
			fi
		else
			echo "note: no supabase/seed.sql, seeding not checked"
		fi
		check_list "after db reset"
	else
		echo "$out" | indent
		fail "supabase db reset --db-url failed"
	fi
fi

finish
