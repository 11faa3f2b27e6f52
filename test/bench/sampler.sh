#!/bin/bash
#
# test/bench/sampler.sh PID OUTFILE STOPFILE
#	Samples RssAnon (private, anonymous memory) of process PID every 20 ms
#	and writes the largest value seen, in kB, to OUTFILE when STOPFILE
#	appears or PID exits.  run.sh starts it from a psql session (\!) to
#	watch that session's backend: /proc has a peak for the whole RSS
#	(VmHWM), which counts the shared buffers the backend touched, but none
#	for its private memory alone.  Pure bash in the loop, so sampling costs
#	little more than the sleep.
#
# IDENTIFICATION
#	test/bench/sampler.sh

pid=$1
out=$2
stop=$3
max=0
while [ ! -e "$stop" ]; do
	found=0
	while read -r key value _; do
		if [ "$key" = "RssAnon:" ]; then
			found=1
			[ "$value" -gt "$max" ] && max=$value
			break
		fi
	done <"/proc/$pid/status" 2>/dev/null
	[ $found = 1 ] || break
	sleep 0.02
done
echo "$max" >"$out.tmp" && mv "$out.tmp" "$out"
