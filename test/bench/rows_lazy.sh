# test/bench/rows_lazy.sh
#	The lazy-read rows of the benchmark (issue 11), sourced by run.sh
#	inside the cluster: they use its q, measure_pair, emit and fmt.  The
#	data is test/bench/sql/lazy.sql (loaded by lazy_load).
#
#	 9  the same query on a series of 1M points and on one of LONG_POINTS
#	    (50M in full mode) stored as one value: time and pages read
#	10  one hour: slice() vs the plain table's primary key
#	11  one day and one month: range_stats() vs a plain aggregate
#	12  buckets() of a month at one hour vs GROUP BY date_trunc('hour')
#	13  append 1,000 points to a 10M-point series vs re-aggregating it
#
# IDENTIFICATION
#	test/bench/rows_lazy.sh

# the ranges (inside both series; the 1M series ends on 2024-04-25)
LAZY_HOUR="tstzrange('2024-02-20 00:00+00', '2024-02-20 01:00+00')"
LAZY_DAY="tstzrange('2024-02-20 00:00+00', '2024-02-21 00:00+00')"
LAZY_MONTH="tstzrange('2024-02-01 00:00+00', '2024-03-01 00:00+00')"
LAZY_AT="'2024-02-20 12:00:00+00'"
# the plain table's WHERE for a range
lazy_where() { echo "series = 1 AND ts >= '$1' AND ts < '$2'"; }

lazy_load()
{
	log "building the lazy-read series (1M and $LONG_POINTS points, 10M for append)"
	q -v long_points="$LONG_POINTS" -v blocks="$LAZY_BLOCKS" -f "$BENCH/sql/lazy.sql" >/dev/null
}

# pages SQL: shared buffers SQL touches (hit + read), from EXPLAIN BUFFERS
pages()
{
	q -c "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF) $1" |
		awk '/Buffers:/ && !done {
				done = 1; n = 0
				if (match($0, /hit=[0-9]+/)) n += substr($0, RSTART + 4, RLENGTH - 4)
				if (match($0, /read=[0-9]+/)) n += substr($0, RSTART + 5, RLENGTH - 5)
			}
			END { print n + 0 }'
}

# 9. 1M vs LONG_POINTS: the time should not grow with the series
row_lazy_scale()
{
	local label expr long short ratio
	while IFS='|' read -r label expr; do
		SQL_A="SELECT $expr FROM lazy_series WHERE name = 'long'" \
		SQL_B="SELECT $expr FROM lazy_series WHERE name = '1M'" \
		INNER=20 measure_pair
		long=$(pages "SELECT $expr FROM lazy_series WHERE name = 'long'")
		short=$(pages "SELECT $expr FROM lazy_series WHERE name = '1M'")
		ratio=$(awk -v a="$MED_A" -v b="$MED_B" 'BEGIN { printf "%.2f", a / b }')
		emit 9 "lazy: $label, $LONG_POINTS vs 1,000,000 points" "$MED_A" "$MED_B" ms lower \
			"time ratio long/1M = $ratio (target <= 1.2); pages touched (EXPLAIN BUFFERS): $long vs $short ($(fmt "$(awk -v p="$long" 'BEGIN { print p * 8 }')") vs $(fmt "$(awk -v p="$short" 'BEGIN { print p * 8 }')") KB); the values are $(q -c "SELECT pg_size_pretty(pg_column_size(data)::bigint) FROM lazy_series WHERE name = 'long'") and $(q -c "SELECT pg_size_pretty(pg_column_size(data)::bigint) FROM lazy_series WHERE name = '1M'")"
	done <<-EOF
		length|length(data)
		time_range|time_range(data)
		one-hour slice|length(slice(data, $LAZY_HOUR))
		one-day sum_value|sum_value(data, $LAZY_DAY)
		value_at|value_at(data, $LAZY_AT)
	EOF
}

# the 1M series in default blocks, and in blocks of 1,024 points; rows 10
# and 11 run on each.  LAZY_BLOCKS="4096 2048 1024 256" (in the
# environment of run.sh) adds those layouts: the trade-off of block size
LAZY_BLOCKS=${LAZY_BLOCKS:-1024}
LAZY_LAYOUTS="1M $(for b in $LAZY_BLOCKS; do printf '1M/%s ' "$b"; done)"
lazy_layout_label() { if [ "$1" = 1M ]; then echo "default blocks (16,384 points)"; else echo "chronos.block_points = ${1#1M/}"; fi; }
lazy_size_note() { q -c "SELECT pg_size_pretty(pg_column_size(data)::bigint) || ', ' || round(pg_column_size(data)::numeric / length(data), 3) || ' B/pt' FROM lazy_series WHERE name = '$1'"; }

