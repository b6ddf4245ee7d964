#!/usr/bin/env bash
# How long the REPL takes from launch to its first answer, as a user sees it in a terminal: starts `desk`
# in a detached tmux pane of its own, waits for the `js>` prompt, then (for py) types `:py` and waits for
# `py>`, types `1+1` and waits for the `2` under it. Prints the seconds from launch to that answer and
# ends the REPL.
#
#   repl/bench/first-answer.sh js|py [DESK ARGS...]
#   hyperfine --runs 10 'repl/bench/first-answer.sh py' 'repl/bench/first-answer.sh js'
#
# DESK (default: the desk launcher beside this folder) is the command that starts Desk; run it once first
# so that it has built and trained its start-up cache. Needs tmux 3.0 or newer. The REPL gets a state
# folder of its own, so its history is empty and yours is left alone.
set -euo pipefail
language=${1:-}
case "$language" in
  js | py) shift ;;
  *) echo "usage: $0 js|py [DESK ARGS...]" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
desk=${DESK:-$here/../../desk}
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 2; }
socket=desk-bench-$$-$RANDOM
state=$(mktemp -d)
pane_pid=""
socket_file=""
finish() {
  if [[ -n $pane_pid ]]; then kill -KILL "$pane_pid" 2>/dev/null || true; fi
  tmux -L "$socket" kill-server 2>/dev/null || true
  if [[ -n $socket_file ]]; then rm -f "$socket_file"; fi
  rm -rf "$state"
}
trap finish EXIT

screen() { tmux -L "$socket" capture-pane -p -J -t bench; }
# await PATTERN: waits until the screen, as one line with \n between rows, matches the extended regex.
await() {
  local deadline=$((SECONDS + 120)) shown
  while true; do
    shown=$(screen)
    [[ $shown =~ $1 ]] && return 0
    if ((SECONDS > deadline)); then
      printf 'the screen never matched %s; last screen:\n%s\n' "$1" "$shown" >&2
      exit 1
    fi
    sleep 0.01
  done
}
enter() { tmux -L "$socket" send-keys -t bench -l -- "$1" \; send-keys -t bench Enter; }

start=$(date +%s%N)
tmux -L "$socket" -f /dev/null new-session -d -s bench -x 120 -y 40 \
  env TERM=xterm-256color XDG_STATE_HOME="$state" "$desk" "$@"
pane_pid=$(tmux -L "$socket" display-message -p -t bench '#{pane_pid}')
socket_file=$(tmux -L "$socket" display-message -p '#{socket_path}')
await $'(^|\n)js> *$'
if [[ $language == py ]]; then
  enter ":py"
  await $'(^|\n)py> *$'
fi
enter "1+1"
await $'> 1\\+1\n2\n'
end=$(date +%s%N)
printf '%s first answer %d.%03d s after launch\n' "$language" $(((end - start) / 1000000000)) $(((end - start) / 1000000 % 1000))
