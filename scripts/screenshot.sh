#!/usr/bin/env bash
# Opens the app under Xvfb on a database and saves a screenshot of the window.
# Usage: scripts/screenshot.sh DB OUT.png [xdotool actions...]
#   actions: "type:TEXT", "key:KEYS", "click:X,Y", "sleep:S"
# Needs: xvfb, x11-utils, xdotool, imagemagick.
set -euo pipefail
db=$1; out=$2; shift 2
bin=${VANTHU_BIN:-target/release/vanthu}
display=:${SCREEN_DISPLAY:-77}
# The previous shot's server may still be going away: wait for its socket to go.
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] || break; sleep 0.1; done
Xvfb "$display" -screen 0 1280x860x24 >/dev/null 2>&1 &
xvfb=$!
app=""
trap 'kill $app $xvfb 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do DISPLAY=$display xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
DISPLAY=$display ICED_BACKEND=tiny-skia "$bin" --db "$db" &
app=$!
wid=""
for _ in $(seq 1 100); do
  wid=$(DISPLAY=$display xwininfo -root -tree 2>/dev/null | awk '/Vanthu/ {print $1; exit}')
  [ -n "$wid" ] && break
  sleep 0.1
done
[ -n "$wid" ] || { echo "window not found" >&2; exit 1; }
sleep 1
for action in "$@"; do
  case $action in
    type:*) DISPLAY=$display xdotool windowfocus --sync "$wid" type --delay 20 "${action#type:}" ;;
    key:*) DISPLAY=$display xdotool windowfocus --sync "$wid" key ${action#key:} ;;
    click:*) xy=${action#click:}; DISPLAY=$display xdotool mousemove --window "$wid" ${xy%,*} ${xy#*,} click 1 ;;
    sleep:*) sleep "${action#sleep:}" ;;
  esac
  sleep 0.4
done
# No resize to force a full redraw: the window draws itself whole after every
# update (src/gui/app.rs, App::style), so what is saved is what a user sees.
sleep 0.7
DISPLAY=$display import -window "$wid" "$out"
echo "saved $out"
