#!/usr/bin/env bash
# 20-minute 720p H.264 "camera" recording from packaged real clips: opencv-doc's tree.avi (outdoor, no people),
# looped, interleaved with 30 s pieces of vtest.avi (pedestrians in every frame). 6 x (150 s tree + 30 s vtest) + 120 s tree.
# EMPTY=<video> takes another people-free clip instead of tree.avi (e.g. the held-out night city of
# model-tools/detector/training-sources.csv, which scripts/data/fetch-footage.sh brings).
set -euo pipefail
D=/usr/share/doc/opencv-doc/examples/data
EMPTY=${EMPTY:-$D/tree.avi}
ENC=(-c:v libx264 -preset veryfast -crf 23 -g 20 -keyint_min 20 -sc_threshold 0 -pix_fmt yuv420p -an)
VF="fps=10,scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1"
ffmpeg -nostdin -v error -y -stream_loop -1 -i "$EMPTY" -t 150 -vf "$VF" "${ENC[@]}" tree150.mp4
ffmpeg -nostdin -v error -y -stream_loop -1 -i "$EMPTY" -ss 2 -t 120 -vf "$VF" "${ENC[@]}" tree120.mp4
i=0; : > list.txt; : > people.csv
t=0
for off in 0 30 49 10 20 40; do
  ffmpeg -nostdin -v error -y -ss $off -i $D/vtest.avi -t 30 -vf "$VF" "${ENC[@]}" vtest$i.mp4
  echo "file 'tree150.mp4'" >> list.txt; t=$((t+150))
  echo "file 'vtest$i.mp4'" >> list.txt; echo "$t,$((t+30))" >> people.csv; t=$((t+30))
  i=$((i+1))
done
echo "file 'tree120.mp4'" >> list.txt
ffmpeg -nostdin -v error -y -f concat -safe 0 -i list.txt -c copy -movflags +faststart camera720.mp4
ffprobe -v error -show_entries format=duration,size -of csv=p=0 camera720.mp4
