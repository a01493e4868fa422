#!/bin/sh
# make-icon.sh - draws hvecho.ico (16, 32, 48 px) with ImageMagick: two
# arrows, out and back, on a blue tile. Run from this directory; the
# result is committed, so the build does not need ImageMagick.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Drawn at 256 px and scaled down.
/usr/bin/convert -size 256x256 xc:none \
  -fill '#1f5fa8' -draw 'roundrectangle 8,8 248,248 40,40' \
  -stroke white -strokewidth 22 -fill none \
  -draw 'line 56,92 180,92' -draw 'polyline 150,56 196,92 150,128' \
  -stroke '#9fe0a0' \
  -draw 'line 200,168 76,168' -draw 'polyline 106,132 60,168 106,204' \
  "$tmp/big.png"
for s in 16 32 48; do
  /usr/bin/convert "$tmp/big.png" -resize ${s}x${s} "$tmp/$s.png"
done
/usr/bin/convert "$tmp/16.png" "$tmp/32.png" "$tmp/48.png" hvecho.ico
