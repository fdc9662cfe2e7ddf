#!/usr/bin/env bash
# CPU seconds per wall second of one ffmpeg camera process on a live-paced (-re) 720p H.264 input, 60 s.
cd "${1:-.}"
measure() {  # name, ffmpeg args...
  local name=$1; shift
  rm -rf seg-$name; mkdir seg-$name
  ffmpeg -nostdin -hide_banner -loglevel error -re "$@" > /dev/null 2>seg-$name/err &
  local pid=$!
  sleep 60
  local tck=$(getconf CLK_TCK)
  read -r ut st < <(awk '{print $14, $15}' /proc/$pid/stat)
  kill -INT $pid; wait $pid 2>/dev/null
  echo "$name: $(awk -v u=$ut -v s=$st -v t=$tck 'BEGIN{printf "%.2f s CPU in 60 s wall = %.2f %% of one core", (u+s)/t, 100*(u+s)/t/60}')"
}
SEG=(-map 0:v:0 -c copy -avoid_negative_ts disabled -f segment -segment_time 0.001 -segment_format matroska -reset_timestamps 1)
measure copy -i camera720.mp4 "${SEG[@]}" -segment_list seg-copy/l.csv -segment_list_type csv seg-copy/s-%06d.mkv
measure camera -i camera720.mp4 -map 0:v:0 -vf fps=5,scale=320:240,format=gray -f rawvideo -pix_fmt gray pipe:1 "${SEG[@]}" -segment_list seg-camera/l.csv -segment_list_type csv seg-camera/s-%06d.mkv
