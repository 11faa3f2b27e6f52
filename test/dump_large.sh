#!/bin/bash
#
# test/dump_large.sh
#	A table holding one value of 30 million points dumps and restores
#	(issue 8): pg_dump -Fc + pg_restore, pg_dump -Fp + psql, and a text
#	COPY piped from one database into another, as logical replication
#	without binary mode moves rows.  All three go through the value's text
#	form (pg_dump reads every table with text COPY), which for more than
#	100,000 points is base64 of the stored bytes (4/3 of their size; the
#	"#" lines give it), where the readable form would take 1.3 GB, more than
#	one text value may hold.
#
#	Runs inside a cluster (test/run_tests.sh runs it under pg_virtualenv or
#	tools/pg-cluster.sh), with chronos installed.  The value is built with
#	chronos.max_memory_mb raised for that one session (building 30 million
#	points holds them at 16 bytes each); every dump and restore runs with the
#	default chronos.max_memory_mb (512 MB), so the text form must be written
#	and read within it.
#
#	Checks: the restored value equals the source (= inside the restored
#	database, against the source value brought in by binary COPY, an
#	independent path through send/recv), md5 of compact_ts_to_bytea and
#	the length agree across databases.  (Text input validates the whole
#	value, every block, before it stores it.)
#	"#" lines give the sizes and times.
#
#	DUMP_LARGE_POINTS changes the number of points (default 30,000,000).
#	Prints "ok N - ..." / "not ok N - ..." lines; exits 1 if any failed.
#
# IDENTIFICATION
#	test/dump_large.sh

set -uo pipefail

POINTS=${DUMP_LARGE_POINTS:-30000000}
TMP=$(mktemp -d -t chronos-dump-large.XXXXXX)
SRC=chronos_large_src_$$
DBS=("$SRC")
# q, check, le, db_cleanup (and ok / not_ok)
. "$(dirname "${BASH_SOURCE[0]}")/lib/db.sh"
trap db_cleanup EXIT

# timed DESCRIPTION COMMAND...: ok (with its time) if COMMAND succeeds
timed()
{
	local desc=$1 start=$SECONDS
	shift
	if "$@" >"$TMP/out" 2>&1; then
		ok "$desc ($((SECONDS - start)) s)"
	else
		not_ok "$desc ($((SECONDS - start)) s)"
		sed 's/^/#   /' "$TMP/out" | head -n 20
	fi
}

size_mb()
{
	awk -v b="$(stat -c %s "$1" 2>/dev/null || echo 0)" 'BEGIN { printf "%.1f MB", b / 1048576 }'
}

echo "1..14"

# ---------------------------------------------------------------------
# the source: one value of POINTS points, one small one, a NULL
# ---------------------------------------------------------------------
timed "create the source database" \
	bash -c "createdb '$SRC' && psql -X -q -v ON_ERROR_STOP=1 -d '$SRC' -c 'CREATE EXTENSION chronos'"
timed "build a value of $POINTS points (chronos.max_memory_mb = 2048 for this session)" \
	q "$SRC" -c "SET chronos.max_memory_mb = 2048; SET jit = off;
		CREATE TABLE big (id int PRIMARY KEY, data compact_ts);
		INSERT INTO big
		SELECT 1, compact_ts_agg(to_timestamp(1704067200 + g), 100 * sin(g / 3600.0::float8) + g % 7)
		FROM (SELECT generate_series(1, $POINTS) AS g) s;
		INSERT INTO big VALUES (2, '{2024-01-01 00:00:00+00 => 1.5}'), (3, NULL);"

IFS='|' read -r len bytes text_ok <<<"$(q "$SRC" -c "SELECT length(data), length(compact_ts_to_bytea(data)),
	left(data::text, 7) = 'base64:' AND length(data::text) = 7 + 4 * ceil(length(compact_ts_to_bytea(data)) / 3.0)
	FROM big WHERE id = 1" 2>&1)"
echo "# source value: $len points, $bytes bytes stored ($(awk -v b="${bytes:-0}" -v p="${len:-1}" 'BEGIN { printf "%.2f", b / p }') bytes a point), text form $(awk -v b="${bytes:-0}" 'BEGIN { printf "%.1f MB", (7 + 4 * int((b + 2) / 3)) / 1048576 }')"
if [ "$len" = "$POINTS" ] && [ "$text_ok" = t ]; then
	ok "the source value has $POINTS points and its text form is base64 of exactly 4/3 its bytes"
