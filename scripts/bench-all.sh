#!/usr/bin/env bash
# Runs a whole profile and writes a results folder ready to publish: jmh.json, env.json, summary.json/csv,
# charts/*.svg, flames/ when profiled, and a README.md. 'scripts/bench-all.sh --help' explains every flag.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'HELP'
usage: scripts/bench-all.sh [--profile quick] [--transports a,b] [--sender K] [--receiver K] [--pin P] [--out DIR] [--flames] [--publish]

Finds a JDK 25+, builds if needed, records the environment (env.json), runs the profile through
'framebench bench' (and, when the profile says paced=true, 'framebench paced' into paced/), writes
the report (summary.json, summary.csv, charts/*.svg, README.md) and prints the results folder on the last line. A run that fails or is interrupted leaves no folder behind: everything is
written under a hidden .NAME.partial-PID folder beside it and renamed at the end.

  --profile NAME      profiles/NAME.properties or a path to one (default: quick); see README.md, Profiles
  --transports A,B    only these transports (default: the profile's); keep inproc-copy in for the ratios
  --sender KINDS      jvm and/or chromium (the seed's sender, a page in headless Chromium; ws-* only)
  --receiver KINDS    jvm and/or python (the seed's receiver, a Python websockets process; ws-* only);
                      each sender kind runs with each receiver kind where the transport fits both
                      (default: the profile's senderKinds, receiverKinds; jvm). Debian's chromium and
                      python3-websockets are installed with apt-get when missing and this user is root
  --pin P             none | auto | sender=CPUS,receiver=CPUS: pin the sender and the receiver JVM to
                      CPUs (auto: two physical cores, where there are at least 4 CPUs); default: the
                      profile's pin (none). Recorded in env.json and the results README
  --out DIR           results folder, must not exist yet
                      (default: results/<UTC date and time>_<EC2 instance type or host name>_<profile>)
  --flames            flame graphs of both JVMs into flames/ (passed to 'framebench bench --flames')
  --publish           commit the results folder and results/README.md with git (never pushes);
                      needs the folder inside this checkout
  --help              this text

When the folder is in results/, results/README.md (the index of runs) is regenerated.
Exit status: 0 done; 1 a benchmark failed (no folder); 2 bad input (no folder); 3 done, but without the
flame graphs asked for (the profiler could not load here); 130 interrupted by INT, 143 by TERM (no folder).
Compare two runs with scripts/regress.sh BASELINE_DIR CURRENT_DIR.
HELP
}

profile=quick transports="" senders="" receivers="" pin="" out="" flames=0 publish=0
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || fb_die "bench-all: $1 needs a value; see scripts/bench-all.sh --help"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) need_value "$@"; profile=$2; shift 2 ;;
    --profile=*) profile=${1#*=}; shift ;;
    --transports | --transport) need_value "$@"; transports=$2; shift 2 ;;
    --transports=* | --transport=*) transports=${1#*=}; shift ;;
    --sender) need_value "$@"; senders=$2; shift 2 ;;
    --sender=*) senders=${1#*=}; shift ;;
    --receiver) need_value "$@"; receivers=$2; shift 2 ;;
    --receiver=*) receivers=${1#*=}; shift ;;
    --pin) need_value "$@"; pin=$2; shift 2 ;;
    --pin=*) pin=${1#*=}; shift ;;
    --out) need_value "$@"; out=$2; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --flames) flames=1; shift ;;
    --publish) publish=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) fb_die "bench-all: unknown argument '$1'; valid: --profile --transports --sender --receiver --pin --out --flames --publish --help" ;;
  esac
done

source "$FB_ROOT/scripts/lib/seed-ends.sh"
ends=()
[ -n "$senders" ] && ends+=(--sender "$senders")
[ -n "$receivers" ] && ends+=(--receiver "$receivers")
seed_ends=$(fb_seed_ends_named --profile "$profile" ${ends[@]+"${ends[@]}"})
[ -n "$seed_ends" ] && fb_need_seed_ends $seed_ends
fb_find_jdk
fb_build_if_needed
FB_MAIN=("$FB_JAVA" "${FB_JAVA_OPTS[@]}" -Xms256m -Xmx1g -Djava.awt.headless=true -Dframebench.home="$FB_ROOT" -cp "$FB_JAR"
  dev.framebench.harness.cli.Main)
fb() { "${FB_MAIN[@]}" "$@"; }

stage=""
cleanup() {
  # The stage, and the bench command's own partial folder beside it if a signal cut it short.
  if [ -n "$stage" ]; then rm -rf "$stage" "$(dirname "$stage")/.$(basename "$stage").partial-"*; fi
}
trap cleanup EXIT
child=""
# Bash runs a trap only once a foreground command ends, so the benchmark runs in the background and is
# waited for: a TERM or INT then stops it (the JMH host ends its fork and the sender) before we exit.
# Exit 128 + the signal, as a shell reports a command killed by it: 130 for INT, 143 for TERM.
on_signal() {
  # "|| true": under set -e the failed wait (the child ends by our TERM) would exit with its 143 instead.
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
# Runs a framebench command with the stage's name replaced by the final one in what it prints.
fb_staged() {
  # exec: the background job is the JVM itself, so the signal reaches it (its JMH fork and sender follow).
  (exec "${FB_MAIN[@]}" "$@") 2> >(sed -u "s#$stage#$out#g" >&2) > >(sed -u "s#$stage#$out#g") &
  child=$!
  local status=0
  wait "$child" || status=$?
  child=""
  return "$status"
}

transport_args=()
[ -n "$transports" ] && transport_args=(--transport "$transports")
transport_args+=(${ends[@]+"${ends[@]}"})
[ -n "$pin" ] && transport_args+=(--pin "$pin")
# Before the run: the environment it starts in (commit, dirty tree, kernel settings).
env_args=(--profile "$profile" "${transport_args[@]}")
[ "$flames" = 1 ] && env_args+=(--flames)
# Kept in memory, not in a temp file: a run killed with SIGKILL then leaves no file behind.
env_record=$(fb env "${env_args[@]}")
label=$(printf '%s\n' "$env_record" | tail -1)
profile_name=$(basename "$profile" .properties)
if [ -z "$out" ]; then
  out="$FB_ROOT/results/$(date -u +%Y-%m-%dT%H%MZ)_${label}_${profile_name}"
fi
out=$(realpath -m "$out")
[ -e "$out" ] && fb_die "results folder $out already exists; choose a new --out or remove it"
mkdir -p "$(dirname "$out")"
stage="$(dirname "$out")/.$(basename "$out").partial-$$"

bench_args=(--profile "$profile" "${transport_args[@]}" --out "$stage")
[ "$flames" = 1 ] && bench_args+=(--flames)
fb_say "profile $profile_name on $label; results will be in $out"
# The bench command names the stage (and a failed run's log beside it); say the final names instead.
bench_status=0
fb_staged bench "${bench_args[@]}" || bench_status=$?
# 3: every figure written, but without the flame graphs asked for (the profiler could not load here).
if [ "$bench_status" -ne 0 ] && [ "$bench_status" -ne 3 ]; then
  [ -f "$stage.failed.log" ] && mv "$stage.failed.log" "$out.failed.log"
  fb_say "the benchmark failed (reason above); no results folder written"
  exit "$bench_status"
fi
printf '%s\n' "$env_record" | sed '$d' > "$stage/env.json"
# Profiles with paced=true (ec2) add the paced streams: latency, cores per stream, a process per stream.
if grep -q '"paced" : "true"' "$stage/env.json"; then
  fb_say "paced streams (the profile's paced* settings) into paced/"
  if ! fb_staged paced --profile "$profile" ${pin:+--pin "$pin"} --out "$stage/paced"; then
    fb_say "the paced run failed (reason above); no results folder written"
    exit 1
  fi
fi
fb report "$stage" --name "$(basename "$out")" >/dev/null
mv "$stage" "$out"
stage=""
if [ "$(dirname "$out")" = "$FB_ROOT/results" ]; then
  fb index "$FB_ROOT/results" >/dev/null
fi

if [ "$publish" = 1 ]; then
  case "$out" in
    "$FB_ROOT"/*) ;;
    *) fb_die "--publish commits only folders inside $FB_ROOT; $out is outside (the results are there, uncommitted)" ;;
  esac
  paths=("$out")
  [ -f "$FB_ROOT/results/README.md" ] && paths+=("$FB_ROOT/results/README.md")
  git -C "$FB_ROOT" add -- "${paths[@]}"
  git -C "$FB_ROOT" commit -q -m "results: $(basename "$out") (profile $profile_name on $label)" -- "${paths[@]}"
  fb_say "committed $(basename "$out") as $(git -C "$FB_ROOT" rev-parse --short HEAD); nothing was pushed"
fi
fb_say "report: $out/README.md"
if [ "$bench_status" = 3 ]; then
  fb_say "done without flame graphs: the profiler could not load (the warning above says why); exit 3"
fi
echo "$out"
exit "$bench_status"
