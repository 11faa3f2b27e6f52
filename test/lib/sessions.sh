# test/lib/sessions.sh
#	Long-lived psql sessions for the shell tests (test/*.sh) that need
#	several backends at once, on top of lib/db.sh: each session is a psql
#	reading commands from a fifo, so that its backend (its cache, its
#	memory) lives between the commands a test sends it.
#
#	Set before sourcing: WORK (a temporary directory) and DB (the database);
#	then "trap sessions_cleanup EXIT" (which also runs db_cleanup).
#	  start_session NAME     start session NAME (with jit = off: JIT would
#	                         map tens of MB of LLVM pages into the backend)
#	  ask NAME SQL           run SQL in NAME, wait until it is done, print its
#	                         output (stdout and stderr)
#	  submit NAME SQL        start SQL in NAME and return at once (not in a
#	                         $(...) subshell: it remembers where the output
#	                         starts); then
#	  collect NAME           wait until it is done, print its output
#	  finished NAME          true when what was submitted last is done
#	  send NAME SQL          feed SQL to NAME and return at once (its output,
#	                         stdout and stderr, goes to $WORK/NAME.out)
#
# IDENTIFICATION
#	test/lib/sessions.sh

declare -A FD PID_PSQL

# sessions_cleanup: close every session, wait for its psql, then db_cleanup
sessions_cleanup()
{
	local s
	for s in "${!FD[@]}"; do
		eval "exec ${FD[$s]}>&-" 2>/dev/null
	done
	for s in "${!PID_PSQL[@]}"; do
		wait "${PID_PSQL[$s]}" 2>/dev/null
	done
	db_cleanup
}

start_session()
{
	local name=$1 fd
	mkfifo "$WORK/$name.in"
	psql -X -q -At -d "$DB" <"$WORK/$name.in" >"$WORK/$name.out" 2>&1 &
	PID_PSQL[$name]=$!
	exec {fd}>"$WORK/$name.in"
	FD[$name]=$fd
	ask "$name" "SET jit = off;" >/dev/null
}

# send NAME SQL: feed SQL to session NAME, do not wait
send()
{
	printf '%s\n' "$2" >&"${FD[$1]}"
}

declare -A MARK FROM_LINE

# submit NAME SQL: send SQL to NAME, followed by an \echo of a marker that
# collect waits for
submit()
{
	local name=$1 sql=$2
	# unique without a counter: ask often runs in a $(...) subshell
	MARK[$name]="__done_$(date +%s%N)_${RANDOM}__"
	FROM_LINE[$name]=$(($(wc -l <"$WORK/$name.out") + 1))
	printf '%s\n\\echo %s\n' "$sql" "${MARK[$name]}" >&"${FD[$name]}"
}

# collect NAME: at most ASK_TIMEOUT seconds (default 300) for what was
# submitted last to NAME to finish; prints its output
collect()
{
	local name=$1 deadline=$((SECONDS + ${ASK_TIMEOUT:-300}))
	while ! finished "$name"; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "# session $name did not answer within ${ASK_TIMEOUT:-300} s" >&2
			return 1
		fi
		sleep 0.05
	done
	tail -n "+${FROM_LINE[$name]}" "$WORK/$name.out" | sed "/^${MARK[$name]}\$/,\$d"
}

finished()
{
	grep -qx "${MARK[$1]}" "$WORK/$1.out"
}

# ask NAME SQL: submit and collect
ask()
{
	submit "$1" "$2"
	collect "$1"
}
