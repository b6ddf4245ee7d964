#!/usr/bin/env bash
# The peer figure beside `desk bench --offline --strip full|simple`: ecasound mixing the same session shape
# offline (N stereo tracks of noise, each with trim, fader and pan; "full" adds four peaking biquads and a
# compressor from the swh LADSPA plugins), and the CPU time it takes per track-second of audio.
#
#   repl/bench/ecasound-strip.sh [--strip full|simple] [--tracks N] [--seconds S] [--buffer FRAMES]
#
# Needs ecasound, sox and swh-plugins (Debian: apt-get install ecasound sox swh-plugins).
set -euo pipefail
strip=full tracks=64 seconds=10 buffer=512 rate=48000
while [ $# -gt 0 ]; do
  case "$1" in
    --strip) strip=$2; shift 2 ;;
    --tracks) tracks=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --buffer) buffer=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in ecasound sox; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done
if [ "$strip" = full ] && [ ! -e /usr/lib/ladspa/single_para_1203.so ]; then
  echo "the swh LADSPA plugins are not installed (swh-plugins)" >&2; exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sox -n -r "$rate" -b 32 -e floating-point -c 2 "$work/noise.wav" synth "$seconds" whitenoise vol 0.125
chains=()
for ((t = 1; t <= tracks; t++)); do
  pan=$(( 50 + ((t % 9) - 4) * 5 ))
  chain=(-a:"$t" -i:"$work/noise.wav" -ea:79.43)
  if [ "$strip" = full ]; then
    chain+=(-el:singlePara,-2.5,300,1 -el:singlePara,2,1000,1 -el:singlePara,2.5,3000,1 -el:singlePara,1.5,8000,1)
    chain+=(-el:sc4,0,10,120,-20,3,3.25,3)
  fi
  chain+=(-ea:50.12 -epp:"$pan")
  chains+=("${chain[@]}")
done
start=$(date +%s.%N)
times=$( { /usr/bin/time -f "%U %S" ecasound -q -z:nodb -f:f32_le,2,"$rate" -b:"$buffer" "${chains[@]}" \
  -a:all -o:null >/dev/null; } 2>&1 | tail -1)
end=$(date +%s.%N)
awk -v t="$times" -v n="$tracks" -v s="$seconds" -v w0="$start" -v w1="$end" -v strip="$strip" 'BEGIN {
  split(t, cpu, " "); total = cpu[1] + cpu[2];
  printf "ecasound %s strip: %d stereo tracks, %.1f s: realtime factor %.1fx, CPU %.2f us per track-second\n",
    strip, n, s, s / (w1 - w0), total * 1e6 / (n * s) }'
