#!/bin/bash
#
# test/dump_restore.sh
#	pg_dump / pg_restore of a table of compact_ts values gives identical
#	values, byte for byte.
#
#	Runs inside a cluster (test/run_tests.sh runs it under pg_virtualenv:
#	PGHOST, PGPORT, PGUSER, PGPASSWORD are set), with chronos installed.
#	Fills a source database with series of many shapes (empty, one point,
#	quantized random, constant, +-infinity timestamps, duplicate timestamps,
#	extreme magnitudes, a hand-written literal, NULL, 100,000 points that
#	live in TOAST), then dumps it three ways:
#	    pg_dump -Fc  -> pg_restore into a fresh database
#	    pg_dump -Fp  -> psql into a fresh database
#	    pg_dump --inserts -Fp (every value as a text literal) -> psql
#	and compares, row by row, md5 of the value's bytes, md5 of its text
#	output and its length in both databases.  The bytes come from
#	compact_ts_to_bytea() if the extension has it, else from the type's
#	binary send function.
#
#	Prints "ok N - ..." / "not ok N - ..." lines; exits 1 if any failed.
#
# IDENTIFICATION
#	test/dump_restore.sh

set -uo pipefail

TMP=$(mktemp -d -t chronos-dump.XXXXXX)
SRC=chronos_dump_src_$$
DBS=("$SRC")
# q, check, le, db_cleanup (and ok / not_ok)
. "$(dirname "${BASH_SOURCE[0]}")/lib/db.sh"
trap db_cleanup EXIT

echo "1..16"

# ---------------------------------------------------------------------
# 1-2: the source database
# ---------------------------------------------------------------------
check "create source database with the extension" \
	bash -c "createdb '$SRC' && psql -X -q -v ON_ERROR_STOP=1 -d '$SRC' -c 'CREATE EXTENSION chronos'"

cat >"$TMP/fill.sql" <<'EOF'
SET TimeZone = 'UTC';
SELECT setseed(0.42);
CREATE TABLE shapes (name text PRIMARY KEY, data compact_ts);

-- empty series (the array constructor gives 0 points; the aggregate NULL)
INSERT INTO shapes VALUES ('empty', compact_ts('{}'::timestamptz[], '{}'::float8[]));
INSERT INTO shapes VALUES ('null', NULL);
INSERT INTO shapes VALUES ('one point',
	compact_ts(ARRAY['2020-01-01 00:00:00+00']::timestamptz[], ARRAY[1.5]::float8[]));

-- regular, random values: quantized
INSERT INTO shapes
SELECT 'quantized random', compact_ts_agg(ts, random() * 200 - 100)
FROM generate_series(timestamptz '2021-03-01', timestamptz '2021-03-01' + interval '9999 seconds',
					 interval '1 second') ts;

-- irregular timestamps, random walk, microseconds
INSERT INTO shapes
SELECT 'irregular random walk', compact_ts_agg(ts, v)
FROM (SELECT timestamptz '2019-06-30 23:59:59.999999+00'
			 + make_interval(secs => sum(1 + floor(random() * 1000000) / 1000000.0) OVER w) AS ts,
			 sum(random() - 0.5) OVER w AS v
	  FROM generate_series(1, 3000) g
	  WINDOW w AS (ORDER BY g)) x;

-- values whose range is 0
INSERT INTO shapes
SELECT 'constant', compact_ts_agg(ts, 42.125)
FROM generate_series(timestamptz '2022-01-01', timestamptz '2022-01-01' + interval '999 minutes',
					 interval '1 minute') ts;

-- timestamps -infinity and infinity
INSERT INTO shapes VALUES ('infinite timestamps',
	compact_ts(ARRAY['-infinity', '1999-12-31 23:59:59.5+00', '2000-01-01 00:00:00+00',
					 'infinity']::timestamptz[],
			   ARRAY[-1, 0, 1, 2]::float8[]));

-- duplicate timestamps, input order kept
INSERT INTO shapes VALUES ('duplicate timestamps',
	compact_ts(ARRAY['2020-05-05 05:05:05+00', '2020-05-05 05:05:05+00', '2020-05-05 05:05:05+00',
					 '2020-05-05 05:05:06+00', '2020-05-05 05:05:06+00']::timestamptz[],
			   ARRAY[3, 1, 2, -7.25, 1e10]::float8[]));

