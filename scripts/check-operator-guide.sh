#!/usr/bin/env bash
# CI step: follows the operators' guide (docs/operators.md) step by step against a throwaway
# PostgreSQL 15 cluster standing in for a new hosted Supabase project, with the Supabase CLI
# commands that need no Docker. The commands are read from the guide's ```sh blocks and run as
# written (`npx supabase …` is the CLI in node_modules, `psql`/`pg_dump` are PostgreSQL 15's), so
# the guide cannot drift from what CI runs. Each check prints PASS/FAIL with the guide's step:
#
#    1  a cluster + tests/operators/supabase-platform.sql (a new hosted project)
#    2  `db push --db-url … --dry-run`, then `db push --db-url …`, from the PREVIOUS release (every
#       migration but the newest), so that step 12 has an upgrade to make
#    3  `migration list --db-url …`: every migration applied
#    4  the email templates and their subjects: files, config.toml and the guide agree
#    5  the storage bucket the migrations make, as the guide describes it
#    6  the guide's variables = src/env.ts's (+ adapter-node's)
#    7  `ORIGIN=… npm run build`, in a copy of the app
#    8  the build refuses to start without its environment; with it, it listens and checks ORIGIN
#   10  /health answers 503 with every part failing when Supabase is unreachable
#   11  the first admin: a user signs up (as Supabase Auth writes it), then the guide's psql command
#   12  backup (pg_dump, as the guide says), then the upgrade: dry run, push, list
#   13  restore into a second, fresh cluster; same rows, history, schema, RLS, policies, triggers
#   (9, HTTPS and the proxy, and 14, rotating keys, are dashboard or host work: not run)
#
# `supabase link` needs a Supabase account, so the guide's --db-url variants run here.
# Ports: 24460 (project), 24461 (restore target), 24465 (the portal), 24466/24467 (nothing
# listens: an unreachable Supabase and SMTP server). Clusters, the server and temporary files
# are removed whatever happens.
#
# Usage: scripts/check-operator-guide.sh [--skip-build]
#   --skip-build  skip steps 7, 8 and 10 (quick loop on the database steps)
# Exit status: 0 when every check passed.

# The guide's commands are looked up literally, "$DB_URL" and all.
# shellcheck disable=SC2016
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SKIP_BUILD=0
while [ $# -gt 0 ]; do
	case "$1" in
	--skip-build) SKIP_BUILD=1; shift ;;
	-h | --help) sed -n '2,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
	esac
done

GUIDE="$ROOT/docs/operators.md"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
SUPABASE="$ROOT/node_modules/.bin/supabase"
NODE="$ROOT/node_modules/.bin/node"
PG_CLUSTER="$ROOT/scripts/pg-cluster.sh"
PLATFORM_SQL="$ROOT/tests/operators/supabase-platform.sql"
PORT_PROJECT=24460
PORT_RESTORE=24461
PORT_APP=24465
PORT_NO_SUPABASE=24466
PORT_NO_SMTP=24467
ADMIN_EMAIL=first.admin@portal-operators.test
INVITED_EMAIL=second.admin@portal-operators.test

export DO_NOT_TRACK=1 SUPABASE_TELEMETRY_DISABLED=1

PASSED=0
FAILED=0
STEP=0
START_TIME=$(date +%s)
step() { STEP=$1; printf '\n--- step %s: %s  [+%ss]\n' "$1" "$2" "$(($(date +%s) - START_TIME))"; }
pass() { PASSED=$((PASSED + 1)); echo "PASS [step $STEP] $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL [step $STEP] $*"; }
skip() { echo "SKIP [step $STEP] $*"; }
indent() { sed 's/^/    | /'; }

finish() {
	echo
	echo "operator-guide: ${PASSED} passed, ${FAILED} failed"
	echo "($(($(date +%s) - START_TIME))s)"
	[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
	exit $?
}
abort() { fail "$*"; finish; }

# --- preflight -----------------------------------------------------------------------------------

[ -f "$GUIDE" ] || abort "missing $GUIDE"
[ -x "$SUPABASE" ] || abort "the Supabase CLI is missing at node_modules/.bin/supabase (run npm ci)"
[ -x "$NODE" ] || abort "Node.js 22 is missing at node_modules/.bin/node (run npm ci)"
for b in psql pg_dump initdb; do
	[ -x "$PG_BIN/$b" ] || abort "missing $PG_BIN/$b (apt-get install postgresql-15)"
done

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $PORT_PROJECT $PORT_RESTORE $PORT_APP $PORT_NO_SUPABASE $PORT_NO_SMTP; do
	port_free "$p" || abort "port $p is in use (this check uses 24460-24469)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/operator-guide.XXXXXX") || abort "mktemp failed"
