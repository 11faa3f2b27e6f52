#!/usr/bin/env bash
#
# test/codec/run.sh
#	  Build and run the codec unit tests and the fuzz corpus replay, with
#	  AddressSanitizer and UndefinedBehaviorSanitizer, no server needed.
#
# Each test/codec/test_<module>.c is compiled together with the codec
# sources into test/build/, then run; it prints TAP-like lines.  Then each
# fuzz target (test/fuzz/fuzz_<entry>.c) is linked with the replay driver
# (test/fuzz/replay.c) and run over its corpus, test/fuzz/corpus/fuzz_<entry>/.
#
# A missing compiler or sanitizer runtime is a failure ("not ok"), never a
# skip.  Exit status: 0 only if everything built and passed.
#
#	  TEST_CC		compiler (default clang, else gcc)
#	  TEST_ONLY		run only the unit test of this module (e.g. decode)
#
# Copyright (c) 2026, chronos developers
#
# IDENTIFICATION
#	  test/codec/run.sh
#

set -u

cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
BUILD=$ROOT/test/build
mkdir -p "$BUILD"

if [ -z "${TEST_CC:-}" ]; then
	if command -v clang >/dev/null 2>&1; then
		TEST_CC=clang
	else
		TEST_CC=gcc
	fi
fi

CFLAGS="-std=c99 -g -O1 -Wall -Wextra -Werror -ffp-contract=off \
-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
-Isrc/codec -Itest/codec"
LIBS="-lm"
# report every sanitizer finding with a stack and a non-zero exit
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

passed=0
failed=0
n=0

ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

finish() {
	echo "1..$n"
	echo "# codec unit tests and corpus replay: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

# ---- toolchain ------------------------------------------------------------

if ! command -v "$TEST_CC" >/dev/null 2>&1; then
	notok "toolchain: compiler '$TEST_CC' not found (install clang or gcc, or set TEST_CC)"
	finish
fi
probe=$BUILD/probe
printf '#include <stdlib.h>\nint main(void){char *p = malloc(8); p[0] = 0; int r = p[0]; free(p); return r;}\n' > "$probe.c"
if ! $TEST_CC $CFLAGS "$probe.c" -o "$probe" >"$probe.log" 2>&1; then
	notok "toolchain: $TEST_CC cannot build with -fsanitize=address,undefined (sanitizer runtime missing?)"
	sed 's/^/#   /' "$probe.log"
	finish
fi
if ! "$probe" >"$probe.log" 2>&1; then
	notok "toolchain: a sanitized program does not run"
	sed 's/^/#   /' "$probe.log"
	finish
fi
ok "toolchain: $TEST_CC $($TEST_CC -dumpversion 2>/dev/null) with ASan+UBSan"

# ---- codec sources ---------------------------------------------------------

CODEC_SRCS=$(ls src/codec/*.c 2>/dev/null | sort)
missing=""
for m in common encode decode quant; do
	[ -f "src/codec/$m.c" ] || missing="$missing src/codec/$m.c"
done
if [ -n "$missing" ]; then
	notok "codec sources missing:$missing"
	finish
fi

# ---- unit tests ------------------------------------------------------------

for t in test/codec/test_*.c; do
	name=$(basename "$t" .c)
	if [ -n "${TEST_ONLY:-}" ] && [ "$name" != "test_${TEST_ONLY}" ]; then
		continue
	fi
	echo "# --- $name"
	if ! $TEST_CC $CFLAGS "$t" $CODEC_SRCS $LIBS -o "$BUILD/$name" >"$BUILD/$name.build.log" 2>&1; then
		notok "$name: build failed"
		sed 's/^/#   /' "$BUILD/$name.build.log"
		continue
	fi
	"$BUILD/$name" >"$BUILD/$name.log" 2>&1
	rc=$?
	# show the test's own lines, indented so they don't count as ours
	sed 's/^/    /' "$BUILD/$name.log"
	if [ $rc -eq 0 ] && grep -q '^1\.\.' "$BUILD/$name.log" && ! grep -q '^not ok' "$BUILD/$name.log"; then
		ok "$name ($(grep -c '^ok' "$BUILD/$name.log") tests, $(sed -n 's/.*; \([0-9]*\) checks.*/\1/p' "$BUILD/$name.log") checks)"
	else
		notok "$name (exit status $rc; see the lines above, or a sanitizer report)"
	fi
done

# ---- fuzz corpus replay ------------------------------------------------------

if [ -z "${TEST_ONLY:-}" ]; then
	for f in test/fuzz/fuzz_*.c; do
		[ -f "$f" ] || continue
		name=$(basename "$f" .c)
		corpus=test/fuzz/corpus/$name
		echo "# --- replay $name"
		if ! $TEST_CC $CFLAGS -Itest/fuzz "$f" test/fuzz/replay.c $CODEC_SRCS $LIBS \
			-o "$BUILD/replay_$name" >"$BUILD/replay_$name.build.log" 2>&1; then
			notok "replay $name: build failed"
			sed 's/^/#   /' "$BUILD/replay_$name.build.log"
			continue
		fi
		if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus" 2>/dev/null)" ]; then
			notok "replay $name: corpus $corpus missing or empty"
			continue
		fi
		if "$BUILD/replay_$name" "$corpus" >"$BUILD/replay_$name.log" 2>&1; then
			ok "replay $name: $(tail -n 1 "$BUILD/replay_$name.log")"
		else
			tail -n 40 "$BUILD/replay_$name.log" | sed 's/^/#   /'
			notok "replay $name: failed on $(grep -o 'running .*' "$BUILD/replay_$name.log" | tail -n 1)"
		fi
	done
fi

finish