# server_ms SQL_A SQL_B: the server's own time for each (planning plus
#	execution, from EXPLAIN (ANALYZE, TIMING OFF)), median of 40 runs each,
#	alternated in one session, as "A B": what the two queries cost in the
#	server without the client's round trip, which in these sub-millisecond
#	rows is most of what measure_pair times on both sides
server_ms()
{
	local i
	for ((i = 0; i < 40; i++)); do
		echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $1;"
		echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $2;"
	done | q -f - | awk '
		/Planning Time:/ { p = $3 }
		/Execution Time:/ { n++; t = p + $3; if (n % 2) a[++na] = t; else b[++nb] = t }
		function med(x, k,   i, j, v) {
			for (i = 2; i <= k; i++) { v = x[i]; for (j = i - 1; j >= 1 && x[j] > v; j--) x[j + 1] = x[j]; x[j + 1] = v }
			return k % 2 ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2
		}
		END { printf "%.3f %.3f\n", med(a, na), med(b, nb) }'
}
server_note()
{
	local a b
	read -r a b <<<"$(server_ms "$1" "$2")"
	awk -v a="$a" -v b="$b" 'BEGIN { printf "in the server (planning + execution, EXPLAIN ANALYZE, median of 40): %.3f vs %.3f ms = %.2fx", a, b, b / a }'
}

# 10. One hour of one series: slice vs the primary key
row_lazy_slice()
{
	local name sa sb
	for name in $LAZY_LAYOUTS; do
		sa="SELECT count(u.ts), sum(u.value) FROM lazy_series s, unnest(slice(s.data, $LAZY_HOUR)) u WHERE s.name = '$name'"
		sb="SELECT count(ts), sum(value) FROM lazy_plain WHERE $(lazy_where '2024-02-20 00:00+00' '2024-02-20 01:00+00')"
		SQL_A=$sa SQL_B=$sb INNER=100 measure_pair
		emit 10 "lazy: 1 hour, unnest(slice()) vs PK index, $(lazy_layout_label "$name")" "$MED_A" "$MED_B" ms lower \
			"360 of 1,000,000 points; target >= 1x; $(server_note "$sa" "$sb"); chronos reads the header with the block index (one fetch) and the block the hour is in, decoding it up to the hour's last point; value $(lazy_size_note "$name"); plain: index range scan on (series, ts)"
	done
}

# 11. Aggregates over a day and a month
row_lazy_aggregate()
{
	local label from to r name sa sb inner
	for name in $LAZY_LAYOUTS; do
	for label in day month; do
		# INNER: statements of a fraction of a millisecond run 100 times a
		# repetition, so that a repetition lasts long enough to time
		if [ $label = day ]; then
			from='2024-02-20 00:00+00' to='2024-02-21 00:00+00' r=$LAZY_DAY inner=100
		else
			from='2024-02-01 00:00+00' to='2024-03-01 00:00+00' r=$LAZY_MONTH inner=10
		fi
		sa="SELECT st.points, st.sum, st.avg, st.min, st.max FROM lazy_series s, range_stats(s.data, $r) st WHERE s.name = '$name'"
		sb="SELECT count(*), sum(value), avg(value), min(value), max(value) FROM lazy_plain WHERE $(lazy_where "$from" "$to")"
		SQL_A=$sa SQL_B=$sb INNER=$inner measure_pair
		emit 11 "lazy: count/sum/avg/min/max of one $label, range_stats vs plain, $(lazy_layout_label "$name")" "$MED_A" "$MED_B" ms lower \
			"target >= 10x; $(server_note "$sa" "$sb"); $(q -c "SELECT st.points || ' points, ' || st.decoded_points || ' decoded (edge blocks), the rest from block summaries' FROM lazy_series s, range_stats(s.data, $r) st WHERE s.name = '$name'"); exact (decimal data)"
	done
	done
}

# 12. buckets of a month at one hour
row_lazy_buckets()
{
	SQL_A="SELECT count(*), sum(b.sum), max(b.max) FROM lazy_series s, buckets(slice(s.data, $LAZY_MONTH), '1 hour') b WHERE s.name = '1M'" \
	SQL_B="SELECT count(*), sum(sm), max(mx) FROM (SELECT date_trunc('hour', ts) AS h, sum(value) AS sm, max(value) AS mx FROM lazy_plain WHERE $(lazy_where '2024-02-01 00:00+00' '2024-03-01 00:00+00') GROUP BY 1) g" \
	INNER=5 measure_pair
	emit 12 "lazy: buckets of a month at 1 hour vs GROUP BY date_trunc" "$MED_A" "$MED_B" ms lower \
		"696 buckets of 360 points; target >= 10x; chronos decodes the month's blocks (a block spans 45 hours, more than a bucket)"
}

# 13. Append 1,000 points to a 10M-point series
row_lazy_append()
{
	SQL_A="UPDATE lazy_app_a a SET data = a.data || n.data FROM lazy_new n" \
	SQL_B="UPDATE lazy_app_b b SET data = (SELECT compact_ts_agg(u.ts, u.value) FROM (SELECT * FROM unnest(b.data) UNION ALL SELECT * FROM unnest(n.data)) u) FROM lazy_new n" \
	PREP_A="TRUNCATE lazy_app_a; INSERT INTO lazy_app_a SELECT * FROM lazy_app_0;" \
	PREP_B="TRUNCATE lazy_app_b; INSERT INTO lazy_app_b SELECT * FROM lazy_app_0;" \
	NOWARM=1 measure_pair
	emit 13 "lazy: append 1,000 points to 10M, || vs re-aggregate" "$MED_A" "$MED_B" ms lower \
		"UPDATE of one row (new TOAST value written both ways); || copies the blocks, re-aggregating decodes and encodes every point; $(q -c "SELECT pg_size_pretty(pg_column_size(data)::bigint) FROM lazy_app_a")"
}
