# test/bench/rows_stream.sh
#	The streaming rows of the benchmark (issue 10), sourced by run.sh inside
#	the cluster: they use its q, measure_pair, measure_mem, emit, WORK, BUILD
#	and REPS.  Their data (stream_load, on first use) is one CSV file
#	written by the seeded generator (test/csv/gen_csv.c, through
#	test/lib/gen_csv.sh): long format "series,ts,value", 1,000 series
#	interleaved a row each per 10 s step, random walks with two decimals,
#	0.1% of the rows late by one step; STREAM_MB MB (quick: 200, full:
#	1024; BENCH_STREAM_MB overrides).  No missing cells, so that COPY into
#	float8 reads every line too.
#
#	17  chronos_import_csv into a segments table against COPY of the same
#	    file into a plain (series text, ts timestamptz, value float8)
#	    table: MB/s and rows/s; the backend's VmHWM of each at
#	    chronos.max_memory_mb = 32; temporary-file bytes each wrote
#	    (pg_stat_database.temp_bytes before and after)
#	18  the same import with chronos.stream_method = 'mmap' against
#	    'pread' (the reference column)
#	19  chronos_read_csv (in the select list, where it streams) against
#	    file_fdw on the same file: rows/s of a query that uses every column
#	    (file_fdw converts only the columns a query uses)
#
#	The file is read from the page cache: it has just been written, and
#	every timed statement reads it whole.
#
# IDENTIFICATION
#	test/bench/rows_stream.sh

if [ "$MODE" = full ]; then
	STREAM_MB=${BENCH_STREAM_MB:-1024}
else
	STREAM_MB=${BENCH_STREAM_MB:-200}
fi

. "$ROOT/test/lib/gen_csv.sh"

# stream_load: the file and the tables, once per run (each row runs in a
# subshell: the file's counts are kept next to it).  The names are set
# here, not when run.sh sources this file: WORK exists only inside the
# cluster.
stream_load()
{
	STREAM_FILE=$WORK/stream.csv
	STREAM_IMPORT="INSERT INTO stream_segs SELECT * FROM chronos_import_csv('$STREAM_FILE', key_column => 'series')"
	STREAM_IMPORT_SELECT="INSERT INTO stream_segs SELECT (r).* FROM (SELECT chronos_import_csv('$STREAM_FILE', key_column => 'series') AS r) x"
	STREAM_COPY="COPY stream_plain FROM '$STREAM_FILE' WITH (FORMAT csv, HEADER)"
	if [ ! -f "$STREAM_FILE.counts" ]; then
		log "generating a ${STREAM_MB} MB CSV file (seeded)"
		build_gen_csv "$BUILD" >&2
		gen_csv_file "$BUILD" "$STREAM_FILE" -s 10 -n 1000 -B "${STREAM_MB}M" -o 0.001
		echo "$GEN_ROWS $GEN_BYTES" >"$STREAM_FILE.counts"
		q <<-EOF >/dev/null
			CREATE TABLE stream_segs (series text, segment compact_ts);
			CREATE TABLE stream_plain (series text, ts timestamptz, value float8);
		EOF
	fi
	read -r STREAM_ROWS STREAM_BYTES <"$STREAM_FILE.counts"
}

# per_s MS AMOUNT: AMOUNT per second in MS milliseconds
per_s()
{
	awk -v ms="$1" -v a="$2" 'BEGIN { if (ms + 0 > 0) printf "%.6g\n", a / ms * 1000; else print "-" }'
}

# temp_bytes_of SQL: bytes of temporary files SQL writes, from the
# database's statistics
temp_bytes_of()
{
	local sql=$1 before after
	before=$(q -c "SELECT pg_stat_force_next_flush()" -c "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()" | tail -n 1)
	q -c "SET chronos.max_memory_mb = 32" -c "$sql" >/dev/null 2>&1
	q -c "SELECT pg_stat_force_next_flush()" >/dev/null
	sleep 0.6
	after=$(q -c "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()")
	echo $((after - before))
}

