#!/bin/bash
#
# test/run_tests.sh
#	Everything "make test" (and so CI) runs, from a fresh clone, as root,
#	without a terminal:
#
#	  1. tools/install-deps.sh          (installs what is missing)
#	  2. make clean; make; make install
#	  3. make unittest                  (codec unit tests, no server)
#	  4. in ONE throwaway cluster (pg_virtualenv -t):
#	       make installcheck            (pg_regress, every REGRESS file)
#	       bash test/<name>.sh          (every shell test in test/)
#
#	and ends with the line "N passed, N failed" (totals over all suites),
#	exiting non-zero when anything failed.
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
# Logs of every suite are kept in test/build/run_tests/.
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
# Inside the cluster: pg_virtualenv runs this script again with
# --in-cluster; PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE are set.
# ---------------------------------------------------------------------
if [ "${1:-}" = "--in-cluster" ]; then
	LOGDIR=$2
	shift 2
	status=0

	echo "# cluster: $(psql -X -At -c 'SELECT version()' 2>&1)"
	echo "# PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-}"

	run_suite installcheck "$INSTALLCHECK_TIMEOUT" make installcheck
	if [ "$(cat "$LOGDIR/installcheck.rc")" != 0 ]; then
		status=1
		if [ -s regression.diffs ]; then
			cp regression.diffs "$LOGDIR/regression.diffs"
			banner "regression.diffs (first 400 lines; whole file in $LOGDIR/regression.diffs)"
			head -n 400 regression.diffs
		fi
	fi

	for t in "$@"; do
		name=$(basename "$t" .sh)
		run_suite "$name" "$SHELLTEST_TIMEOUT" bash "$t"
		[ "$(cat "$LOGDIR/$name.rc")" = 0 ] || status=1
	done
	# non-zero makes pg_virtualenv print the server log and any core's backtrace
	exit $status
fi

# ---------------------------------------------------------------------
# Outside: deps, build, unit tests, then the cluster suites; then count.
# ---------------------------------------------------------------------

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

# regress_list: the REGRESS tests the Makefile names
regress_list()
{
	printf '_chronos_print_regress:\n\t@echo $(REGRESS)\n' |
		make -s --no-print-directory -f Makefile -f - _chronos_print_regress 2>/dev/null
}

# count_regress: pg_regress result lines of $LOGDIR/installcheck.log; every
# test the Makefile names but pg_regress never reported (it stops at the first
# missing file, for instance) counts as failed
count_regress()
{
	local name=installcheck log="$LOGDIR/installcheck.log" rc pass=0 fail=0 t res note="" missing=()
	if [ ! -f "$LOGDIR/$name.rc" ]; then
		t=$(regress_list | wc -w)
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
	for t in $(regress_list); do
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
	echo
	if [ "$TOTAL_SKIP" -gt 0 ]; then
		echo "$TOTAL_PASS passed, $TOTAL_FAIL failed, $TOTAL_SKIP skipped"
	else
		echo "$TOTAL_PASS passed, $TOTAL_FAIL failed"
	fi
	[ "$TOTAL_FAIL" -eq 0 ]
	exit $?
}

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
	SUDO="sudo -n"
fi

START=$SECONDS

# 1. dependencies
banner "dependencies"
if ! bash tools/install-deps.sh </dev/null; then
	add_result "dependencies" 0 1 0 "tools/install-deps.sh failed"
	mkdir -p "$LOGDIR" 2>/dev/null
	finish
fi

# the shell tests, listed before the build so that a test missing from a
# broken checkout still shows up
SHELL_TESTS=()
for t in test/*.sh; do
	[ -f "$t" ] || continue
	[ "$(basename "$t")" = "run_tests.sh" ] && continue
	SHELL_TESTS+=("$t")
done

# 2. build and install
banner "build"
build_ok=1
make clean >/dev/null 2>&1 </dev/null
mkdir -p "$LOGDIR"
rm -f "$LOGDIR"/*.log "$LOGDIR"/*.rc "$LOGDIR"/*.secs "$LOGDIR"/*.results "$LOGDIR"/regression.diffs
if ! make -j"$(nproc 2>/dev/null || echo 2)" </dev/null 2>&1 | tee "$LOGDIR/build.log"; then
	build_ok=0
	add_result "build" 0 1 0 "make failed"
elif ! $SUDO make install </dev/null >"$LOGDIR/install.log" 2>&1; then
	cat "$LOGDIR/install.log"
	build_ok=0
	add_result "build" 0 1 0 "make install failed"
else
	echo "# build and install: ok ($(grep -c -E 'warning:' "$LOGDIR/build.log") compiler warnings)"
fi

# 3. codec unit tests (need no server and no build of the extension)
run_suite unittest "$UNITTEST_TIMEOUT" make --no-print-directory unittest
count_tap unittest

# 4. the cluster suites
if [ "$build_ok" -eq 1 ]; then
	banner "throwaway cluster (pg_virtualenv)"
	timeout -k 60 $((INSTALLCHECK_TIMEOUT + SHELLTEST_TIMEOUT * ${#SHELL_TESTS[@]} + 300)) \
		pg_virtualenv -t -v 15 bash "$ROOT/test/run_tests.sh" --in-cluster "$LOGDIR" "${SHELL_TESTS[@]}" </dev/null
	echo "# pg_virtualenv: exit status $?"
else
	echo "# build failed: pg_regress and the shell tests cannot run (each counts as one failure)"
fi
count_regress
for t in "${SHELL_TESTS[@]}"; do
	count_tap "$(basename "$t" .sh)"
done

echo "# total time: $((SECONDS - START))s"
finish
