#!/bin/bash
#
# test/run_tests.sh
#	Everything "make test" (and so CI) runs, from a fresh clone, as root,
#	without a terminal, on PostgreSQL 15 (Debian 12's):
#
#	  1. tools/install-deps.sh          (installs what is missing)
#	  2. the assertion build: make clean; make
#	     PG_CFLAGS="-DUSE_ASSERT_CHECKING -Werror"; make install; and checks
#	     of the build itself (the flags of every compile line, the control
#	     file's version, the list of scripts)
#	  3. make unittest                  (codec unit tests, no server)
#	  4. in a throwaway cluster (pg_virtualenv -t): make installcheck, the
#	     pg_regress suite, against the assertion build, so that the glue's
#	     Asserts run
#	  5. the release build: make clean; make; make install (no compiler
#	     warning allowed)
#	  6. in another throwaway cluster: bash test/<name>.sh, every shell test
#	     in test/, against the release build (they measure memory and time)
#
#	and ends with the line "N passed, N failed" (totals over all suites),
#	exiting non-zero when anything failed.
#
#	test/run_tests.sh --pg-version MAJOR
#	    the suites for one PostgreSQL version (15, 16, 17 or 18), in this
#	    tree: 15 is Debian's (pg_virtualenv), any other is built once from
#	    Debian's source packages by tools/pg-build.sh (cached in
#	    /var/cache/chronos) and run in a throwaway cluster by
#	    tools/pg-cluster.sh.  One release build (no warning allowed, checked),
#	    then pg_regress and the shell tests in one cluster.  The codec unit
#	    tests and test/dist.sh do not depend on the server and run in
#	    "make test" only.
#
#	test/run_tests.sh --matrix MAJOR...      ("make test-matrix")
#	    --pg-version MAJOR for each version, each in its own copy of the
#	    tree (test/build/pgMAJOR/, the files git tracks or would track), so
#	    that the versions do not share objects; then the totals of all, in
#	    one "N passed, N failed" line.
#
# Counting
#	unit tests and shell tests print TAP-like lines at the start of a line:
#	    ok N - description
#	    not ok N - description
#	each counts as one test (a "# SKIP" directive counts as skipped).  A
#	"1..N" plan line, if printed, is checked: tests that never reported
#	count as failed.  pg_regress (PostgreSQL 15) prints one line per test:
#	    test compact_ts_io                ... ok           12 ms
#	    test copy                         ... FAILED       30 ms
#	(and, from PostgreSQL 16 on, "ok 1 - name  12 ms" / "not ok 2 - name";
#	both forms are understood).
#
#	A suite that cannot run or dies before reporting is never skipped
#	silently: a build failure, a suite that exits non-zero without any
#	"not ok" line, a suite that reports no test at all, or one that runs
#	past its time limit each adds one failure.
#
# Logs of every suite are kept in test/build/run_tests/ (CHRONOS_TEST_LOGDIR).
#
# IDENTIFICATION
#	test/run_tests.sh

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2

LOGDIR=${CHRONOS_TEST_LOGDIR:-$ROOT/test/build/run_tests}

# time limits per suite, in seconds (the whole run must stay well under 30
# minutes on 2 cores; these only stop a hung suite)
UNITTEST_TIMEOUT=${UNITTEST_TIMEOUT:-900}
INSTALLCHECK_TIMEOUT=${INSTALLCHECK_TIMEOUT:-1200}
SHELLTEST_TIMEOUT=${SHELLTEST_TIMEOUT:-600}

# the flags CI builds with once: the glue's Asserts, and no warning
ASSERT_CFLAGS="-DUSE_ASSERT_CHECKING -Werror"

# shell tests that do not depend on the server version: "make test" only
VERSION_INDEPENDENT="dist.sh"

banner()
{
	printf '\n======== %s ========\n' "$*"
}

# run_suite NAME TIMEOUT COMMAND...
#	Runs COMMAND with output shown live and saved to $LOGDIR/NAME.log; its
#	exit status goes to $LOGDIR/NAME.rc (124 when it ran out of time).
run_suite()
{
	local name=$1 limit=$2
	shift 2
	local start=$SECONDS rc
	banner "$name"
	timeout -k 30 "$limit" "$@" </dev/null 2>&1 | tee "$LOGDIR/$name.log"
	rc=${PIPESTATUS[0]}
	echo "$rc" >"$LOGDIR/$name.rc"
	echo "$((SECONDS - start))" >"$LOGDIR/$name.secs"
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "# $name: killed after ${limit}s time limit" | tee -a "$LOGDIR/$name.log"
	fi
	echo "# $name: exit status $rc, $((SECONDS - start))s"
	return 0
}