-- extreme magnitudes, and -0.0
INSERT INTO shapes VALUES ('extreme magnitudes',
	compact_ts(ARRAY['2000-01-01', '2000-01-02', '2000-01-03', '2000-01-04', '2000-01-05',
					 '2000-01-06']::timestamptz[],
			   ARRAY[1e308, -1e308, 1e-300, -1e-300, 0, '-0']::float8[]));

-- a hand-written literal
INSERT INTO shapes VALUES ('literal',
	'{2020-01-01 00:00:00+00 => 1.5, 2020-01-01 00:00:10+00 => 2.25}'::compact_ts);

-- 100,000 points: stored out of line in TOAST
INSERT INTO shapes
SELECT '100k points', compact_ts_agg(ts, sin(g / 100.0) * 1000 + random())
FROM (SELECT g, timestamptz '2023-01-01' + g * interval '15 seconds' AS ts
	  FROM generate_series(1, 100000) g) x;

-- a second table, with the column's values read back through the aggregate
CREATE TABLE rebuilt AS
SELECT s.name, compact_ts_agg(u.ts, u.value) AS data
FROM shapes s, LATERAL unnest(s.data) u
GROUP BY s.name;
EOF
# without ON_ERROR_STOP: a shape the extension rejects is reported, and the
# rest are still dumped and compared
if psql -X -q -At -d "$SRC" -f "$TMP/fill.sql" >"$TMP/out" 2>&1 && ! grep -q 'ERROR' "$TMP/out"; then
	ok "fill source database (11 shapes, 100k points)"
else
	not_ok "fill source database (11 shapes, 100k points)"
	grep -A3 'ERROR' "$TMP/out" | head -n 40 | sed 's/^/#   /'
fi

# the function that gives a value's bytes
BYTES_FN=$(q "$SRC" -c "SELECT coalesce(
	(SELECT 'compact_ts_to_bytea' FROM pg_proc WHERE proname = 'compact_ts_to_bytea' LIMIT 1),
	(SELECT typsend::regproc::text FROM pg_type WHERE typname = 'compact_ts' AND typsend <> 0))" 2>/dev/null)
[ -n "$BYTES_FN" ] || BYTES_FN=compact_ts_send
echo "# value bytes from $BYTES_FN()"

# fingerprint DB FILE: one line per value, sorted
fingerprint()
{
	q "$1" -o "$2" -c "SET extra_float_digits = 3;
		SELECT 'shapes', name, coalesce(length(data)::text, 'NULL'),
			coalesce(md5($BYTES_FN(data)), 'NULL'), coalesce(md5(data::text), 'NULL'),
			coalesce(octet_length($BYTES_FN(data))::text, 'NULL')
		FROM shapes
		UNION ALL
		SELECT 'rebuilt', name, coalesce(length(data)::text, 'NULL'),
			coalesce(md5($BYTES_FN(data)), 'NULL'), coalesce(md5(data::text), 'NULL'),
			coalesce(octet_length($BYTES_FN(data))::text, 'NULL')
		FROM rebuilt
		ORDER BY 1, 2"
}

check "fingerprint of the source values" fingerprint "$SRC" "$TMP/src.txt"
rows=$(wc -l <"$TMP/src.txt" 2>/dev/null || echo 0)
big=$(q "$SRC" -c "SELECT length(data) FROM shapes WHERE name = '100k points'" 2>/dev/null)
toasted=$(q "$SRC" -c "SELECT pg_relation_size(reltoastrelid) > 0 FROM pg_class WHERE relname = 'shapes'" 2>/dev/null)
# 11 in shapes, 9 in rebuilt (the empty and the NULL series have no points)
if [ "$rows" -eq 20 ] && [ "$big" = 100000 ] && [ "$toasted" = t ]; then
	ok "source has 20 values, the 100k series has 100000 points and lives in TOAST"
else
	not_ok "source has 20 values, the 100k series has 100000 points and lives in TOAST"
	echo "#   values: $rows, 100k series length: ${big:-?}, TOAST used: ${toasted:-?}"
