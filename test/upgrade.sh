#!/bin/bash
#
# test/upgrade.sh
#	ALTER EXTENSION chronos UPDATE from 1.0 gives exactly what a fresh
#	CREATE EXTENSION chronos gives, and values stored under 1.0 still read
#	identically.
#
#	Runs inside a cluster (test/run_tests.sh runs it under pg_virtualenv or
#	tools/pg-cluster.sh: PGHOST, PGPORT, PGUSER, ... are set), with chronos
#	installed (every script in DATA).  Three databases:
#
#	  upgraded  CREATE EXTENSION chronos VERSION '1.0', values of many
#	            shapes stored, then ALTER EXTENSION chronos UPDATE;
#	  fresh     CREATE EXTENSION chronos (the default version);
#	  old       CREATE EXTENSION chronos VERSION '1.0', never updated.
#
#	The catalog of each is written out, one line per member of the
#	extension (every pg_depend entry of type 'e'): pg_describe_object, then
#	the definition: pg_get_functiondef and volatility, strictness,
#	parallel safety and privileges for a function; transition, final,
#	combine, serial and deserial functions, state type and final-modify for
#	an aggregate; arguments, function, commutator, negator, estimators and
#	HASHES/MERGES for an operator; every operator and support function of an
#	operator family and class; every property of the type; and the comment
#	of each.  "upgraded" must equal "fresh" (the diff is printed if not);
#	"old" must differ from it (so the comparison can fail at all).
#
#	The values stored under 1.0 must read the same after the update: the
#	same bytes, the same text, the same points from unnest; and the objects
#	1.1 adds must work on them (= against a value built fresh, a hash index).
#
#	Prints "ok N - ..." / "not ok N - ..." lines; exits 1 if any failed.
#	UPGRADE_TMP=DIR keeps the catalogs (upgraded.txt, fresh.txt, old.txt)
#	in DIR.
#
# IDENTIFICATION
#	test/upgrade.sh

set -uo pipefail

TMP=${UPGRADE_TMP:-$(mktemp -d -t chronos-upgrade.XXXXXX)}
UPGRADED=chronos_upgraded_$$
FRESH=chronos_fresh_$$
OLD=chronos_old_$$
DBS=("$UPGRADED" "$FRESH" "$OLD")
[ -z "${UPGRADE_TMP:-}" ] || KEEP_TMP=1
# q, check, le, db_cleanup (and ok / not_ok)
. "$(dirname "${BASH_SOURCE[0]}")/lib/db.sh"
trap db_cleanup EXIT

