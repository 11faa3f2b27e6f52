# test/lib/tap.sh
#	TAP-style reporting shared by the shell tests (test/*.sh): "ok N - ..."
#	and "not ok N - ..." lines, which test/run_tests.sh counts.  Source it,
#	then call ok / not_ok; $n counts checks and $failed the failures.
#
# IDENTIFICATION
#	test/lib/tap.sh

n=${n:-0}
failed=${failed:-0}

ok()
{
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok()
{
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}