else
	not_ok "the source value has $POINTS points and its text form is base64 of exactly 4/3 its bytes (got $len, $text_ok)"
fi
q "$SRC" -c "SELECT id, coalesce(md5(compact_ts_to_bytea(data)), 'NULL'), coalesce(length(data)::text, 'NULL')
	FROM big ORDER BY id" >"$TMP/src.txt" 2>&1
# the source rows, in binary, to compare with = inside each restored database
q "$SRC" -c "\\copy big TO '$TMP/src.bin' WITH (FORMAT binary)" >"$TMP/out" 2>&1

# compare NAME DB: the restored rows equal the source's
compare()
{
	local name=$1 db=$2 r
	q "$db" -c "SELECT id, coalesce(md5(compact_ts_to_bytea(data)), 'NULL'), coalesce(length(data)::text, 'NULL')
		FROM big ORDER BY id" >"$TMP/$name.txt" 2>&1
	if diff -u "$TMP/src.txt" "$TMP/$name.txt" >"$TMP/diff" 2>&1; then
		ok "$name: md5 of the bytes and the length of every row equal the source's"
	else
		not_ok "$name: md5 of the bytes and the length of every row equal the source's"
		sed 's/^/#   /' "$TMP/diff" | head -n 20
	fi
	r=$(q "$db" 2>&1 <<EOF2
CREATE TABLE src (LIKE big);
\\copy src FROM '$TMP/src.bin' WITH (FORMAT binary)
SELECT count(*) || ' ' || count(*) FILTER (WHERE s.data IS NOT DISTINCT FROM b.data)
	|| ' ' || (SELECT length(data) FROM big WHERE id = 1)
FROM src s FULL JOIN big b USING (id);
DROP TABLE src;
EOF2
)
	if [ "$r" = "3 3 $POINTS" ]; then
		ok "$name: every row = the source row (brought in by binary COPY)"
	else
		not_ok "$name: every row = the source row (brought in by binary COPY)"
		echo "$r" | sed 's/^/#   /' | head -n 10
	fi
}

# ---------------------------------------------------------------------
# pg_dump -Fc | pg_restore and pg_dump -Fp | psql, with the default
# chronos.max_memory_mb
# ---------------------------------------------------------------------
# restore_custom / restore_plain DB FILE: a fresh DB with FILE restored
restore_custom()
{
	createdb "$1" && pg_restore --exit-on-error -d "$1" "$2"
}

restore_plain()
{
	createdb "$1" && psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2" >/dev/null
}

# through FORMAT RESTORE: pg_dump -FFORMAT of the source, restored into a
# fresh database by the function RESTORE (database, file), compared, dropped
through()
{
	local fmt=$1 restore=$2 dst=chronos_large_$1_$$ file=$TMP/dump.$1
	DBS+=("$dst")
	timed "pg_dump -F$fmt" pg_dump -F"$fmt" -d "$SRC" -f "$file"
	echo "# pg_dump -F$fmt: $(size_mb "$file")"
	timed "restore the -F$fmt dump into a fresh database ($restore)" "$restore" "$dst" "$file"
	compare "pg_dump -F$fmt" "$dst"
	dropdb "$dst" >/dev/null 2>&1
	rm -f "$file"
}

through c restore_custom
through p restore_plain

# ---------------------------------------------------------------------
# text COPY from one database into another, as logical replication in
# text mode sends rows
# ---------------------------------------------------------------------
DST=chronos_large_copy_$$
DBS+=("$DST")
timed "COPY big TO STDOUT (text) | COPY big FROM STDIN in another database" \
	bash -c "createdb '$DST' && psql -X -q -v ON_ERROR_STOP=1 -d '$DST' -c 'CREATE EXTENSION chronos' -c 'CREATE TABLE big (id int PRIMARY KEY, data compact_ts)' &&
		psql -X -q -v ON_ERROR_STOP=1 -d '$SRC' -c 'COPY big TO STDOUT' |
		psql -X -q -v ON_ERROR_STOP=1 -d '$DST' -c 'COPY big FROM STDIN'"
compare "text COPY" "$DST"

[ "$failed" -eq 0 ]