# catalog DB FILE: every member of the extension and its definition, sorted
catalog()
{
	q "$1" -o "$2" <<'EOF'
SET search_path = public, pg_catalog;
WITH members AS (
	SELECT d.classid, d.objid, d.objsubid
	FROM pg_depend d JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
	WHERE e.extname = 'chronos' AND d.deptype = 'e'
)
SELECT pg_describe_object(m.classid, m.objid, m.objsubid) || E'\n' ||
	   coalesce(CASE m.classid
		WHEN 'pg_proc'::regclass THEN
			(SELECT format(E'  kind %s, volatile %s, strict %s, parallel %s, leakproof %s, cost %s, rows %s, acl %s\n%s',
						   p.prokind, p.provolatile, p.proisstrict, p.proparallel, p.proleakproof,
						   p.procost, p.prorows, coalesce(p.proacl::text, 'default'),
						   CASE WHEN p.prokind = 'a' THEN
								(SELECT format('  aggregate %s sfunc %s stype %s finalfunc %s modify %s combine %s serial %s deserial %s initcond %s',
											   a.aggkind, a.aggtransfn::regprocedure, a.aggtranstype::regtype,
											   a.aggfinalfn, a.aggfinalmodify, a.aggcombinefn,
											   a.aggserialfn, a.aggdeserialfn, coalesce(a.agginitval, 'none'))
								 FROM pg_aggregate a WHERE a.aggfnoid = p.oid)
								|| E'\n  args ' || pg_get_function_arguments(p.oid)
								|| E'\n  returns ' || pg_get_function_result(p.oid)
						   ELSE pg_get_functiondef(p.oid) END)
			 FROM pg_proc p WHERE p.oid = m.objid)
		WHEN 'pg_operator'::regclass THEN
			(SELECT format('  %s(%s, %s) -> %s function %s commutator %s negator %s restrict %s join %s merges %s hashes %s',
						   o.oprname, o.oprleft::regtype, o.oprright::regtype, o.oprresult::regtype,
						   o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator,
						   o.oprrest, o.oprjoin, o.oprcanmerge, o.oprcanhash)
			 FROM pg_operator o WHERE o.oid = m.objid)
		WHEN 'pg_opfamily'::regclass THEN
			(SELECT format(E'  method %s\n', am.amname) ||
					coalesce((SELECT string_agg(format('  operator %s %s for %s %s sortfamily %s',
													   ao.amopstrategy, ao.amopopr::regoperator,
													   ao.amoppurpose, ao.amoplefttype::regtype,
													   coalesce(ao.amopsortfamily::text, '-')),
												E'\n' ORDER BY ao.amopstrategy)
							  FROM pg_amop ao WHERE ao.amopfamily = f.oid), '') || E'\n' ||
					coalesce((SELECT string_agg(format('  function %s %s (%s, %s)', ap.amprocnum,
													   ap.amproc::regprocedure, ap.amproclefttype::regtype,
													   ap.amprocrighttype::regtype),
												E'\n' ORDER BY ap.amprocnum)
							  FROM pg_amproc ap WHERE ap.amprocfamily = f.oid), '')
			 FROM pg_opfamily f JOIN pg_am am ON am.oid = f.opfmethod WHERE f.oid = m.objid)
		WHEN 'pg_opclass'::regclass THEN
			(SELECT format('  method %s type %s default %s family %s keytype %s',
						   am.amname, c.opcintype::regtype, c.opcdefault, f.opfname,
						   coalesce(c.opckeytype::regtype::text, '-'))
			 FROM pg_opclass c JOIN pg_am am ON am.oid = c.opcmethod
				  JOIN pg_opfamily f ON f.oid = c.opcfamily WHERE c.oid = m.objid)
		WHEN 'pg_type'::regclass THEN
			(SELECT format('  len %s byval %s type %s category %s preferred %s delim %s input %s output %s receive %s send %s typmodin %s typmodout %s analyze %s align %s storage %s notnull %s array %s collation %s',
						   t.typlen, t.typbyval, t.typtype, t.typcategory, t.typispreferred, t.typdelim,
						   t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout,
						   t.typanalyze, t.typalign, t.typstorage, t.typnotnull,
						   t.typarray::regtype, t.typcollation)
			 FROM pg_type t WHERE t.oid = m.objid)
		END, '  (no definition shown for this kind of object)') || E'\n' ||
	   '  comment: ' || coalesce(obj_description(m.objid, (SELECT relname FROM pg_class WHERE oid = m.classid)), '(none)')
FROM members m
ORDER BY 1;
EOF
}

echo "1..14"

# ---------------------------------------------------------------------
# 1.0, with values of many shapes
# ---------------------------------------------------------------------
check "create database with chronos 1.0" \
	bash -c "createdb '$UPGRADED' && psql -X -q -v ON_ERROR_STOP=1 -d '$UPGRADED' -c \"CREATE EXTENSION chronos VERSION '1.0'\""

