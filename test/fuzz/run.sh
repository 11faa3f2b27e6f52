#!/usr/bin/env bash
#
# test/fuzz/run.sh <seconds>
#	  Build the libFuzzer targets (clang -fsanitize=fuzzer,address,undefined)
#	  and run each for <seconds> (default 60) on its corpus.
#
# The committed corpus test/fuzz/corpus/fuzz_<entry>/ is read as a seed
# corpus; new interesting inputs go to a scratch directory under test/build/
# so the committed one does not grow.  Crashers, leaks, timeouts and OOMs are
# written into the committed corpus directory (crash-*, leak-*, timeout-*,
# oom-*): commit them, and `make unittest` replays them until they are fixed.
#
#	  FUZZ_TARGETS	targets to run (default: every test/fuzz/fuzz_*.c)
#	  CTS_FUZZ_LAX=1	relax the oracle around known, reported issues (see
#					test/fuzz/fuzz_common.h)
#	  FUZZ_JOBS		parallel workers per target (default 1)
#
# Exit status: 0 only if every target built, ran and found nothing.
#
# Copyright (c) 2026, chronos developers
#
# IDENTIFICATION
#	  test/fuzz/run.sh
#

set -u

SECONDS_PER_TARGET=${1:-60}
cd "$(dirname "$0")/../.." || exit 2
BUILD=test/build/fuzz
mkdir -p "$BUILD"

if ! command -v clang >/dev/null 2>&1; then
	echo "not ok - clang not found: libFuzzer needs clang (apt-get install clang)"
	exit 1
fi

CFLAGS="-std=c99 -g -O1 -Wall -Wextra -Werror -ffp-contract=off \
-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
-Isrc/codec -Itest/codec -Itest/fuzz"
CODEC_SRCS=$(ls src/codec/*.c | sort)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

targets=${FUZZ_TARGETS:-$(ls test/fuzz/fuzz_*.c | xargs -n1 basename | sed 's/\.c$//')}
status=0
for t in $targets; do
	corpus=test/fuzz/corpus/$t
	scratch=$BUILD/new_$t
	mkdir -p "$corpus" "$scratch"
	if ! clang $CFLAGS "test/fuzz/$t.c" $CODEC_SRCS -lm -o "$BUILD/$t" >"$BUILD/$t.build.log" 2>&1; then
		echo "not ok - $t: build failed (libFuzzer runtime missing?)"
		sed 's/^/#   /' "$BUILD/$t.build.log"
		status=1
		continue
	fi
	before=$(ls "$corpus" | grep -cE '^(crash|leak|timeout|oom)-' || true)
	echo "# $t: fuzzing for $SECONDS_PER_TARGET s (corpus $corpus)"
	"$BUILD/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=4096 \
		-max_len=65536 -print_final_stats=1 -jobs="${FUZZ_JOBS:-1}" -workers="${FUZZ_JOBS:-1}" \
		-artifact_prefix="$corpus/" "$scratch" "$corpus" >"$BUILD/$t.log" 2>&1
	rc=$?
	after=$(ls "$corpus" | grep -cE '^(crash|leak|timeout|oom)-' || true)
	grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE|ORACLE FAILURE|ERROR: |SUMMARY: ' "$BUILD/$t.log" | sed 's/^/#   /'
	if [ $rc -ne 0 ] || [ "$after" -gt "$before" ]; then
		echo "not ok - $t: exit status $rc, $((after - before)) new artifact(s) in $corpus (log: $BUILD/$t.log)"
		ls -t "$corpus" | grep -E '^(crash|leak|timeout|oom)-' | head -n $((after - before)) | sed "s|^|#   new: $corpus/|"
		status=1
	else
		echo "ok - $t: no crash in $SECONDS_PER_TARGET s"
	fi
done
exit $status
