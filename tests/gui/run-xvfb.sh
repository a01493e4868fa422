#!/bin/sh
# run-xvfb.sh - runs one command under its own Xvfb server, on a display
# number Xvfb picks itself (-displayfd), so parallel ctest runs never race
# for a display. Stops that server (by its pid) when the command ends.
# Exit status: the command's; 77 (skip) when Xvfb is missing.
set -u
command -v Xvfb >/dev/null 2>&1 || { echo "Xvfb not installed" >&2; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/hvecho-xvfb.XXXXXX") || exit 1
fifo="$dir/display"
mkfifo "$fifo" || exit 1
# HVECHO_XVFB_SCREEN: the screen's size (the screenshot cases want room
# for a wide window).
Xvfb -displayfd 3 -screen 0 "${HVECHO_XVFB_SCREEN:-1280x1024x24}" \
     -nolisten tcp -noreset \
     3>"$fifo" >"$dir/xvfb.log" 2>&1 &
xvfb=$!
# Read the display number Xvfb writes once it is ready (bounded wait).
display=$(timeout 20 head -n1 "$fifo")
if [ -z "$display" ]; then
  echo "Xvfb did not start:" >&2; cat "$dir/xvfb.log" >&2
  kill "$xvfb" 2>/dev/null; rm -rf "$dir"; exit 1
fi
DISPLAY=":$display" "$@"
rc=$?
kill "$xvfb" 2>/dev/null
wait "$xvfb" 2>/dev/null
rm -rf "$dir"
exit $rc
