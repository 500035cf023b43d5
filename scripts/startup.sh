#!/usr/bin/env bash
# Measures time to first frame and peak memory of the window on the demo database,
# under Xvfb with the tiny-skia renderer. Runs RUNS times (default 5), prints each
# run and the median.
# Usage: scripts/startup.sh [RUNS]      (VANTHU_BIN: the binary, default target/release/vanthu)
# Needs: xvfb, GNU time.
set -euo pipefail
runs=${1:-5}
bin=${VANTHU_BIN:-target/release/vanthu}
display=:${SCREEN_DISPLAY:-78}
work=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" --db "$work/demo.db" demo >/dev/null
Xvfb "$display" -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 1 50); do DISPLAY=$display xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
times=(); mems=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  DISPLAY=$display ICED_BACKEND=tiny-skia VANTHU_STARTUP_PROBE=1 /usr/bin/time -v "$bin" --db "$work/demo.db" \
    >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  frame=$(awk '/vanthu-first-frame-epoch-ns/ {print $2}' "$work/out")
  [ -n "$frame" ] || { echo "no first frame reported" >&2; cat "$work/err" >&2; exit 1; }
  ms=$(( (frame - start) / 1000000 ))
  kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$work/err")
  mb=$(( kb / 1024 ))
  echo "run $i: first frame ${ms} ms, peak memory ${mb} MB"
  times+=("$ms"); mems+=("$mb")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: first frame $(median "${times[@]}") ms (target < 400), peak memory $(median "${mems[@]}") MB (target < 150)"
