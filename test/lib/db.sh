# test/lib/db.sh
#	Helpers the shell tests (test/*.sh) share, on top of lib/tap.sh (which
#	this sources): run SQL in a database, check a command, compare numbers,
#	and drop the test's databases and temporary directory on exit.
#
#	Set before sourcing: TMP (a temporary directory) and DBS (an array of
#	database names, which may grow later); then "trap db_cleanup EXIT".
#	KEEP_TMP=1 keeps TMP.
#
# IDENTIFICATION
#	test/lib/db.sh

. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# q DB ARGS...: psql on DB, unaligned, no header, stop at the first error
q()
{
	local db=$1
	shift
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"
}

# check DESCRIPTION COMMAND...: ok if COMMAND succeeds, else not ok with the
# first 40 lines of its output
check()
{
	local desc=$1 out
	shift
	out=$(mktemp "${TMP:-/tmp}/check.XXXXXX")
	if "$@" >"$out" 2>&1; then
		ok "$desc"
	else
		not_ok "$desc"
		sed 's/^/#   /' "$out" | head -n 40
	fi
	rm -f "$out"
}

# le A B: A <= B for decimal numbers
le()
{
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'
}

# db_cleanup: drop every database in DBS, remove TMP (unless KEEP_TMP=1)
db_cleanup()
{
	local db
	for db in "${DBS[@]}"; do
		dropdb --if-exists "$db" >/dev/null 2>&1
	done
	if [ -n "${TMP:-}" ] && [ "${KEEP_TMP:-0}" != 1 ]; then
		rm -rf "$TMP"
	fi
}
