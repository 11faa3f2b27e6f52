# Makefile for chronos (PGXS)
#
#   make                  build the extension        make install   install it
#   make test             everything: deps, build, install, codec unit tests,
#                         pg_regress and shell tests in a throwaway cluster;
#                         ends with "N passed, N failed"
#   make demo             deps, build, install, load the sample data into a
#                         throwaway cluster and show what chronos does with it
#   make bench            the benchmark (BENCH_MODE=quick|full)
#   make unittest         codec unit tests + fuzz corpus replay, no server
#   make fuzz             libFuzzer targets (clang), FUZZ_SECONDS=60
#   make installcheck     pg_regress against a running server
#                         (pg_virtualenv make installcheck as root)

EXTENSION = chronos
EXTVERSION = 1.0
MODULE_big = chronos

OBJS = \
	src/chronos.o \
	src/compact_ts_io.o \
	src/compact_ts_build.o \
	src/compact_ts_op.o \
	src/memory.o \
	src/codec/common.o \
	src/codec/encode.o \
	src/codec/decode.o \
	src/codec/quant.o \
	src/codec/gorilla.o

DATA = chronos--1.0.sql

REGRESS = \
	compact_ts_io \
	compact_ts_build \
	compact_ts_op \
	copy \
	parallel \
	memory
REGRESS_OPTS = --load-extension=chronos

# -ffp-contract=off: quantization must round the same on every platform
# (an FMA would change the decoded bits and the text round trip).
OPTFLAGS ?=
PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-ffp-contract=off $(OPTFLAGS)

# PGXS builds LLVM bitcode for JIT inlining without PG_CFLAGS; the
# quantizer must not be contracted there either.
override BITCODE_CFLAGS += -ffp-contract=off

EXTRA_CLEAN = test/build results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# No PGXS yet (fresh machine): only the targets that install it work.
all install installcheck:
	@echo "PGXS not found: run 'make test' or 'make demo' (they install postgresql-server-dev-15), or tools/install-deps.sh" >&2; exit 1
endif

# ---- project targets (work without PGXS; they install what is missing) ----

CODEC_SRCS = src/codec/common.c src/codec/encode.c src/codec/decode.c src/codec/quant.c \
	src/codec/gorilla.c
TEST_CC ?= $(if $(shell command -v clang 2>/dev/null),clang,gcc)
TEST_CFLAGS = -std=c99 -g -O1 -Wall -Wextra -Werror -ffp-contract=off \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Isrc/codec

.PHONY: test demo bench deps unittest fuzz

deps:
	bash tools/install-deps.sh

test:
	bash test/run_tests.sh

demo:
	bash demo/demo.sh

bench:
	bash test/bench/run.sh $(BENCH_MODE)

unittest:
	bash test/codec/run.sh

FUZZ_SECONDS ?= 60
fuzz:
	bash test/fuzz/run.sh $(FUZZ_SECONDS)