PG_PROJECT=$(mktemp -d "${TMPDIR:-/tmp}/operator-guide-project-pg.XXXXXX") || abort "mktemp failed"
PG_RESTORE=$(mktemp -d "${TMPDIR:-/tmp}/operator-guide-restore-pg.XXXXXX") || abort "mktemp failed"
touch "$PG_PROJECT/.pg-cluster" "$PG_RESTORE/.pg-cluster" # ours: pg-cluster.sh stop may remove them
APP_PID=""
# shellcheck disable=SC2317 # called through the EXIT trap
cleanup() {
	if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
		kill "$APP_PID" 2>/dev/null
		wait "$APP_PID" 2>/dev/null
	fi
	"$PG_CLUSTER" stop "$PG_PROJECT" >/dev/null 2>&1 || echo "warning: could not stop the cluster in $PG_PROJECT" >&2
	"$PG_CLUSTER" stop "$PG_RESTORE" >/dev/null 2>&1 || echo "warning: could not stop the cluster in $PG_RESTORE" >&2
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# --- the guide's commands ------------------------------------------------------------------------

# Every logical line of the guide's ```sh blocks (continuation lines joined), one per line.
awk '
	/^[ \t]*```sh[ \t]*$/ { inblock = 1; buf = ""; next }
	/^[ \t]*```/ { inblock = 0; next }
	inblock {
		line = $0
		sub(/^[ \t]+/, "", line)
		if (line ~ /\\$/) { sub(/[ \t]*\\$/, " ", line); buf = buf line; next }
		print buf line
		buf = ""
	}' "$GUIDE" | sort -u >"$WORK/guide-commands"

# guide_cmd exact|prefix <text>: prints the guide's one command equal to / starting with <text>.
guide_cmd() {
	local mode=$1 text=$2 found
	if [ "$mode" = exact ]; then
		found=$(grep -Fx -- "$text" "$WORK/guide-commands")
	else
		found=$(awk -v p="$text" 'index($0, p) == 1' "$WORK/guide-commands")
	fi
	if [ -z "$found" ]; then
		if [ "$mode" = exact ]; then echo "the guide has no command: $text" >&2; else echo "the guide has no command starting with: $text" >&2; fi
		return 1
	fi
	if [ "$(printf '%s\n' "$found" | wc -l)" -ne 1 ]; then
		echo "the guide has several commands starting with: $text" >&2
		return 1
	fi
	printf '%s\n' "$found"
}

# run_guide <dir> <command>...: runs the guide's commands, in order, as one bash -e script in <dir>
# (DB_URL, NEW_DB_URL and BACKUP come from the environment). Output on stdout.
run_guide() {
	local dir=$1
	shift
	{
		echo 'set -euo pipefail'
		echo "npx() { local bin=\$1; shift; \"$ROOT/node_modules/.bin/\$bin\" \"\$@\"; }"
		printf '%s\n' "$@"
	} >"$WORK/run.sh"
	(cd "$dir" && PATH="$PG_BIN:$PATH" timeout 300 bash "$WORK/run.sh" </dev/null 2>&1)
}

# Prints the versions whose Local and Remote columns of `migration list` are both filled; rows
# where only one side is filled go to stderr. (As in scripts/check-cli-migrations.sh.)
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

# check_list <list output> <versions…>: exactly these versions applied, nothing else.
check_list() {
	local out=$1 applied problems expected got
	shift
	applied=$(parse_list <<<"$out" 2>/dev/null | sort)
	problems=$(parse_list <<<"$out" 2>&1 >/dev/null)
	expected=$(printf '%s\n' "$@" | sort)
	got=$(printf '%s\n' "$applied")
	[ "$got" = "$expected" ] && [ -z "$problems" ]
}

# --- the migrations: the previous release and this one -------------------------------------------

declare -a FILES=()
shopt -s nullglob
for f in "$ROOT"/supabase/migrations/*.sql; do
	[[ "$(basename "$f")" =~ ^[0-9]+_.+\.sql$ ]] && FILES+=("$(basename "$f")")
done
shopt -u nullglob
[ ${#FILES[@]} -gt 0 ] || abort "no migrations in supabase/migrations"
declare -a ALL_VERSIONS=() PREV_FILES=() PREV_VERSIONS=()
for f in "${FILES[@]}"; do ALL_VERSIONS+=("${f%%_*}"); done
NEWEST=""
if [ ${#FILES[@]} -ge 2 ]; then
	NEWEST=${FILES[-1]}
	PREV_FILES=("${FILES[@]:0:${#FILES[@]}-1}")
else
	PREV_FILES=("${FILES[@]}")
fi
for f in "${PREV_FILES[@]}"; do PREV_VERSIONS+=("${f%%_*}"); done

# Two checkouts, as an operator has them: the release deployed first, and the one upgraded to.
PREV_CHECKOUT="$WORK/previous-release"
NEW_CHECKOUT="$WORK/new-release"
mkdir -p "$PREV_CHECKOUT" "$NEW_CHECKOUT" "$WORK/elsewhere"
if ! cp -R "$ROOT/supabase" "$PREV_CHECKOUT/" || ! cp -R "$ROOT/supabase" "$NEW_CHECKOUT/"; then
	abort "cannot copy supabase/"
fi
rm -rf "$PREV_CHECKOUT/supabase/.temp" "$NEW_CHECKOUT/supabase/.temp"
[ -z "$NEWEST" ] || rm "$PREV_CHECKOUT/supabase/migrations/$NEWEST"
echo "migrations: ${#FILES[@]}; the previous release has ${#PREV_FILES[@]}${NEWEST:+, the upgrade adds $NEWEST}"

# --- 1. the project ------------------------------------------------------------------------------

step 1 "Create the Supabase project"
start_cluster() { # <dir> <port>: prints the URL
	local url
	if ! url=$("$PG_CLUSTER" start "$1" "$2" 2>"$WORK/cluster.log"); then
		indent <"$WORK/cluster.log"
		return 1
	fi
	printf '%s\n' "$url"
}
URL_PROJECT=$(start_cluster "$PG_PROJECT" $PORT_PROJECT) || abort "could not start PostgreSQL 15 on 127.0.0.1:$PORT_PROJECT"
if out=$("$PG_BIN/psql" "$URL_PROJECT" -X -q -v ON_ERROR_STOP=1 -f "$PLATFORM_SQL" 2>&1); then
	pass "PostgreSQL 15 on 127.0.0.1:$PORT_PROJECT, shaped like a new hosted project (supabase-platform.sql)"
else
	echo "$out" | indent
	abort "supabase-platform.sql failed"
fi
export DB_URL="$URL_PROJECT?sslmode=disable"
Q=("$PG_BIN/psql" "$URL_PROJECT" -X -q -At -v ON_ERROR_STOP=1)

# --- 2. migrations -------------------------------------------------------------------------------

step 2 "Apply the migrations (previous release)"
skip "npx supabase login / link: they need a Supabase account; the guide's --db-url commands run instead"

pushed_list() { sed -n 's/^ *• *//p' | sed 's/[[:space:]]*$//'; }
if cmd=$(guide_cmd exact 'npx supabase db push --db-url "$DB_URL" --dry-run'); then
	if out=$(run_guide "$PREV_CHECKOUT" "$cmd"); then
		listed=$(pushed_list <<<"$out")
		touched=$("${Q[@]}" -c "select (to_regclass('supabase_migrations.schema_migrations') is not null)::int + (select count(*) from pg_tables where schemaname = 'public')")
		if [ "$listed" = "$(printf '%s\n' "${PREV_FILES[@]}")" ] && [ "$touched" = 0 ]; then
			pass "\`$cmd\` lists the ${#PREV_FILES[@]} migrations and changes nothing"
		else
			echo "$out" | indent
			fail "\`$cmd\` listed [$(echo "$listed" | tr '\n' ' ')], expected [${PREV_FILES[*]}]; tables/history made: $touched"
		fi
	else
		echo "$out" | indent
		fail "\`$cmd\` failed"
	fi
else
	fail "the dry run is missing from the guide"
fi

if cmd=$(guide_cmd exact 'npx supabase db push --db-url "$DB_URL"'); then
	if out=$(run_guide "$PREV_CHECKOUT" "$cmd"); then
		applied=$(grep -c '^Applying migration' <<<"$out")
		if [ "$applied" -eq ${#PREV_FILES[@]} ]; then
			pass "\`$cmd\` applied ${applied} migration(s)"
		else
			echo "$out" | indent
			fail "\`$cmd\` applied $applied migration(s), expected ${#PREV_FILES[@]}"
		fi
	else
		echo "$out" | indent
		abort "\`$cmd\` failed"
	fi
else
	abort "the push is missing from the guide"
fi

# --- 3. migration list ---------------------------------------------------------------------------

step 3 "Check that every migration is applied"
LIST_CMD=$(guide_cmd exact 'npx supabase migration list --db-url "$DB_URL"') || fail "the migration list command is missing from the guide"
if [ -n "${LIST_CMD:-}" ]; then
	out=$(run_guide "$PREV_CHECKOUT" "$LIST_CMD")
	rows=$("${Q[@]}" -c "select count(*) from supabase_migrations.schema_migrations" 2>&1)
	if check_list "$out" "${PREV_VERSIONS[@]}" && [ "$rows" = ${#PREV_VERSIONS[@]} ]; then
		pass "\`$LIST_CMD\`: all ${#PREV_VERSIONS[@]} listed Local = Remote, recorded in supabase_migrations.schema_migrations"
	else
		echo "$out" | indent
		fail "\`$LIST_CMD\` does not show exactly the ${#PREV_VERSIONS[@]} migrations applied (history rows: $rows)"
	fi
fi

# --- 4. auth settings ----------------------------------------------------------------------------

step 4 "Auth settings: the email templates"
# name|subject|content_path for each [auth.email.template.*] of config.toml
templates=$(awk '
	/^\[/ { if (name != "") print name "|" subject "|" path; name = ""; subject = ""; path = "" }
	/^\[auth\.email\.template\.[a-z_]+\]/ { name = $0; gsub(/^\[auth\.email\.template\.|\]$/, "", name) }
	name != "" && /^subject *=/ { subject = $0; sub(/^subject *= *"/, "", subject); sub(/" *$/, "", subject) }
	name != "" && /^content_path *=/ { path = $0; sub(/^content_path *= *"(\.\/)?/, "", path); sub(/" *$/, "", path) }
	END { if (name != "") print name "|" subject "|" path }' "$ROOT/supabase/config.toml")
[ -n "$templates" ] || fail "no [auth.email.template.*] in supabase/config.toml"
[ -d "$ROOT/src/routes/auth/confirm" ] || fail "src/routes/auth/confirm, where the email links land, is missing"
while IFS='|' read -r name subject path; do
	[ -n "$name" ] || continue
	problems=""
	[ -f "$ROOT/$path" ] || problems+="no file $path; "
	[ -f "$ROOT/$path" ] && ! grep -qF '{{ .SiteURL }}/auth/confirm' "$ROOT/$path" && problems+="$path does not link to {{ .SiteURL }}/auth/confirm; "
	row=$(grep -F "$path" "$GUIDE" | grep -F '|' | head -n 1)
	[ -n "$row" ] || problems+="the guide's template table has no row for $path; "
	[ -n "$row" ] && ! grep -qF "\`$subject\`" <<<"$row" && problems+="the guide gives another subject for $path than config.toml's \"$subject\"; "
	if [ -z "$problems" ]; then
		pass "$name: $path links to /auth/confirm; subject \"$subject\" as in config.toml"
	else
		fail "$name: $problems"
	fi
done <<<"$templates"

# --- 5. storage ----------------------------------------------------------------------------------

step 5 "The storage bucket"
bucket=$("${Q[@]}" -c "select public, file_size_limit from storage.buckets where id = 'documents'" 2>&1)
limit=${bucket#*|}
storage_policies=$("${Q[@]}" -c "select count(*) from pg_policies where schemaname = 'storage' and tablename = 'objects'")
expected_policies=$(cat "$PREV_CHECKOUT"/supabase/migrations/*.sql | grep -ciE '^on storage\.objects ')
if [ "${bucket%%|*}" = f ] && grep -qF "\`file_size_limit\` $limit" "$GUIDE"; then
	pass "bucket documents: private, file_size_limit $limit as the guide says"
else
	fail "bucket documents: '$bucket' (public|file_size_limit); the guide must say \`file_size_limit\` $limit"
fi
if [ "$storage_policies" -ge 1 ] && [ "$storage_policies" = "$expected_policies" ]; then
	pass "storage.objects carries the migrations' $storage_policies policies"
else
	fail "storage.objects has $storage_policies policies, the migrations make $expected_policies"
fi

# --- 6. environment ------------------------------------------------------------------------------

step 6 "The server's environment"
mapfile -t ENV_NAMES < <(grep -oE '^[[:space:]]+[A-Z][A-Z0-9_]*: \{' "$ROOT/src/env.ts" | tr -d ' \t:{')
mapfile -t ADAPTER_NAMES < <(grep -oE "^[[:space:]]+'[A-Z_]+'" "$ROOT/node_modules/@sveltejs/adapter-node/src/env.js" 2>/dev/null | tr -d " \t'")
# The env file of the guide: the ```ini block whose first line sets PUBLIC_SUPABASE_URL.
mapfile -t FILE_NAMES < <(awk '
	/^```ini/ { inblock = 1; first = 1; next }
	/^```/ { inblock = 0; take = 0; next }
	inblock && first { first = 0; take = ($0 ~ /^PUBLIC_SUPABASE_URL=/) }
	inblock && take { split($0, kv, "="); print kv[1] }' "$GUIDE")
problems=""
[ ${#ENV_NAMES[@]} -gt 0 ] || problems+="no variables found in src/env.ts; "
for n in "${ENV_NAMES[@]}"; do
	grep -qE "^\| \`$n\`" "$GUIDE" || problems+="$n is not in the guide's table; "
	printf '%s\n' "${FILE_NAMES[@]}" | grep -qx "$n" || problems+="$n is not in the guide's env file; "
done
for n in "${FILE_NAMES[@]}"; do
	printf '%s\n' "${ENV_NAMES[@]}" "${ADAPTER_NAMES[@]}" | grep -qx "$n" || problems+="the guide's env file sets $n, which neither src/env.ts nor adapter-node reads; "
done
if [ -z "$problems" ]; then
	pass "the guide's variables: ${ENV_NAMES[*]} (src/env.ts) and $(printf '%s\n' "${FILE_NAMES[@]}" | grep -vxF -f <(printf '%s\n' "${ENV_NAMES[@]}") | tr '\n' ' ')(adapter-node)"
else
	fail "$problems"
fi

# --- 7. build ------------------------------------------------------------------------------------

APP="$WORK/app"
ORIGIN_URL=""
PROXY_NOTED=0
if [ "$SKIP_BUILD" = 1 ]; then
	STEP=7 skip "build, run and health (--skip-build)"
else
	step 7 "Build"
	if cmd=$(guide_cmd prefix 'ORIGIN=') && [[ "$cmd" =~ ^ORIGIN=([^[:space:]]+)\ npm\ run\ build$ ]]; then
		ORIGIN_URL=${BASH_REMATCH[1]}
		mkdir -p "$APP"
		cp -R "$ROOT/src" "$ROOT/static" "$ROOT/vite.config.ts" "$ROOT/tsconfig.json" "$ROOT/package.json" "$APP/"
		ln -s "$ROOT/node_modules" "$APP/node_modules"
		t0=$(date +%s)
		if out=$(run_guide "$APP" "$cmd") && grep -qF "export const origin = \"$ORIGIN_URL\"" "$APP/build/adapter-node.js"; then
			pass "\`$cmd\` built build/ for $ORIGIN_URL in $(($(date +%s) - t0))s"
		else
			echo "$out" | tail -n 30 | indent
			fail "\`$cmd\` failed, or build/ does not carry the origin $ORIGIN_URL"
		fi
	else
		fail "the guide has no \`ORIGIN=<url> npm run build\` command"
	fi
fi

# --- 8. run --------------------------------------------------------------------------------------

if [ "$SKIP_BUILD" = 0 ] && [ -f "$APP/build/index.js" ]; then
	step 8 "Run it"
	out=$(cd "$APP" && env -i PATH="$PATH" HOST=127.0.0.1 PORT=$PORT_APP timeout 20 "$NODE" build 2>&1)
	status=$?
	missing=""
	for n in "${ENV_NAMES[@]}"; do grep -q -- "- $n is missing" <<<"$out" || missing+="$n "; done
	if [ "$status" = 1 ] && [ -z "$missing" ]; then
		pass "without its environment the build exits with status 1, naming ${ENV_NAMES[*]}"
	else
		echo "$out" | indent
		fail "without its environment: exit status $status (expected 1); not named: ${missing:-none}"
	fi

	(cd "$APP" && exec env -i PATH="$PATH" HOST=127.0.0.1 PORT=$PORT_APP \
		PUBLIC_SUPABASE_URL="http://127.0.0.1:$PORT_NO_SUPABASE" \
		PUBLIC_SUPABASE_PUBLISHABLE_KEY=sb_publishable_operator_guide_check \
		SMTP_URL="smtp://127.0.0.1:$PORT_NO_SMTP" \
		MAIL_FROM="Operator guide check <portal@example.com>" \
		"$NODE" build >"$WORK/app.log" 2>&1) &
	APP_PID=$!
	for _ in $(seq 1 100); do
		grep -q "Listening on http://127.0.0.1:$PORT_APP" "$WORK/app.log" 2>/dev/null && break
		kill -0 "$APP_PID" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q "Listening on http://127.0.0.1:$PORT_APP" "$WORK/app.log"; then
		pass "with its environment it listens on http://127.0.0.1:$PORT_APP (HOST, PORT)"
		# http <method> <url> [origin]: prints the status, a newline, the body (Node's fetch: no curl needed)
		http() {
			"$NODE" -e '
				const [method, url, origin] = process.argv.slice(1);
				const post = method === "POST";
				fetch(url, {
					method,
					redirect: "manual",
					headers: post ? { origin, "content-type": "application/x-www-form-urlencoded" } : {},
					body: post ? "email=a%40example.com&password=x" : undefined
				})
					.then(async (r) => console.log(`${r.status}\n${await r.text()}`))
					.catch((e) => console.log(`000\n${e.message}`));
			' "$@"
		}
		post() { http POST "http://127.0.0.1:$PORT_APP/sign-in" "$1" | head -n 1; }
		same=$(post "$ORIGIN_URL")
		other=$(post "https://elsewhere.example")
		if [ "$same" != 403 ] && [ "$same" != 000 ] && [ "$other" = 403 ]; then
			pass "a form post from $ORIGIN_URL passes the origin check ($same); from another origin: $other"
		else
			fail "form posts: from $ORIGIN_URL $same (expected not 403), from another origin $other (expected 403)"
		fi

		STEP=9 skip "HTTPS and the reverse proxy: host configuration, not run here"
		PROXY_NOTED=1

		step 10 "Health check"
		body=$(http GET "http://127.0.0.1:$PORT_APP/health")
		code=${body%%$'\n'*}
		body=${body#*$'\n'}
		if [ "$code" = 503 ] && "$NODE" -e '
			const h = JSON.parse(process.argv[1]);
			const parts = ["auth", "data", "storage"];
			process.exit(h.status === "unavailable" && parts.every((p) => h.checks[p] === "failing") ? 0 : 1);
		' "$body" 2>/dev/null; then
			pass "/health with Supabase unreachable: 503 $body"
		else
			fail "/health with Supabase unreachable: $code $body (expected 503, every part failing)"
		fi
	else
		indent <"$WORK/app.log"
		fail "the build did not start listening on 127.0.0.1:$PORT_APP"
	fi
	if kill -0 "$APP_PID" 2>/dev/null; then
		kill "$APP_PID"
		wait "$APP_PID" 2>/dev/null
	fi
	APP_PID=""
elif [ "$SKIP_BUILD" = 0 ]; then
	STEP=8 fail "no build to run (step 7 failed)"
fi
[ "$PROXY_NOTED" = 1 ] || STEP=9 skip "HTTPS and the reverse proxy: host configuration, not run here"

# --- 11. the first admin -------------------------------------------------------------------------

step 11 "Making the first admin"
# A sign-up, written the way Supabase Auth (GoTrue, role supabase_auth_admin) writes it.
if out=$("$PG_BIN/psql" "postgresql://supabase_auth_admin@127.0.0.1:$PORT_PROJECT/postgres" -X -q -v ON_ERROR_STOP=1 2>&1 <<SQL
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
	raw_app_meta_data, raw_user_meta_data, created_at, updated_at, confirmation_token,
	recovery_token, email_change_token_new, email_change)
values ('00000000-0000-0000-0000-000000000000', 'f0000000-0000-4000-8000-00000000000a',
	'authenticated', 'authenticated', '$ADMIN_EMAIL', '\$2a\$10\$operatorguidecheckoperatorguidecheckoperatorg', now(),
	'{"provider": "email", "providers": ["email"]}', '{"display_name": "First Admin"}', now(), now(),
	'', '', '', '');
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
values ('f0000000-0000-4000-8000-00000000000a', 'f0000000-0000-4000-8000-00000000000a',
	'{"sub": "f0000000-0000-4000-8000-00000000000a", "email": "$ADMIN_EMAIL", "email_verified": true}',
	'email', now(), now(), now());
SQL
); then
	profile=$("${Q[@]}" -c "select count(*) from public.profiles where id = 'f0000000-0000-4000-8000-00000000000a'")
	if [ "$profile" = 1 ]; then
		pass "$ADMIN_EMAIL signed up (auth.users and auth.identities, as Supabase Auth writes them) and has a profile"
	else
		fail "$ADMIN_EMAIL signed up but has no profile (the on_auth_user_created trigger did not run)"
	fi
else
	echo "$out" | indent
	fail "could not sign $ADMIN_EMAIL up"
fi

if cmd=$(guide_cmd prefix 'psql "$DB_URL" -c "select * from public.operator_grant_admin(') && grep -qF "'you@example.com'" <<<"$cmd"; then
	grant_admin() { run_guide "$PREV_CHECKOUT" "${cmd//you@example.com/$1}"; }
	out=$(grant_admin "$ADMIN_EMAIL")
	if grep -qE '^ *granted *\| *$' <<<"$out" && [ "$("${Q[@]}" -c "select role from public.staff_members where user_id = 'f0000000-0000-4000-8000-00000000000a'")" = admin ]; then
		pass "the guide's \`psql … operator_grant_admin('$ADMIN_EMAIL')\`: granted; staff_members says admin"
	else
		echo "$out" | indent
		fail "operator_grant_admin('$ADMIN_EMAIL') did not answer granted"
	fi
	out=$(grant_admin "$ADMIN_EMAIL")
	if grep -qE '^ *already_admin *\| *$' <<<"$out"; then
		pass "again: already_admin"
	else
		echo "$out" | indent
		fail "a second operator_grant_admin('$ADMIN_EMAIL') did not answer already_admin"
	fi
	out=$(grant_admin "$INVITED_EMAIL")
	if grep -qE '^ *invited *\| *[A-Za-z0-9_-]{20,} *$' <<<"$out"; then
		pass "an address nobody signed up with: invited, with a token for /invite/<token>"
	else
		echo "$out" | indent
		fail "operator_grant_admin('$INVITED_EMAIL') did not answer invited with a token"
	fi
else
	fail "the guide has no \`psql \"\$DB_URL\" -c \"select * from public.operator_grant_admin('you@example.com')\"\`"
fi

# --- 12. upgrading: backup, then push ------------------------------------------------------------

step 12 "Upgrading: back up first"
# The project in use: the demo data (seed.sql) and a storage object per document, as the
# Storage API records uploads. Not a step of the guide; it gives every table rows to back up.
# The project runs the previous release, so if the seed has a section for the newest
# migration (from a "-- … (migration <its timestamp>)" line on), that section is left out.
NEWEST_MIGRATION=$(find "$ROOT/supabase/migrations" -name '*.sql' -printf '%f\n' | sort | tail -n 1 | cut -d_ -f1)
SEED_BEFORE_UPGRADE=$(mktemp)
sed "/^-- .*(migration $NEWEST_MIGRATION)/,\$d" "$ROOT/supabase/seed.sql" >"$SEED_BEFORE_UPGRADE"
if out=$("$PG_BIN/psql" "$URL_PROJECT" -X -q -v ON_ERROR_STOP=1 -f "$SEED_BEFORE_UPGRADE" \
	-c "insert into storage.objects (bucket_id, name, owner_id, metadata)
		select 'documents', storage_path, uploaded_by::text,
			jsonb_build_object('size', size_bytes, 'mimetype', mime_type)
		from public.documents" \
	-c "-- Rows the demo seed leaves out: a read mark, an attachment and one decision.
		insert into public.thread_reads (thread_id, account_id, user_id, last_read_at)
		select id, account_id, created_by, now() from public.threads;
		insert into public.message_attachments (message_id, document_id, account_id)
		select m.id, d.id, m.account_id from public.messages m
		join public.documents d on d.account_id = m.account_id
		where not m.internal order by m.created_at limit 1;
		insert into public.approval_responses (approval_id, account_id, approver_id, decision)
		select approval_id, account_id, user_id, 'approved' from public.approval_approvers limit 1" 2>&1); then
	really_empty=""
	for t in $("${Q[@]}" -c "select format('%I.%I', schemaname, tablename) from pg_tables where schemaname = 'public'"); do
		[ "$("${Q[@]}" -c "select count(*) from $t")" = 0 ] && really_empty+="$t "
	done
	if [ -z "$really_empty" ]; then
		pass "the project in use (demo seed, storage objects): every public table has rows to back up"
	else
		fail "nothing to back up in: $really_empty"
	fi
else
	echo "$out" | indent
	fail "could not load the demo data"
fi
rm -f "$SEED_BEFORE_UPGRADE"

# What the restore must bring back, as it is at backup time.
TABLES=$("${Q[@]}" -c "select string_agg(format('%I.%I', schemaname, tablename), ' ' order by 1) from pg_tables where schemaname = 'public'")
TABLES="$TABLES auth.users auth.identities storage.buckets storage.objects"
# The bucket row after a restore is the one the migration made (its timestamps are the restore's):
# compared without them.
row_of() { if [ "$1" = storage.buckets ]; then echo '(t.id, t.name, t.public, t.file_size_limit, t.allowed_mime_types)::text'; else echo 't::text'; fi; }
fingerprints() { # <psql args…>: "<table> <count> <md5 of the rows>" per table
	local t r
	for t in $TABLES; do
		r=$(row_of "$t")
		printf '%s %s\n' "$t" "$("$@" -c "select count(*) || ' ' || coalesce(md5(string_agg($r, E'\n' order by $r)), '-') from $t t" 2>&1)"
	done
}
facts() { # <psql args…>
	"$@" -c "select 'history ' || string_agg(version || ':' || coalesce(name, ''), ',' order by version) from supabase_migrations.schema_migrations" \
		-c "select 'public policies ' || count(*) from pg_policies where schemaname = 'public'" \
		-c "select 'storage.objects policies ' || count(*) from pg_policies where schemaname = 'storage' and tablename = 'objects'" \
		-c "select 'auth.users triggers ' || string_agg(tgname, ',' order by tgname) from pg_trigger where tgrelid = 'auth.users'::regclass and not tgisinternal" 2>&1
}
fingerprints "${Q[@]}" >"$WORK/before.rows"
facts "${Q[@]}" >"$WORK/before.facts"

BACKUP_CMDS=()
for c in 'exact|BACKUP="backups/$(date -u +%Y%m%dT%H%M%SZ)"' 'exact|mkdir -p "$BACKUP"' 'exact|cp -R supabase "$BACKUP/"' \
	'prefix|pg_dump "$DB_URL" --schema-only' 'prefix|pg_dump "$DB_URL" --data-only'; do
	if found=$(guide_cmd "${c%%|*}" "${c#*|}"); then BACKUP_CMDS+=("$found"); else fail "the guide's backup lacks: ${c#*|}"; fi
done
BACKUP=""
if [ ${#BACKUP_CMDS[@]} = 5 ]; then
	if out=$(run_guide "$PREV_CHECKOUT" "${BACKUP_CMDS[@]}"); then
		BACKUP=$(find "$PREV_CHECKOUT/backups" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	fi
	if [ -n "$BACKUP" ] && [ -s "$BACKUP/schema.sql" ] && [ -s "$BACKUP/data.sql" ] &&
		[ "$(find "$BACKUP/supabase/migrations" -name '*.sql' | wc -l)" = ${#PREV_FILES[@]} ]; then
		pass "the guide's backup: ${BACKUP#"$PREV_CHECKOUT/"}/ with supabase/ (${#PREV_FILES[@]} migrations), schema.sql ($(wc -c <"$BACKUP/schema.sql") bytes), data.sql ($(wc -c <"$BACKUP/data.sql") bytes)"
		# Why step 13 takes the schema from the migrations rather than from schema.sql.
		if ! grep -qE 'ON "storage"\."objects"|ON "auth"\."users"' "$BACKUP/schema.sql"; then
			pass "as step 13 says: schema.sql carries no policy on storage.objects and no trigger on auth.users"
		else
			fail "schema.sql now carries objects on storage.objects / auth.users: revisit step 13's explanation"
		fi
	else
		echo "$out" | indent
		fail "the guide's backup commands failed or wrote an incomplete backup"
		BACKUP=""
	fi
fi

step 12 "Upgrading: the new release's migrations"
if [ -z "$NEWEST" ]; then
	skip "a single migration: no previous release to upgrade from"
else
	if cmd=$(guide_cmd exact 'npx supabase db push --db-url "$DB_URL" --dry-run') && out=$(run_guide "$NEW_CHECKOUT" "$cmd"); then
		listed=$(pushed_list <<<"$out")
		if [ "$listed" = "$NEWEST" ] && [ "$("${Q[@]}" -c "select count(*) from supabase_migrations.schema_migrations")" = ${#PREV_FILES[@]} ]; then
			pass "the dry run lists only the new release's migration: $NEWEST"
		else
			echo "$out" | indent
			fail "the dry run listed [$(echo "$listed" | tr '\n' ' ')], expected [$NEWEST], or changed the history"
		fi
	else
		echo "${out:-}" | indent
		fail "the upgrade's dry run failed"
	fi
	if cmd=$(guide_cmd exact 'npx supabase db push --db-url "$DB_URL"') && out=$(run_guide "$NEW_CHECKOUT" "$cmd") &&
		[ "$(grep -c '^Applying migration' <<<"$out")" = 1 ]; then
		pass "the push applied $NEWEST"
	else
		echo "${out:-}" | indent
		fail "the upgrade's push failed"
	fi
	if [ -n "${LIST_CMD:-}" ]; then
		out=$(run_guide "$NEW_CHECKOUT" "$LIST_CMD")
		if check_list "$out" "${ALL_VERSIONS[@]}"; then
			pass "the list shows all ${#ALL_VERSIONS[@]} migrations applied"
		else
			echo "$out" | indent
			fail "after the upgrade the list does not show all ${#ALL_VERSIONS[@]} migrations applied"
		fi
	fi
	skip "rebuild, restart and health: steps 7, 8 and 10 above"
fi

# --- 13. restore ---------------------------------------------------------------------------------

step 13 "Restoring the backup into a new project"
if [ -z "$BACKUP" ]; then
	fail "no backup to restore (step 12 failed)"
	finish
fi
URL_RESTORE=$(start_cluster "$PG_RESTORE" $PORT_RESTORE) || abort "could not start PostgreSQL 15 on 127.0.0.1:$PORT_RESTORE"
# Hosted projects let `postgres` run `SET session_replication_role` (supautils'
# privileged_role_allowed_configs); PostgreSQL 15's stand-in is a parameter grant, through a role
# because a grant to the bootstrap superuser `postgres` itself is not recorded.
if out=$("$PG_BIN/psql" "$URL_RESTORE" -X -q -v ON_ERROR_STOP=1 -f "$PLATFORM_SQL" 2>&1) &&
	out=$("$PG_BIN/psql" "postgresql://supabase_admin@127.0.0.1:$PORT_RESTORE/postgres" -X -q -v ON_ERROR_STOP=1 \
		-c "create role session_replication_setter nologin" \
		-c "grant set on parameter session_replication_role to session_replication_setter" \
		-c "grant session_replication_setter to postgres" 2>&1); then
	pass "a second, fresh PostgreSQL 15 on 127.0.0.1:$PORT_RESTORE, shaped like a new hosted project"
else
	echo "$out" | indent
	abort "could not prepare the restore target"
fi
export NEW_DB_URL="$URL_RESTORE?sslmode=disable"
export BACKUP
R=("$PG_BIN/psql" "$URL_RESTORE" -X -q -At -v ON_ERROR_STOP=1)

RESTORE_CMDS=()
for c in 'exact|npx supabase db push --db-url "$NEW_DB_URL" --workdir "$BACKUP"' 'prefix|psql "$NEW_DB_URL" --single-transaction'; do
	if found=$(guide_cmd "${c%%|*}" "${c#*|}"); then RESTORE_CMDS+=("$found"); else fail "the guide's restore lacks: ${c#*|}"; fi
done
if [ ${#RESTORE_CMDS[@]} = 2 ]; then
	if out=$(run_guide "$WORK/elsewhere" "${RESTORE_CMDS[@]}"); then
		pass "the guide's restore: db push from the backup's migrations, then data.sql in one transaction"
	else
		echo "$out" | tail -n 30 | indent
		fail "the guide's restore commands failed"
	fi
fi

VERIFY_CMDS=()
for c in 'exact|npx supabase migration list --db-url "$NEW_DB_URL" --workdir "$BACKUP"' 'prefix|pg_dump "$NEW_DB_URL" --schema-only' 'prefix|diff '; do
	if found=$(guide_cmd "${c%%|*}" "${c#*|}"); then VERIFY_CMDS+=("$found"); else fail "the guide's restore check lacks: ${c#*|}"; fi
done
if [ ${#VERIFY_CMDS[@]} = 3 ]; then
	out=$(run_guide "$WORK/elsewhere" "${VERIFY_CMDS[0]}")
	if check_list "$out" "${PREV_VERSIONS[@]}"; then
		pass "\`migration list\` on the restored project: the backup's ${#PREV_VERSIONS[@]} migrations, Local = Remote"
	else
		echo "$out" | indent
		fail "\`migration list\` on the restored project does not match the backup's migrations"
	fi
	if out=$(run_guide "$WORK/elsewhere" "${VERIFY_CMDS[1]}" "${VERIFY_CMDS[2]}") && [ "$(tail -n 1 <<<"$out")" = "same schema" ]; then
		pass "the guide's schema check: \`diff\` finds the restored schema equal to schema.sql"
	else
		echo "$out" | head -n 40 | indent
		fail "the restored schema differs from the backup's schema.sql"
	fi
fi

fingerprints "${R[@]}" >"$WORK/after.rows"
facts "${R[@]}" >"$WORK/after.facts"
differing=$(diff "$WORK/before.rows" "$WORK/after.rows" | sed -n 's/^> \([^ ]*\) .*/\1/p' | tr '\n' ' ')
if [ -z "$differing" ]; then
	pass "same rows (count and content; storage.buckets without timestamps) in $(wc -l <"$WORK/before.rows") tables: $(awk '{printf "%s %s, ", $1, $2}' "$WORK/before.rows" | sed 's/, $//')"
else
	diff "$WORK/before.rows" "$WORK/after.rows" | indent
	fail "rows differ after the restore in: $differing"
fi
while read -r before; do
	label=${before% *}
	after=$(grep -F "$label " "$WORK/after.facts" | head -n 1)
	if [ "$before" = "$after" ]; then
		pass "same $label: ${before##* }"
	else
		fail "$label: before '${before##"$label" }', after '${after##"$label" }'"
	fi
done <"$WORK/before.facts"
no_rls=$("${R[@]}" -c "select coalesce(string_agg(relname, ' '), '') from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and not relrowsecurity")
if [ -z "$no_rls" ]; then
	pass "row-level security is on for every public table"
else
	fail "row-level security is off on: $no_rls"
fi
if [ "$("${R[@]}" -c "select count(*) from public.staff_members s join auth.users u on u.id = s.user_id where u.email = '$ADMIN_EMAIL' and s.role = 'admin'")" = 1 ]; then
	pass "the first admin is still an admin"
else
	fail "the first admin is not an admin after the restore"
fi

STEP=14 skip "rotating keys: dashboard work, not run here"

finish