# ---------------------------------------------------------------------
# Inside a cluster: pg_virtualenv or tools/pg-cluster.sh runs this script
# again as "--in-cluster LOGDIR PG_CONFIG REGRESS TESTS..."; PGHOST, PGPORT,
# PGUSER, PGPASSWORD, PGDATABASE are set.  REGRESS is "regress" to run
# pg_regress, "-" not to.
# ---------------------------------------------------------------------
if [ "${1:-}" = "--in-cluster" ]; then
	LOGDIR=$2
	PGC=$3
	REGRESS=$4
	shift 4
	status=0

	echo "# cluster: $(psql -X -At -c 'SELECT version()' 2>&1)"
	echo "# PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-}"

	if [ "$REGRESS" = regress ]; then
		rm -f regression.diffs
		run_suite installcheck "$INSTALLCHECK_TIMEOUT" make --no-print-directory PG_CONFIG="$PGC" installcheck
		if [ "$(cat "$LOGDIR/installcheck.rc")" != 0 ]; then
			status=1
			if [ -s regression.diffs ]; then
				cp regression.diffs "$LOGDIR/regression.diffs"
				banner "regression.diffs (first 400 lines; whole file in $LOGDIR/regression.diffs)"
				head -n 400 regression.diffs
			fi
		fi
	fi

	for t in "$@"; do
		name=$(basename "$t" .sh)
		run_suite "$name" "$SHELLTEST_TIMEOUT" env PG_CONFIG="$PGC" bash "$t"
		[ "$(cat "$LOGDIR/$name.rc")" = 0 ] || status=1
	done
	# non-zero makes the cluster wrapper print the server log and any core's backtrace
	exit $status
fi