fi

# compare NAME DB: fingerprint DB and diff it against the source
compare()
{
	local name=$1 db=$2
	if ! fingerprint "$db" "$TMP/$name.txt" >"$TMP/out" 2>&1; then
		not_ok "$name: values identical to the source"
		sed 's/^/#   /' "$TMP/out" | head -n 20
	elif ! diff -u "$TMP/src.txt" "$TMP/$name.txt" >"$TMP/diff" 2>&1; then
		not_ok "$name: values identical to the source"
		sed 's/^/#   /' "$TMP/diff" | head -n 40
	else
		ok "$name: $(wc -l <"$TMP/$name.txt") values identical to the source (bytes, text, length)"
	fi
}

# decodes DB: every restored value decodes, and its points match length()
decodes()
{
	q "$1" -c "SELECT count(*) FROM shapes s
		WHERE s.data IS NOT NULL
		  AND (SELECT count(*) FROM unnest(s.data)) IS DISTINCT FROM length(s.data)::bigint" |
		grep -qx 0
}

# ---------------------------------------------------------------------
# custom format: pg_dump -Fc | pg_restore
# ---------------------------------------------------------------------
DST=chronos_dump_fc_$$
DBS+=("$DST")
check "pg_dump -Fc" pg_dump -Fc -d "$SRC" -f "$TMP/dump.fc"
check "pg_restore -Fc into a fresh database (no errors)" \
	bash -c "createdb '$DST' && pg_restore --exit-on-error -d '$DST' '$TMP/dump.fc'"
compare "custom format" "$DST"
check "custom format: every restored value decodes to length() points" decodes "$DST"

# ---------------------------------------------------------------------
# plain format: pg_dump -Fp | psql (COPY ... FROM stdin, text format)
# ---------------------------------------------------------------------
DST=chronos_dump_fp_$$
DBS+=("$DST")
check "pg_dump -Fp" pg_dump -Fp -d "$SRC" -f "$TMP/dump.sql"
if grep -q '^CREATE EXTENSION IF NOT EXISTS chronos' "$TMP/dump.sql" &&
	! grep -q 'CREATE FUNCTION.*compact_ts' "$TMP/dump.sql"; then
	ok "plain dump creates the extension and does not dump its members"
else
	not_ok "plain dump creates the extension and does not dump its members"
	grep -n 'EXTENSION\|CREATE FUNCTION' "$TMP/dump.sql" | head -n 10 | sed 's/^/#   /'
fi
check "restore the plain dump with psql into a fresh database (no errors)" \
	bash -c "createdb '$DST' && psql -X -q -v ON_ERROR_STOP=1 -d '$DST' -f '$TMP/dump.sql' >/dev/null"
compare "plain format" "$DST"

# ---------------------------------------------------------------------
# plain format with INSERT statements: every value as a text literal
# ---------------------------------------------------------------------
DST=chronos_dump_ins_$$
DBS+=("$DST")
check "pg_dump --inserts" pg_dump -Fp --inserts -d "$SRC" -f "$TMP/dump_ins.sql"
check "restore the --inserts dump into a fresh database (no errors)" \
	bash -c "createdb '$DST' && psql -X -q -v ON_ERROR_STOP=1 -d '$DST' -f '$TMP/dump_ins.sql' >/dev/null"
compare "--inserts format" "$DST"

# ---------------------------------------------------------------------
# column storage survives (the type says STORAGE = external)
# ---------------------------------------------------------------------
st_src=$(q "$SRC" -c "SELECT attstorage FROM pg_attribute WHERE attrelid = 'shapes'::regclass AND attname = 'data'" 2>&1)
st_dst=$(q chronos_dump_fc_$$ -c "SELECT attstorage FROM pg_attribute WHERE attrelid = 'shapes'::regclass AND attname = 'data'" 2>&1)
if [ -n "$st_src" ] && [ "$st_src" = "$st_dst" ]; then
	ok "column storage '$st_src' is the same after pg_restore"
else
	not_ok "column storage is the same after pg_restore"
	echo "#   source: $st_src, restored: $st_dst"
fi

[ "$failed" -eq 0 ]
