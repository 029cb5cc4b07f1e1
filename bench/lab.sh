#!/usr/bin/env bash
# The practice lab at scale (make bench-lab): for each host count N (one
# ActiveGate in ten), rotate a lab of N in-process hosts twice:
#   1. rotplay alone: the lab in a process of its own, `rotplay run`
#      measured (wall, CPU, peak RSS; ROTPLAY_PROFILE's peak goroutines
#      and descriptors), the lab's verdict read from its API;
#   2. all in one process, as `rotplay lab --demo` does (wall, peak RSS).
# Needs GNU time (/usr/bin/time, Debian package time) and curl. Run from
# the repository root: bench/lab.sh BIN N...
set -euo pipefail
bin=${1:?usage: bench/lab.sh ROTPLAY_BINARY N...}
shift
[ -x /usr/bin/time ] || { echo "bench/lab.sh: /usr/bin/time is missing: apt-get install time" >&2; exit 1; }
printf '| hosts | lab set-up s | rotplay wall s | rotplay CPU s | rotplay peak RSS MB | goroutines | descriptors | verdict | lab --demo wall s | lab --demo peak RSS MB |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for n in "$@"; do
	ag=$((n / 10)) oa=$((n - n / 10))
	dir=$(mktemp -d /tmp/rotplay-benchlab.XXXXXX)
	sizes=(--activegates "$ag" --oneagents "$oa" --windows-activegates 0 --windows-oneagents 0)
	t0=$(date +%s.%N)
	"$bin" lab "${sizes[@]}" --dir "$dir/lab" >"$dir/lab.out" 2>&1 &
	lab=$!
	until grep -q "lab is up" "$dir/lab.out"; do
		kill -0 "$lab" 2>/dev/null || { cat "$dir/lab.out" >&2; exit 1; }
		sleep 0.2
	done
	setup=$(echo "$(date +%s.%N) - $t0" | bc)
	api=$(sed -n 's/.*Dynatrace API at //p' "$dir/lab.out" | head -n 1)
	rc=0
	ROTPLAY_PROFILE="$dir/prof" /usr/bin/time -f '%e %U %S %M' -o "$dir/run.time" \
		"$bin" run playbooks/rotation.yaml -i "$dir/lab/inventory.yaml" --state-dir "$dir/lab/state" \
		--no-progress >"$dir/run.out" 2>&1 || rc=$?
	verdict=$(curl -s "$api/lab/v1/verdict" | grep -o '"safe":[a-z]*' || echo '"safe":unknown')
	kill -INT "$lab"
	wait "$lab" || true
	[ "$rc" = 0 ] || { echo "bench/lab.sh: rotplay run failed (exit $rc), see $dir/run.out" >&2; tail -n 20 "$dir/run.out" >&2; exit 1; }
	read -r wall user sys rss <"$dir/run.time"
	gor=$(sed -n 's/peak goroutines //p' "$dir/prof/peaks.txt")
	fds=$(sed -n 's/peak open file descriptors //p' "$dir/prof/peaks.txt")
	/usr/bin/time -f '%e %M' -o "$dir/demo.time" "$bin" lab --demo "${sizes[@]}" --dir "$dir/demo" >"$dir/demo.out" 2>&1 ||
		{ echo "bench/lab.sh: lab --demo failed, see $dir/demo.out" >&2; exit 1; }
	grep -q "LAB VERDICT: SAFE" "$dir/demo.out" || { echo "bench/lab.sh: lab --demo was not safe, see $dir/demo.out" >&2; exit 1; }
	read -r dwall drss <"$dir/demo.time"
	printf '| %d | %.1f | %.1f | %.1f | %d | %s | %s | %s | %.1f | %d |\n' "$n" "$setup" "$wall" \
		"$(echo "$user + $sys" | bc)" $((rss / 1024)) "$gor" "$fds" "$verdict" "$dwall" $((drss / 1024))
	rm -rf "$dir"
done