# ---------------------------------------------------------------------
# --matrix: each version in its own copy of the tree, then the totals
# ---------------------------------------------------------------------
if [ "${1:-}" = "--matrix" ]; then
	shift
	[ $# -gt 0 ] || set -- 15 18
	START=$SECONDS
	total_pass=0
	total_fail=0
	total_skip=0
	lines=()
	for v in "$@"; do
		copy=$ROOT/test/build/pg$v
		banner "PostgreSQL $v: copy of the tree in $copy"
		rm -rf "$copy"
		mkdir -p "$copy"
		# what git tracks or would track (not what it ignores, such as
		# build products and test/build itself), as the working tree has it;
		# outside a git checkout (an unpacked release archive), everything but
		# build products
		if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
			git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
				while IFS= read -r -d '' f; do [ -e "$ROOT/$f" ] && printf '%s\0' "$f"; done |
				tar -C "$ROOT" --null -T - -cf - | tar -C "$copy" -xf -
		else
			tar -C "$ROOT" --exclude=./test/build --exclude=./results --exclude='*.o' \
				--exclude='*.bc' --exclude='*.so' -cf - . | tar -C "$copy" -xf -
		fi
		vstart=$SECONDS
		CHRONOS_TEST_LOGDIR=$copy/test/build/run_tests bash "$copy/test/run_tests.sh" --pg-version "$v" |
			tee "$ROOT/test/build/pg$v.log"
		last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$ROOT/test/build/pg$v.log" | tail -n 1)
		if [ -z "$last" ]; then
			last="0 passed, 1 failed"
			echo "# PostgreSQL $v: the run reported no totals (counted as one failure)"
		fi
		p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$last")
		f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$last")
		s=$(sed -n -E 's/.*, ([0-9]+) skipped.*/\1/p' <<<"$last")
		total_pass=$((total_pass + p))
		total_fail=$((total_fail + f))
		total_skip=$((total_skip + ${s:-0}))
		lines+=("$(printf '  PostgreSQL %-4s %s  (%ds, logs in %s)' "$v" "$last" $((SECONDS - vstart)) "$copy/test/build/run_tests")")
	done
	banner "matrix summary"
	printf '%s\n' "${lines[@]}"
	echo "# total time: $((SECONDS - START))s"
	echo
	if [ "$total_skip" -gt 0 ]; then
		echo "$total_pass passed, $total_fail failed, $total_skip skipped"
	else
		echo "$total_pass passed, $total_fail failed"
	fi
	[ "$total_fail" -eq 0 ]
	exit $?
fi

# ---------------------------------------------------------------------
# Outside: deps, builds, unit tests, then the cluster suites; then count.
# ---------------------------------------------------------------------

PG_VERSION=""
if [ "${1:-}" = "--pg-version" ]; then
	PG_VERSION=${2:-}
	[ -n "$PG_VERSION" ] || { echo "usage: test/run_tests.sh --pg-version MAJOR" >&2; exit 2; }
fi

# counters, per suite and in total
TOTAL_PASS=0
TOTAL_FAIL=0
TOTAL_SKIP=0
SUMMARY=()

add_result()
{
	local name=$1 pass=$2 fail=$3 skip=$4 note=${5:-}
	TOTAL_PASS=$((TOTAL_PASS + pass))
	TOTAL_FAIL=$((TOTAL_FAIL + fail))
	TOTAL_SKIP=$((TOTAL_SKIP + skip))
	SUMMARY+=("$(printf '  %-28s %4d passed, %4d failed%s%s' "$name" "$pass" "$fail" \
		"$([ "$skip" -gt 0 ] && echo ", $skip skipped")" "${note:+  ($note)}")")
}

# count_tap NAME: count "ok N" / "not ok N" lines of $LOGDIR/NAME.log
count_tap()
{
	local name=$1 log="$LOGDIR/$1.log" rc pass fail skip plan note=""
	if [ ! -f "$LOGDIR/$name.rc" ]; then
		add_result "$name" 0 1 0 "did not run"
		return
	fi
	rc=$(cat "$LOGDIR/$name.rc")
	pass=$(grep -E -c '^ok [0-9]+' "$log" | head -1)
	skip=$(grep -E -c '^ok [0-9]+.*# *(SKIP|skip)' "$log" | head -1)
	fail=$(grep -E -c '^not ok [0-9]+' "$log" | head -1)
	pass=$((pass - skip))
	plan=$(grep -E -m1 -o '^1\.\.[0-9]+' "$log" | cut -d. -f3)
	if [ -n "$plan" ] && [ $((pass + skip + fail)) -lt "$plan" ]; then
		note="planned $plan, $((plan - pass - skip - fail)) never reported"
		fail=$((fail + plan - pass - skip - fail))
	fi
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		fail=$((fail + 1))
		note="${note:+$note; }timed out"
	elif [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
		note="${note:+$note; }exit status $rc without a failing test"
	elif [ $((pass + skip + fail)) -eq 0 ]; then
		fail=1
		note="${note:+$note; }reported no test"
	fi
	add_result "$name" "$pass" "$fail" "$skip" "$note"
}

# make_var NAME: a variable of the Makefile, as make sees it
make_var()
{
	printf '_chronos_print_var:\n\t@echo $(%s)\n' "$1" |
		make -s --no-print-directory PG_CONFIG="$PGC" -f Makefile -f - _chronos_print_var 2>/dev/null
}

# count_regress: pg_regress result lines of $LOGDIR/installcheck.log; every
# test the Makefile names but pg_regress never reported (it stops at the first
# missing file, for instance) counts as failed
count_regress()
{
	local name=installcheck log="$LOGDIR/installcheck.log" rc pass=0 fail=0 t note="" missing=()
	if [ ! -f "$LOGDIR/$name.rc" ]; then
		t=$(make_var REGRESS | wc -w)
		add_result "pg_regress" 0 $((t > 0 ? t : 1)) 0 "did not run"
		return
	fi
	rc=$(cat "$LOGDIR/$name.rc")
	# PG 15: "test NAME ... ok", "     NAME ... ok" (parallel group),
	#        "... FAILED", "... failed (ignored)"
	# PG 16+: "ok 1 - NAME  12 ms", "not ok 2 - NAME", "ok 3 + NAME" (parallel)
	sed -n -E \
		-e 's/^(test +| +)?([A-Za-z0-9_.-]+) +\.\.\. ok( .*)?$/\2 ok/p' \
		-e 's/^(test +| +)?([A-Za-z0-9_.-]+) +\.\.\. (FAILED|failed).*$/\2 failed/p' \
		-e 's/^ok [0-9]+ +[-+] +([A-Za-z0-9_.-]+).*$/\1 ok/p' \
		-e 's/^not ok [0-9]+ +[-+] +([A-Za-z0-9_.-]+).*$/\1 failed/p' \
		"$log" >"$LOGDIR/installcheck.results"
	pass=$(grep -c ' ok$' "$LOGDIR/installcheck.results")
	fail=$(grep -c ' failed$' "$LOGDIR/installcheck.results")
	for t in $(make_var REGRESS); do
		grep -q "^$t " "$LOGDIR/installcheck.results" || missing+=("$t")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		fail=$((fail + ${#missing[@]}))
		note="never reported: ${missing[*]}"
	fi
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		fail=$((fail + 1))
		note="${note:+$note; }timed out"
	elif [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
		note="${note:+$note; }pg_regress exit status $rc without a failing test"
	elif [ $((pass + fail)) -eq 0 ]; then
		fail=1
		note="${note:+$note; }reported no test"
	fi
	add_result "pg_regress" "$pass" "$fail" 0 "$note"
}

finish()
{
	banner "summary (logs in $LOGDIR)"
	printf '%s\n' "${SUMMARY[@]}"
	echo "# total time: $((SECONDS - START))s"
	echo
	if [ "$TOTAL_SKIP" -gt 0 ]; then
		echo "$TOTAL_PASS passed, $TOTAL_FAIL failed, $TOTAL_SKIP skipped"
	else
		echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
	fi
	[ "$TOTAL_FAIL" -eq 0 ]
	exit $?
}

# build_checks: TAP lines of the build, in $LOGDIR/build_checks.log
BC=0
bc_ok()
{
	BC=$((BC + 1))
	echo "ok $BC - $*" | tee -a "$LOGDIR/build_checks.log"
}
bc_not_ok()
{
	BC=$((BC + 1))
	echo "not ok $BC - $*" | tee -a "$LOGDIR/build_checks.log"
}

# build LOG DESCRIPTION [MAKE ARGS...]: make clean, make ARGS, make install;
# output in $LOGDIR/LOG.log; one check for the build, one for its warnings.
# The clean leaves test/build (EXTRA_CLEAN=): the logs and the copies of
# the matrix live there.
build()
{
	local log=$1 name=$2 warnings
	shift 2
	banner "$name"
	make clean PG_CONFIG="$PGC" EXTRA_CLEAN= >/dev/null 2>&1 </dev/null
	if ! make -j"$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$PGC" "$@" </dev/null 2>&1 | tee "$LOGDIR/$log.log"; then
		bc_not_ok "$name: make $* failed"
		return 1
	fi
	if ! $SUDO make install PG_CONFIG="$PGC" </dev/null >"$LOGDIR/$log.install.log" 2>&1; then
		cat "$LOGDIR/$log.install.log"
		bc_not_ok "$name: make install failed"
		return 1
	fi
	bc_ok "$name: make $* and make install into $("$PGC" --pkglibdir)"
	warnings=$(grep -c -E 'warning:' "$LOGDIR/$log.log")
	if [ "$warnings" -eq 0 ]; then
		bc_ok "$name: no compiler warning"
	else
		grep -E 'warning:' "$LOGDIR/$name.log" | head -n 20 | sed 's/^/#   /'
		bc_not_ok "$name: $warnings compiler warnings"
	fi
	return 0
}

# check_flags LOG FLAG...: every compile line of a .c file in LOG has every FLAG
check_flags()
{
	local log=$1 lines missing f
	shift
	lines=$(grep -E -c -- ' -c -o [^ ]+\.o [^ ]+\.c' "$log")
	for f in "$@"; do
		missing=$(grep -E -- ' -c -o [^ ]+\.o [^ ]+\.c' "$log" | grep -c -v -F -- " $f ")
		if [ "$lines" -gt 0 ] && [ "$missing" -eq 0 ]; then
			bc_ok "every one of the $lines compile lines has $f"
		else
			bc_not_ok "$missing of the $lines compile lines lack $f"
		fi
	done
}

# check_make_fails DESCRIPTION MESSAGE MAKE ARGS...: make ARGS must fail, saying MESSAGE
check_make_fails()
{
	local desc=$1 msg=$2 out
	shift 2
	if out=$(make -n PG_CONFIG="$PGC" "$@" 2>&1 </dev/null); then
		bc_not_ok "$desc: make $* succeeded"
	elif grep -q -F -- "$msg" <<<"$out"; then
		bc_ok "$desc"
	else
		bc_not_ok "$desc: make $* failed without \"$msg\""
		echo "$out" | head -n 5 | sed 's/^/#   /'
	fi
}

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
	SUDO="sudo -n"
fi

START=$SECONDS
mkdir -p "$LOGDIR"
rm -f "$LOGDIR"/*.log "$LOGDIR"/*.rc "$LOGDIR"/*.secs "$LOGDIR"/*.results "$LOGDIR"/regression.diffs
echo 0 >"$LOGDIR/build_checks.rc"

# 1. dependencies
banner "dependencies"
if ! bash tools/install-deps.sh </dev/null; then
	add_result "dependencies" 0 1 0 "tools/install-deps.sh failed"
	finish
fi

# the server: Debian's 15, or a version built by tools/pg-build.sh
PGC=pg_config
CLUSTER=(pg_virtualenv -t -v 15)
if [ -n "$PG_VERSION" ] && [ "$PG_VERSION" != 15 ]; then
	banner "PostgreSQL $PG_VERSION (tools/pg-build.sh)"
	start=$SECONDS
	# run as "make test-matrix", this is inside make: a MAKELEVEL above 0
	# would make PostgreSQL's own build skip its generated headers
	PGC=$(env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS bash tools/pg-build.sh "$PG_VERSION" </dev/null | tail -n 1)
	if [ -z "$PGC" ] || [ ! -x "$PGC" ]; then
		add_result "PostgreSQL $PG_VERSION" 0 1 0 "tools/pg-build.sh $PG_VERSION failed"
		finish
	fi
	echo "# $PGC ($("$PGC" --version)), $((SECONDS - start))s"
	CLUSTER=(bash "$ROOT/tools/pg-cluster.sh" "$("$PGC" --bindir)")
fi

# the shell tests, listed before the build so that a test missing from a
# broken checkout still shows up
SHELL_TESTS=()
for t in test/*.sh; do
	[ -f "$t" ] || continue
	[ "$(basename "$t")" = "run_tests.sh" ] && continue
	if [ -n "$PG_VERSION" ] && [[ " $VERSION_INDEPENDENT " == *" $(basename "$t") "* ]]; then
		echo "# $t does not depend on the server: it runs in \"make test\" only"
		continue
	fi
	SHELL_TESTS+=("$t")
done
CLUSTER_TIMEOUT=$((INSTALLCHECK_TIMEOUT + SHELLTEST_TIMEOUT * ${#SHELL_TESTS[@]} + 300))

if [ -z "$PG_VERSION" ]; then
	# 2. the assertion build, and checks of the build itself
	assert_ok=0
	build build_assert "assertion build" PG_CFLAGS="$ASSERT_CFLAGS" && assert_ok=1
	if [ "$assert_ok" -eq 1 ]; then
		# a PG_CFLAGS given on the command line adds to the Makefile's flags
		check_flags "$LOGDIR/build_assert.log" -DUSE_ASSERT_CHECKING -Werror \
			-ffp-contract=off -Wall -Wextra
	fi
	check_make_fails "make refuses a control file whose default_version is not EXTVERSION" \
		"make them equal" EXTVERSION=9.9
	check_make_fails "make refuses a DATA without the install script of EXTVERSION" \
		"DATA does not list chronos--1.1.sql" DATA=chronos--1.0.sql
	check_make_fails "make refuses a DATA that leaves out a script of the tree" \
		"every install and upgrade script must be installed" \
		DATA="chronos--1.0.sql chronos--1.1.sql"

	# 3. codec unit tests (need no server and no build of the extension)
	run_suite unittest "$UNITTEST_TIMEOUT" make --no-print-directory unittest
	count_tap unittest

	# 4. pg_regress against the assertion build
	if [ "$assert_ok" -eq 1 ]; then
		banner "throwaway cluster for pg_regress, assertion build (${CLUSTER[*]})"
		timeout -k 60 $((INSTALLCHECK_TIMEOUT + 300)) \
			"${CLUSTER[@]}" bash "$ROOT/test/run_tests.sh" --in-cluster "$LOGDIR" "$PGC" regress </dev/null
		echo "# cluster: exit status $?"
	else
		echo "# the assertion build failed: pg_regress cannot run (it counts as failed)"
	fi
	count_regress

	# 5. the release build; 6. the shell tests against it
	if build build_release "release build"; then
		banner "throwaway cluster for the shell tests, release build (${CLUSTER[*]})"
		timeout -k 60 "$CLUSTER_TIMEOUT" \
			"${CLUSTER[@]}" bash "$ROOT/test/run_tests.sh" --in-cluster "$LOGDIR" "$PGC" - "${SHELL_TESTS[@]}" </dev/null
		echo "# cluster: exit status $?"
	else
		echo "# the release build failed: the shell tests cannot run (each counts as failed)"
	fi
else
	# one release build, then pg_regress and the shell tests in one cluster
	if build build_release "release build, PostgreSQL $PG_VERSION"; then
		banner "throwaway cluster, PostgreSQL $PG_VERSION (${CLUSTER[*]})"
		timeout -k 60 "$CLUSTER_TIMEOUT" \
			"${CLUSTER[@]}" bash "$ROOT/test/run_tests.sh" --in-cluster "$LOGDIR" "$PGC" regress "${SHELL_TESTS[@]}" </dev/null
		echo "# cluster: exit status $?"
	else
		echo "# the build failed: pg_regress and the shell tests cannot run (each counts as failed)"
	fi
	count_regress
fi

count_tap build_checks
for t in "${SHELL_TESTS[@]}"; do
	count_tap "$(basename "$t" .sh)"
done

finish