cat >"$TMP/fill.sql" <<'EOF'
SET TimeZone = 'UTC';
SELECT setseed(0.5);
CREATE TABLE shapes (name text PRIMARY KEY, data compact_ts);
INSERT INTO shapes VALUES
	('empty', compact_ts('{}'::timestamptz[], '{}'::float8[])),
	('null', NULL),
	('one point', '{2020-01-01 00:00:00+00 => 1.5}'),
	('infinite timestamps', '{-infinity => -1, 2000-01-01 00:00:00+00 => 0, infinity => 2}'),
	('duplicate timestamps', compact_ts(ARRAY['2020-05-05 05:05:05+00', '2020-05-05 05:05:05+00',
		'2020-05-05 05:05:06+00']::timestamptz[], ARRAY[3, 1, 2]::float8[])),
	('extreme magnitudes', compact_ts(ARRAY['2000-01-01', '2000-01-02', '2000-01-03', '2000-01-04']::timestamptz[],
		ARRAY[1e308, -1e308, 1e-300, 5e-324]::float8[])),
	('canonical literal', '{quant16(sum=3,error=0): 2020-01-01 00:00:00+00 => 1, 2020-01-01 00:00:10+00 => 2; gorilla(sum=0.6,error=0): 2020-01-01 00:00:20+00 => 0.1, 2020-01-01 00:00:30+00 => 0.2, 2020-01-01 00:00:40+00 => 0.3}');
INSERT INTO shapes
SELECT 'quantized random', compact_ts_agg(ts, random() * 200 - 100)
FROM generate_series(timestamptz '2021-03-01', timestamptz '2021-03-01' + interval '9999 seconds', interval '1 second') ts;
INSERT INTO shapes
SELECT 'lossless walk', compact_ts_agg(ts, v, 'lossless')
FROM (SELECT timestamptz '2019-06-30' + g * interval '1.5 s' AS ts, sum(random() - 0.5) OVER (ORDER BY g) AS v
	  FROM generate_series(1, 5000) g) x;
INSERT INTO shapes
SELECT 'constant', compact_ts_agg(ts, 42.125)
FROM generate_series(timestamptz '2022-01-01', timestamptz '2022-01-01' + interval '999 minutes', interval '1 minute') ts;
-- out of line (TOAST); the second prints as base64 since 1.1
INSERT INTO shapes
SELECT '100k points', compact_ts_agg(timestamptz '2023-01-01' + g * interval '15 s', sin(g / 100.0) * 1000)
FROM generate_series(1, 100000) g;
INSERT INTO shapes
SELECT '150k points', compact_ts_agg(timestamptz '2023-01-01' + g * interval '15 s', cos(g / 100.0))
FROM generate_series(1, 150000) g;
EOF
if q "$UPGRADED" -f "$TMP/fill.sql" >"$TMP/out" 2>&1; then
	ok "store 12 values of many shapes under 1.0"
else
	not_ok "store 12 values of many shapes under 1.0"
	sed 's/^/#   /' "$TMP/out" | head -n 20
fi

# fingerprint DB FILE: per value, md5 of its bytes, of its text and of its points
fingerprint()
{
	q "$1" -o "$2" -c "SET extra_float_digits = 3;
		SELECT name, coalesce(md5(compact_ts_to_bytea(data)), 'NULL'), coalesce(md5(data::text), 'NULL'),
			   coalesce((SELECT md5(string_agg(u.ts || ' ' || u.value, ',' ORDER BY k))
						 FROM unnest(data) WITH ORDINALITY AS u(ts, value, k)), 'none'),
			   coalesce(length(data)::text, 'NULL')
		FROM shapes ORDER BY name"
}
check "fingerprint of the values under 1.0" fingerprint "$UPGRADED" "$TMP/before.txt"

# ---------------------------------------------------------------------
# ALTER EXTENSION chronos UPDATE
# ---------------------------------------------------------------------
check "ALTER EXTENSION chronos UPDATE" q "$UPGRADED" -c "ALTER EXTENSION chronos UPDATE"
v=$(q "$UPGRADED" -c "SELECT extversion FROM pg_extension WHERE extname = 'chronos'" 2>&1)
dv=$(q "$UPGRADED" -c "SELECT default_version FROM pg_available_extensions WHERE name = 'chronos'" 2>&1)
if [ "$v" = "$dv" ] && [ "$v" = 1.1 ]; then
	ok "the updated extension is at the default version ($v)"
else
	not_ok "the updated extension is at the default version (extversion '$v', default '$dv')"
fi

check "create database with a fresh CREATE EXTENSION chronos" \
	bash -c "createdb '$FRESH' && psql -X -q -v ON_ERROR_STOP=1 -d '$FRESH' -c 'CREATE EXTENSION chronos'"
