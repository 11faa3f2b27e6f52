#!/usr/bin/env bash
#
# test/csv/run.sh
#	  Build and test the CSV library (src/csv/) without a server.
#
#	  bash test/csv/run.sh				unit tests, corpus replay, generator
#	  bash test/csv/run.sh fuzz SECONDS	libFuzzer on test/csv/fuzz_csv.c
#
# Default mode, each step one TAP line "ok N - ..." / "not ok N - ...":
#	- the toolchain builds and runs a program with ASan+UBSan;
#	- src/csv/ builds with -Wall -Wextra -Werror under clang and gcc, at -O0
#	  and -O2;
#	- test_csv.c (built with ASan+UBSan) passes; its own lines are shown
#	  indented, so that they do not count twice;
#	- the fuzz corpus test/csv/corpus/ replays through fuzz_csv.c without
#	  libFuzzer (replay_csv.c);
#	- gen_csv is deterministic, writes the documented format, and
#	  cts_csv_scan (the library through pread windows, sanitized) reads back
#	  exactly the counts gen_csv reports, in long and wide format, with
#	  missing and late rows, through 1 MB and 64 KB windows;
#	- speed notes (not thresholds): gen_csv MB/s, tokenizer MB/s.
# Binaries and logs go to test/build/csv/.  A missing compiler or
# sanitizer runtime is a failure, never a skip.
#
# Fuzz mode builds fuzz_csv with -fsanitize=fuzzer,address,undefined and
# runs it for SECONDS on test/csv/corpus/ (new inputs go to a scratch
# directory, test/build/csv/fuzz_new/; crashers are written into the
# corpus as crash-*, leak-*, timeout-*, oom-*: commit them, and the replay
# runs them from then on).  FUZZ_JOBS parallel jobs (default 1).
#
#	  TEST_CC		compiler for the unit tests (default clang, else gcc)
#
# Copyright (c) 2026, chronos developers
#
# IDENTIFICATION
#	  test/csv/run.sh
#

set -u

cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
BUILD=$ROOT/test/build/csv
mkdir -p "$BUILD"

SRCS="src/csv/csv.c src/csv/csv_number.c src/csv/csv_time.c"
INC="-Isrc/csv -Itest/csv -Itest/codec"
WARN="-std=c99 -Wall -Wextra -Werror -ffp-contract=off"
SAN="-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

if [ -z "${TEST_CC:-}" ]; then
	if command -v clang >/dev/null 2>&1; then
		TEST_CC=clang
	else
		TEST_CC=gcc
	fi
fi

# ---- fuzz mode -------------------------------------------------------------

if [ "${1:-}" = "fuzz" ]; then
	secs=${2:-60}
	corpus=test/csv/corpus
	scratch=$BUILD/fuzz_new
	mkdir -p "$corpus" "$scratch"
	if ! command -v clang >/dev/null 2>&1; then
		echo "not ok - clang not found: libFuzzer needs clang"
		exit 1
	fi
	if ! clang $WARN -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$INC test/csv/fuzz_csv.c $SRCS -lm -o "$BUILD/fuzz_csv" >"$BUILD/fuzz_csv.build.log" 2>&1; then
		echo "not ok - fuzz_csv: build failed"
		sed 's/^/#   /' "$BUILD/fuzz_csv.build.log"
		exit 1
	fi
	before=$(ls "$corpus" | grep -cE '^(crash|leak|timeout|oom)-' || true)
	jobs=${FUZZ_JOBS:-1}
	echo "# fuzz_csv: fuzzing for $secs s (corpus $corpus, $jobs job(s))"
	# from the build directory: with -jobs, libFuzzer writes fuzz-N.log into
	# the current directory
	rm -f "$BUILD"/fuzz-*.log
	(
		cd "$BUILD" || exit 2
		if [ "$jobs" -gt 1 ]; then
			jobargs="-jobs=$jobs -workers=$jobs"
		else
			jobargs=""
		fi
		# shellcheck disable=SC2086
		"$BUILD/fuzz_csv" -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
			-print_final_stats=1 $jobargs -artifact_prefix="$ROOT/$corpus/" \
			"$scratch" "$ROOT/$corpus" >"$BUILD/fuzz_csv.log" 2>&1
	)
	rc=$?
	after=$(ls "$corpus" | grep -cE '^(crash|leak|timeout|oom)-' || true)
	grep -h -E '^stat::number_of_executed_units|^#[0-9]+.*DONE|ORACLE FAILURE|ERROR: |SUMMARY: ' \
		"$BUILD/fuzz_csv.log" "$BUILD"/fuzz-*.log 2>/dev/null | awk '!seen[$0]++' | sed 's/^/#   /'
	if [ $rc -ne 0 ] || [ "$after" -gt "$before" ]; then
		echo "not ok - fuzz_csv: exit status $rc, $((after - before)) new artifact(s) in $corpus (log $BUILD/fuzz_csv.log)"
		exit 1
	fi
	echo "ok - fuzz_csv: nothing found in $secs s"
	exit 0
