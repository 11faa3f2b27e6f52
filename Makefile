# Makefile for chronos (PGXS)
#
#   make                  build the extension        make install   install it
#                         (PG_CONFIG=/path/to/pg_config for another server)
#   make test             everything on PostgreSQL 15: deps, build, install,
#                         codec unit tests, pg_regress (with an assertion
#                         build) and shell tests in a throwaway cluster;
#                         ends with "N passed, N failed"
#   make test-matrix      the same suites on other PostgreSQL versions, each
#                         built once from Debian's sources into
#                         /var/cache/chronos (PG_VERSIONS="15 18")
#   make demo             deps, build, install, load the sample data into a
#                         throwaway cluster and show what chronos does with it
#   make bench            the benchmark (BENCH_MODE=quick|full)
#   make unittest         codec unit tests + fuzz corpus replay, no server
#   make fuzz             libFuzzer targets (clang), FUZZ_SECONDS=60
#   make installcheck     pg_regress against a running server
#                         (pg_virtualenv -t make installcheck as root;
#                         -t: a private cluster, so runs may overlap)
#   make dist             chronos-$(EXTVERSION).0.zip from git (DIST_REV=HEAD)

EXTENSION = chronos
EXTVERSION = 1.1
MODULE_big = chronos

# The codec is a library of its own: every file in src/codec is part of it.
CODEC_SRCS = $(sort $(wildcard src/codec/*.c))

OBJS = \
	src/chronos.o \
	src/compact_ts.o \
	src/compact_ts_io.o \
	src/compact_ts_build.o \
	src/compact_ts_op.o \
	src/compact_ts_cmp.o \
	src/compact_ts_lazy.o \
	src/compact_ts_range.o \
	src/compact_ts_scan.o \
	src/memory.o \
	src/cache.o \
	src/stream.o \
	src/csv/csv.o \
	src/csv/csv_number.o \
	src/csv/csv_time.o \
	$(patsubst %.c,%.o,$(CODEC_SRCS))

# Every install and upgrade script, released ones included: a released
# script is never edited.
DATA = \
	chronos--1.0.sql \
	chronos--1.0--1.1.sql \
	chronos--1.1.sql

REGRESS = \
	compact_ts_io \
	compact_ts_build \
	codec \
	compact_ts_op \
	compact_ts_cmp \
	compact_ts_range \
	unnest_scan \
	soft_errors \
	copy \
	parallel \
	memory \
	stream \
	cache
REGRESS_OPTS = --load-extension=chronos

# -ffp-contract=off: quantization must round the same on every platform
# (an FMA would change the decoded bits and the text round trip).
# override: a PG_CFLAGS given on the command line (make
# PG_CFLAGS=-DUSE_ASSERT_CHECKING) is added to, never replaces, these.
OPTFLAGS ?=
override PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-ffp-contract=off $(OPTFLAGS)
override PG_CPPFLAGS += -DCHRONOS_VERSION='"$(EXTVERSION)"'

# PGXS builds LLVM bitcode for JIT inlining without PG_CFLAGS; the
# quantizer must not be contracted there either.
override BITCODE_CFLAGS += -ffp-contract=off

EXTRA_CLEAN = test/build results regression.diffs regression.out \
	$(EXTENSION)-*.zip

# The control file's default_version is EXTVERSION, and DATA has the install
# script of that version and every script in the tree.
CONTROL_VERSION := $(shell sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" $(EXTENSION).control)
ifneq ($(CONTROL_VERSION),$(EXTVERSION))
$(error $(EXTENSION).control says default_version = '$(CONTROL_VERSION)' but the Makefile says EXTVERSION = $(EXTVERSION): make them equal)
endif
ifeq ($(filter $(EXTENSION)--$(EXTVERSION).sql,$(DATA)),)
$(error DATA does not list $(EXTENSION)--$(EXTVERSION).sql, the install script of EXTVERSION = $(EXTVERSION))
endif
ifneq ($(filter-out $(DATA),$(wildcard $(EXTENSION)--*.sql)),)
$(error DATA does not list $(filter-out $(DATA),$(wildcard $(EXTENSION)--*.sql)): every install and upgrade script must be installed)
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# No PGXS yet (fresh machine): only the targets that install it work.
all install installcheck:
	@echo "PGXS not found: run 'make test' or 'make demo' (they install postgresql-server-dev-15), or tools/install-deps.sh" >&2; exit 1
endif

# PGXS does not track header dependencies: every object depends on every
# header, so that changing a struct never links stale objects.
$(OBJS) $(OBJS:.o=.bc): $(wildcard src/*.h src/codec/*.h src/csv/*.h)

# ---- project targets (work without PGXS; they install what is missing) ----

TEST_CC ?= $(if $(shell command -v clang 2>/dev/null),clang,gcc)
TEST_CFLAGS = -std=c99 -g -O1 -Wall -Wextra -Werror -ffp-contract=off \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Isrc/codec

.PHONY: test test-matrix demo bench deps unittest fuzz dist

deps:
	bash tools/install-deps.sh

test:
	bash test/run_tests.sh

PG_VERSIONS ?= 15 18
test-matrix:
	bash test/run_tests.sh --matrix $(PG_VERSIONS)

demo:
	bash demo/demo.sh

bench:
	bash test/bench/run.sh $(BENCH_MODE)

# the codec's and the CSV library's (src/csv) tests; both run even if one fails
unittest:
	bash test/codec/run.sh; rc=$$?; bash test/csv/run.sh || rc=1; exit $$rc

FUZZ_SECONDS ?= 60
fuzz:
	bash test/fuzz/run.sh $(FUZZ_SECONDS)

# The release archive, like pgvector's: what git holds at DIST_REV (a
# commit or a tree), under chronos-1.1.0/.
DIST_REV ?= HEAD
DIST_NAME = $(EXTENSION)-$(EXTVERSION).0
dist:
	git archive --format=zip --prefix=$(DIST_NAME)/ --output=$(DIST_NAME).zip $(DIST_REV)
	@echo "$(DIST_NAME).zip"