check "create database with chronos 1.0, not updated" \
	bash -c "createdb '$OLD' && psql -X -q -v ON_ERROR_STOP=1 -d '$OLD' -c \"CREATE EXTENSION chronos VERSION '1.0'\""

if catalog "$UPGRADED" "$TMP/upgraded.txt" >"$TMP/out" 2>&1 && catalog "$FRESH" "$TMP/fresh.txt" >>"$TMP/out" 2>&1 &&
	catalog "$OLD" "$TMP/old.txt" >>"$TMP/out" 2>&1; then
	members=$(q "$FRESH" -c "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
		WHERE d.refclassid = 'pg_extension'::regclass AND e.extname = 'chronos' AND d.deptype = 'e'")
	ok "catalogs written ($members members in a fresh install)"
else
	not_ok "catalogs written"
	sed 's/^/#   /' "$TMP/out" | head -n 20
fi

if diff -u "$TMP/fresh.txt" "$TMP/upgraded.txt" >"$TMP/diff" 2>&1; then
	ok "every object of the updated extension and its definition equals the fresh install's"
else
	not_ok "every object of the updated extension and its definition equals the fresh install's (- fresh, + updated)"
	sed 's/^/#   /' "$TMP/diff" | head -n 80
fi

# the comparison can fail: 1.0 differs from 1.1 in what 1.1 adds and changes
if ! diff -q "$TMP/fresh.txt" "$TMP/old.txt" >/dev/null 2>&1 &&
	grep -q '^operator =(compact_ts,compact_ts)' "$TMP/fresh.txt" &&
	! grep -q '^operator =(compact_ts,compact_ts)' "$TMP/old.txt"; then
	ok "the comparison sees what 1.0 lacks ($(diff "$TMP/fresh.txt" "$TMP/old.txt" | grep -c '^<') lines)"
else
	not_ok "the comparison sees what 1.0 lacks"
fi

# ---------------------------------------------------------------------
# the values stored under 1.0, after the update
# ---------------------------------------------------------------------
check "fingerprint of the values after the update" fingerprint "$UPGRADED" "$TMP/after.txt"
if diff -u "$TMP/before.txt" "$TMP/after.txt" >"$TMP/diff" 2>&1 && [ "$(wc -l <"$TMP/after.txt")" -eq 12 ]; then
	ok "the 12 values read identically after the update (bytes, text, points)"
else
	not_ok "the 12 values read identically after the update (bytes, text, points)"
	sed 's/^/#   /' "$TMP/diff" | head -n 40
fi

# what 1.1 adds works on them
r=$(q "$UPGRADED" 2>&1 <<'EOF'
SET TimeZone = 'UTC';
CREATE INDEX ON shapes USING hash (data);
SET enable_seqscan = off;
SELECT count(*) FILTER (WHERE s.data = f.data) || ' ' || count(DISTINCT s.data)
FROM shapes s,
	 LATERAL (SELECT compact_ts_agg(timestamptz '2023-01-01' + g * interval '15 s', cos(g / 100.0)) AS data
			  FROM generate_series(1, 150000) g) f;
SELECT name FROM shapes WHERE data = (SELECT data FROM shapes WHERE name = 'one point');
EOF
)
if [ "$r" = "$(printf '1 11\none point')" ]; then
	ok "=, DISTINCT and a hash index work on the values stored under 1.0"
else
	not_ok "=, DISTINCT and a hash index work on the values stored under 1.0"
	echo "$r" | sed 's/^/#   /' | head -n 10
fi

r=$(q "$UPGRADED" -c "SELECT compact_ts('{}'::timestamptz[], '{}'::float8[], NULL)" 2>&1)
if grep -q 'codec must not be NULL' <<<"$r"; then
	ok "after the update, compact_ts(ts[], v[], NULL) raises 22004 like a fresh 1.1"
else
	not_ok "after the update, compact_ts(ts[], v[], NULL) raises 22004 like a fresh 1.1"
	echo "$r" | sed 's/^/#   /'
fi

[ "$failed" -eq 0 ]