fi

# ---- default mode ------------------------------------------------------------

passed=0
failed=0
n=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
finish() {
	echo "1..$n"
	echo "# csv library tests: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}
# show a log indented (so its "ok" lines do not count as ours)
show() { sed 's/^/    /' "$1"; }

# toolchain
probe=$BUILD/probe
printf '#include <stdlib.h>\nint main(void){char *p = malloc(8); p[0] = 0; int r = p[0]; free(p); return r;}\n' >"$probe.c"
if ! command -v "$TEST_CC" >/dev/null 2>&1; then
	notok "toolchain: compiler '$TEST_CC' not found"
	finish
fi
if ! $TEST_CC $WARN $SAN "$probe.c" -o "$probe" >"$probe.log" 2>&1 || ! "$probe" >>"$probe.log" 2>&1; then
	notok "toolchain: $TEST_CC cannot build and run with -fsanitize=address,undefined"
	show "$probe.log"
	finish
fi
ok "toolchain: $TEST_CC $($TEST_CC -dumpversion) with ASan+UBSan"

# warning-free with both compilers, unoptimized and optimized
for cc in clang gcc; do
	if ! command -v $cc >/dev/null 2>&1; then
		notok "src/csv with $cc: $cc not found"
		continue
	fi
	log=$BUILD/warn_$cc.log
	: >"$log"
	good=1
	for opt in -O0 -O2; do
		for f in $SRCS test/csv/test_csv.c test/csv/fuzz_csv.c test/csv/gen_csv.c \
			test/csv/csv_scan.c test/csv/replay_csv.c; do
			$cc $WARN -pedantic -Wdeclaration-after-statement -Wmissing-prototypes -Wshadow \
				-Wpointer-arith -Wimplicit-fallthrough $opt $INC -c "$f" -o "$BUILD/warn.o" >>"$log" 2>&1 || good=0
		done
	done
	if [ $good -eq 1 ]; then
		ok "src/csv and test/csv build with $cc -Wall -Wextra -pedantic -Werror and PostgreSQL's warnings (-O0, -O2)"
	else
		notok "src/csv or test/csv has warnings with $cc"
		show "$log"
	fi
done

# unit tests
if ! $TEST_CC $WARN $SAN $INC test/csv/test_csv.c $SRCS -lm -o "$BUILD/test_csv" >"$BUILD/test_csv.build.log" 2>&1; then
	notok "test_csv: build failed"
	show "$BUILD/test_csv.build.log"
else
	"$BUILD/test_csv" >"$BUILD/test_csv.log" 2>&1
	rc=$?
	show "$BUILD/test_csv.log"
	if [ $rc -eq 0 ] && grep -q '^1\.\.' "$BUILD/test_csv.log" && ! grep -q '^not ok' "$BUILD/test_csv.log"; then
		ok "test_csv ($(grep -c '^ok' "$BUILD/test_csv.log") tests, $(sed -n 's/.*; \([0-9]*\) checks.*/\1/p' "$BUILD/test_csv.log") checks)"
	else
		notok "test_csv (exit status $rc; see the lines above)"
	fi
fi

# corpus replay
if ! $TEST_CC $WARN $SAN $INC test/csv/fuzz_csv.c test/csv/replay_csv.c $SRCS -lm \
	-o "$BUILD/replay_csv" >"$BUILD/replay_csv.build.log" 2>&1; then
	notok "replay fuzz_csv: build failed"
	show "$BUILD/replay_csv.build.log"
elif [ -z "$(ls -A test/csv/corpus 2>/dev/null)" ]; then
	notok "replay fuzz_csv: corpus test/csv/corpus is missing or empty"
elif "$BUILD/replay_csv" test/csv/corpus >"$BUILD/replay_csv.log" 2>&1; then
	ok "replay fuzz_csv: $(tail -n 1 "$BUILD/replay_csv.log")"
else
	tail -n 30 "$BUILD/replay_csv.log" | sed 's/^/#   /'
	notok "replay fuzz_csv: failed on $(grep -o 'running .*' "$BUILD/replay_csv.log" | tail -n 1)"
fi

# the generator and the windowed reader
gen=$BUILD/gen_csv
scan=$BUILD/cts_csv_scan
scan_fast=$BUILD/csv_scan_O2
if ! $TEST_CC $WARN -O2 test/csv/gen_csv.c -lm -o "$gen" >"$BUILD/gen_csv.build.log" 2>&1 ||
	! $TEST_CC $WARN $SAN $INC test/csv/csv_scan.c $SRCS -lm -o "$scan" >>"$BUILD/gen_csv.build.log" 2>&1 ||
	! $TEST_CC $WARN -O2 $INC test/csv/csv_scan.c $SRCS -lm -o "$scan_fast" >>"$BUILD/gen_csv.build.log" 2>&1; then
	notok "gen_csv / cts_csv_scan: build failed"
	show "$BUILD/gen_csv.build.log"
	finish
fi

# deterministic: same seed, same bytes; another seed, other bytes
a=$("$gen" -s 7 -n 5 -p 200 -m 0.1 -o 0.1 | md5sum)
b=$("$gen" -s 7 -n 5 -p 200 -m 0.1 -o 0.1 | md5sum)
c=$("$gen" -s 8 -n 5 -p 200 -m 0.1 -o 0.1 | md5sum)
if [ "$a" = "$b" ] && [ "$a" != "$c" ]; then
	ok "gen_csv: the same seed gives the same bytes, another seed other bytes"
else
	notok "gen_csv: not deterministic ($a / $b / $c)"
fi

# the format
"$gen" -s 3 -n 3 -p 4 -t 10 >"$BUILD/small.csv"
"$gen" -s 3 -n 3 -p 4 -w >"$BUILD/small_wide.csv"
fmt_ok=1
[ "$(head -n 1 "$BUILD/small.csv")" = "series,ts,value" ] || fmt_ok=0
[ "$(wc -l <"$BUILD/small.csv")" -eq 13 ] || fmt_ok=0
[ "$(sed -n 2,4p "$BUILD/small.csv" | cut -d, -f1,2 | tr '\n' ' ')" = "sensor_0001,2020-01-01 00:00:00+00 sensor_0002,2020-01-01 00:00:00+00 sensor_0003,2020-01-01 00:00:00+00 " ] || fmt_ok=0
[ "$(sed -n 5p "$BUILD/small.csv" | cut -d, -f2)" = "2020-01-01 00:00:10+00" ] || fmt_ok=0
sed -n '2,$p' "$BUILD/small.csv" | cut -d, -f3 | grep -qvE '^-?[0-9]+\.[0-9]{2}$' && fmt_ok=0
[ "$(head -n 1 "$BUILD/small_wide.csv")" = "ts,sensor_0001,sensor_0002,sensor_0003" ] || fmt_ok=0
[ "$(wc -l <"$BUILD/small_wide.csv")" -eq 5 ] || fmt_ok=0
[ "$(sed -n 2p "$BUILD/small_wide.csv" | awk -F, '{print NF}')" -eq 4 ] || fmt_ok=0
if [ $fmt_ok -eq 1 ]; then
	ok "gen_csv: long and wide formats as documented"
else
	notok "gen_csv: format differs from its documentation"
	head -n 5 "$BUILD/small.csv" "$BUILD/small_wide.csv" | sed 's/^/#   /'
fi

# what gen_csv wrote, cts_csv_scan reads back, through several window sizes
check_scan() {
	local what=$1 fmt=$2 kb=$3
	shift 3
	local f=$BUILD/gen_$fmt.csv gs ss
	"$gen" "$@" >"$f" 2>"$BUILD/gen.stats" -v
	gs=$(cat "$BUILD/gen.stats")
	if ! ss=$("$scan" -k "$kb" -f "$fmt" "$f" 2>&1); then
		notok "$what: cts_csv_scan failed: $ss"
		return
	fi
	# rows=R cells=C missing=M late=L bytes=B
	local rows cells miss late bytes
	rows=$(echo "$gs" | sed -n 's/.*rows=\([0-9]*\).*/\1/p')
	cells=$(echo "$gs" | sed -n 's/.*cells=\([0-9]*\).*/\1/p')
	miss=$(echo "$gs" | sed -n 's/.*missing=\([0-9]*\).*/\1/p')
	late=$(echo "$gs" | sed -n 's/.*late=\([0-9]*\).*/\1/p')
	bytes=$(echo "$gs" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
	local want="records=$rows values=$((cells - miss)) missing=$miss late=$late ts_fast=$rows ts_other=0 bad_values=0 errors=0 bytes=$bytes lines=$((rows + 1))"
	if [ "${ss% seconds=*}" = "$want" ]; then
		ok "$what: read back exactly ($rows rows, $miss missing, $late late, ${kb} KB windows)"
	else
		notok "$what: cts_csv_scan read other counts"
		echo "#   gen_csv:  $gs"
		echo "#   cts_csv_scan: $ss"
		echo "#   wanted:   $want"
	fi
}
check_scan "long format, 5% missing, 1% late" long 1024 -s 11 -n 50 -B 8M -m 0.05 -o 0.01
check_scan "long format, small windows" long 64 -s 12 -n 7 -p 3000 -m 0.2 -o 0.3
check_scan "wide format, 10% missing, 5% late" wide 1024 -w -s 13 -n 40 -p 5000 -m 0.1 -o 0.05
check_scan "wide format, one series, half the rows late" wide 64 -w -s 14 -n 1 -p 20000 -o 0.5
check_scan "long format, every row deferred (so none out of order)" long 64 -s 15 -n 3 -p 2000 -o 1

# speed notes: the generator alone (to /dev/null: a file would measure the
# disk), then the library through 1 MB pread windows on a cached file
start=$(date +%s.%N)
"$gen" -s 1 -n 100 -B 512M -v >/dev/null 2>"$BUILD/speed.stats"
end=$(date +%s.%N)
size=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' "$BUILD/speed.stats")
gen_mbs=$(awk -v s="$size" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", s / 1048576 / (b - a) }')
big=$BUILD/speed.csv
"$gen" -s 1 -n 100 -B 128M >"$big"
cat "$big" >/dev/null
tok_out=$("$scan_fast" -t -k 1024 -f long "$big")
scan_out=$("$scan_fast" -k 1024 -f long "$big")
rm -f "$big"
echo "# speed: gen_csv $gen_mbs MB/s; cts_csv_scan -O2, 1 MB windows: tokenizer alone ${tok_out##*mb_per_s=} MB/s, with the ISO time and value parsers ${scan_out##*mb_per_s=} MB/s"
if [ "$gen_mbs" -gt 20 ]; then
	ok "gen_csv: $gen_mbs MB/s (1 GB in $((1024 / gen_mbs + 1)) s)"
else
	notok "gen_csv: $gen_mbs MB/s, too slow for a 1 GB benchmark file"
fi

finish
