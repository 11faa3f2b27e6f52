# test/lib/gen_csv.sh
#	The seeded CSV generator (test/csv/gen_csv.c) for the streaming tests
#	and benchmarks (test/stream_*.sh, test/bench/rows_stream.sh).
#
#	  build_gen_csv DIR      compile it into DIR/gen_csv (again only when
#	                         the source is newer); prints the compiler's
#	                         messages and fails when it does not compile
#	  gen_csv_file DIR FILE ARGS...
#	                         write FILE with DIR/gen_csv ARGS... -v, readable
#	                         by the server; sets GEN_ROWS, GEN_CELLS,
#	                         GEN_MISSING, GEN_LATE and GEN_BYTES from its
#	                         counts
#
# IDENTIFICATION
#	test/lib/gen_csv.sh

GEN_CSV_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/csv/gen_csv.c

build_gen_csv()
{
	local dir=$1
	mkdir -p "$dir" || return 1
	if [ -x "$dir/gen_csv" ] && [ "$dir/gen_csv" -nt "$GEN_CSV_SRC" ]; then
		return 0
	fi
	cc -std=c99 -O2 -o "$dir/gen_csv" "$GEN_CSV_SRC" -lm
}

gen_csv_file()
{
	local dir=$1 file=$2 stats
	shift 2
	stats=$("$dir/gen_csv" "$@" -v 2>&1 >"$file") || return 1
	chmod 644 "$file"
	# rows=R cells=C missing=M late=L bytes=B
	read -r GEN_ROWS GEN_CELLS GEN_MISSING GEN_LATE GEN_BYTES < <(sed -E \
		's/rows=([0-9]+) cells=([0-9]+) missing=([0-9]+) late=([0-9]+) bytes=([0-9]+).*/\1 \2 \3 \4 \5/' <<<"$stats")
	[ -n "${GEN_BYTES:-}" ]
}