# 17. The import against COPY: throughput, memory, temporary files
row_stream_import()
{
	local mb note hwm_a shm_a anon_a tmp_a tmp_b
	stream_load
	mb=$(awk -v b="$STREAM_BYTES" 'BEGIN { printf "%.0f", b / 1048576 }')
	SETUP="SET chronos.max_memory_mb = 32; SET max_parallel_workers_per_gather = 0;" \
	PREP_A="TRUNCATE stream_segs;" PREP_B="TRUNCATE stream_plain;" NOWARM=1 \
	SQL_A=$STREAM_IMPORT SQL_B=$STREAM_COPY measure_pair
	note="$mb MB, $STREAM_ROWS rows, 1000 series; chronos.max_memory_mb = 32, stream_method = pread; segments $(q -c "SELECT pg_size_pretty(sum(pg_column_size(segment))) FROM stream_segs") vs plain table $(q -c "SELECT pg_size_pretty(pg_table_size('stream_plain'))")"
	emit 17 "import: INSERT ... chronos_import_csv vs COPY, MB/s" \
		"$(per_s "$MED_A" "$mb")" "$(per_s "$MED_B" "$mb")" "MB/s" higher "$note"
	emit 17 "import: INSERT ... chronos_import_csv vs COPY, rows/s" \
		"$(per_s "$MED_A" "$STREAM_ROWS")" "$(per_s "$MED_B" "$STREAM_ROWS")" "rows/s" higher \
		"median of $REPS runs each: $(printf '%.0f' "$MED_A") ms vs $(printf '%.0f' "$MED_B") ms"

	measure_mem "$STREAM_IMPORT" "SET chronos.max_memory_mb = 32; TRUNCATE stream_segs;"
	hwm_a=$MEM_HWM shm_a=$MEM_SHM anon_a=$MEM_ANON
	measure_mem "$STREAM_COPY" "TRUNCATE stream_plain;"
	emit 17 "import: peak backend memory (VmHWM), import vs COPY" "$hwm_a" "$MEM_HWM" MB lower \
		"chronos.max_memory_mb = 32 (goal: VmHWM <= 64 MB); a fresh session each; VmHWM counts the shared buffers the backend touched: RssShmem $shm_a vs $MEM_SHM MB (INSERT writes its TOAST pages through shared buffers, COPY through a 16 MB ring)"
	emit 17 "import: peak private memory (RssAnon), import vs COPY" "$anon_a" "$MEM_ANON" MB lower \
		"the same runs: largest RssAnon sampled every 20 ms"
	measure_mem "$STREAM_IMPORT_SELECT" "SET chronos.max_memory_mb = 32; TRUNCATE stream_segs;"
	emit 17 "import in the select list: VmHWM, RssAnon" "$MEM_HWM" "$MEM_ANON" MB none \
		"INSERT ... SELECT (r).* FROM (SELECT chronos_import_csv(...) r): nothing materialized; RssShmem $MEM_SHM MB"

	q -c "TRUNCATE stream_segs" -c "TRUNCATE stream_plain" >/dev/null
	tmp_a=$(temp_bytes_of "$STREAM_IMPORT")
	tmp_b=$(temp_bytes_of "$STREAM_COPY")
	emit 17 "import: temporary-file bytes written, import vs COPY" "$tmp_a" "$tmp_b" bytes none \
		"pg_stat_database.temp_bytes delta; the import in FROM materializes its segments past work_mem (DESIGN.md fact 1); in the select list: $(temp_bytes_of "$STREAM_IMPORT_SELECT") bytes"
}

# 18. mmap windows against pread
row_stream_method()
{
	stream_load
	SETUP="SET chronos.max_memory_mb = 32; SET max_parallel_workers_per_gather = 0;" \
	PREP_A="TRUNCATE stream_segs; SET chronos.stream_method = 'mmap';" \
	PREP_B="TRUNCATE stream_segs; SET chronos.stream_method = 'pread';" NOWARM=1 \
	SQL_A=$STREAM_IMPORT SQL_B=$STREAM_IMPORT measure_pair
	emit 18 "import: stream_method mmap vs pread" "$MED_A" "$MED_B" ms lower \
		"reference column: pread (the default); chronos.stream_window_kb = $(q -c "LOAD 'chronos'" -c "SHOW chronos.stream_window_kb"), file in the page cache"
}

# 19. Rows: chronos_read_csv against file_fdw
row_stream_read()
{
	stream_load
	if ! q -c "CREATE EXTENSION IF NOT EXISTS file_fdw" >/dev/null 2>&1; then
		emit 19 "read: chronos_read_csv vs file_fdw" - - rows/s none "file_fdw is not installed"
		return 0
	fi
	q <<-EOF >/dev/null
		CREATE SERVER IF NOT EXISTS stream_files FOREIGN DATA WRAPPER file_fdw;
		DROP FOREIGN TABLE IF EXISTS stream_fdw;
		CREATE FOREIGN TABLE stream_fdw (series text, ts timestamptz, value float8)
			SERVER stream_files OPTIONS (filename '$STREAM_FILE', format 'csv', header 'true');
	EOF
	SETUP="SET chronos.max_memory_mb = 32; SET max_parallel_workers_per_gather = 0;" NOWARM=1 \
	SQL_A="SELECT count(*), sum((r).value), max((r).ts), max(length((r).series)) FROM (SELECT chronos_read_csv('$STREAM_FILE', key_column => 'series') AS r) x" \
	SQL_B="SELECT count(*), sum(value), max(ts), max(length(series)) FROM stream_fdw" measure_pair
	emit 19 "read: chronos_read_csv vs file_fdw, rows/s" \
		"$(per_s "$MED_A" "$STREAM_ROWS")" "$(per_s "$MED_B" "$STREAM_ROWS")" "rows/s" higher \
		"$STREAM_ROWS rows; both queries use every column; chronos_read_csv in the select list (streams); $(printf '%.0f' "$MED_A") ms vs $(printf '%.0f' "$MED_B") ms"
}
