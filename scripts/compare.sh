#!/usr/bin/env bash
# A/B of two commits in one run on this machine: builds BASE and HEAD in temporary git worktrees, then runs
# 'framebench compare' on their jars (rounds of every benchmark once per build, shuffled; a paired statistic
# per figure). 'scripts/compare.sh --help' explains every flag.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'HELP'
usage: scripts/compare.sh BASE HEAD [flags]                    (git refs: branches, tags, SHAs, HEAD~1)
       scripts/compare.sh --base-jar A.jar --head-jar B.jar [flags]   (two prebuilt benchmarks.jar)

Builds BASE and HEAD, each in a temporary git worktree (removed on exit, also on INT or TERM) with
'mvn -q -DskipTests package', then runs ROUNDS rounds on this machine with one profile: every benchmark
once for each build per round, in an order shuffled afresh each round (the seed is printed). Each figure
(GB/s, cpu.total, cpu.send, cpu.recv s/GB) per transport x frame is compared by a paired statistic over the
rounds: d_r = ln(head_r / base_r), its mean and Student t interval (n - 1 degrees of freedom), exp back to
head/base; Welch's on the logs where a round lacks one build. The table gives head/base, its interval,
"flags at" (the smallest change in the worse direction this run could have flagged) and the verdict.
A benchmark with a figure flagged as a regression then runs CONFIRM more rounds, compared on their own:
the regression stands only where they flag it again ("not confirmed" otherwise), since among dozens of
figures one falls outside its interval by chance now and then.

  --transport A,B       transports, or 'all' (default: the profile's)
  --frame F,...         frame presets (default: the profile's)
  --consume MODE        none | read | verify
  --options 'K=V;K=V'   transport options (each run gets the keys its transport reads)
  --profile NAME        profiles/NAME.properties of this checkout, or a path (default: quick); both builds run it
  --rounds N            rounds, 2..100 (default: the profile's forks, at least 2)
  --confirm-rounds N    rounds that re-run each flagged benchmark, 0 (off) or 2..100 (default: as --rounds)
  --threshold P         percent (default 3%): a REGRESSION needs the whole interval beyond it, worse way
  --confidence P        two-sided, percent (default 95%)
  --seed N              the shuffle's seed (default: the clock)
  --out DIR             results folder, must not exist yet (default: runs/<UTC time>_compare-<profile>)
  --allow-dirty         when HEAD is the checked-out commit and the working tree has uncommitted changes,
                        build head from the working tree (tracked files, via git stash create) and record
                        it as dirty; without it such a HEAD is refused
  --base-jar A.jar, --head-jar B.jar   compare two prebuilt jars instead of two refs (nothing is built)
  --help                this text

The results folder holds comparison.md, comparison.json, comparison.csv, charts/compare.svg, env.json,
profile.properties, compare.log, both builds' raw runs (raw/<base|head>/round-<k>/<transport>_<frame>/jmh.json,
confirm-round-<k>/ for a confirmation) and head's figures as Bencher Metric Format (bmf.json) and github-action-benchmark JSON.
FB_MAVEN_ARGS (e.g. -o) is added to both builds' Maven command line.

Exit status: 0 no regression; 1 a regression (named on the last line) or the run failed; 2 bad input: an
unknown ref, a ref that does not build (its log is kept beside where the results would go), HEAD with
uncommitted changes without --allow-dirty, no rows in common (one line, no results folder); 130 interrupted.
HELP
}

base_ref="" head_ref="" base_jar="" head_jar="" out="" profile=quick allow_dirty=0
pass=()
positional=()
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || fb_die "compare: $1 needs a value; see scripts/compare.sh --help"; }
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --allow-dirty) allow_dirty=1; shift ;;
    --base-jar | --head-jar | --out | --profile | --transport | --transports | --frame | --consume | --options | --rounds \
      | --confirm-rounds | --threshold | --confidence | --seed)
      need_value "$@"
      case "$1" in
        --base-jar) base_jar=$2 ;;
        --head-jar) head_jar=$2 ;;
        --out) out=$2 ;;
        --profile) profile=$2; pass+=(--profile "$2") ;;
        --transports) pass+=(--transport "$2") ;;
        *) pass+=("$1" "$2") ;;
      esac
      shift 2 ;;
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    --*) fb_die "compare: unknown argument '$1'; valid: --transport --frame --consume --options --profile --rounds --confirm-rounds --threshold --confidence --seed --out --allow-dirty --base-jar --head-jar --help" ;;
    *) positional+=("$1"); shift ;;
  esac
done

profile_name=$(basename "$profile" .properties)
if [ -z "$out" ]; then
  out="$FB_ROOT/runs/$(date -u +%Y%m%dT%H%M%SZ)_compare-$profile_name"
fi
out=$(realpath -m "$out")
[ -e "$out" ] && fb_die "compare: results folder $out already exists; choose a new --out or remove it"

compare_args=()
if [ -n "$base_jar" ] || [ -n "$head_jar" ]; then
  [ -n "$base_jar" ] && [ -n "$head_jar" ] || fb_die "compare: give both --base-jar and --head-jar, or two git refs; see scripts/compare.sh --help"
  [ ${#positional[@]} -eq 0 ] || fb_die "compare: give two git refs or two jars, not both (refs: ${positional[*]})"
  for jar in "$base_jar" "$head_jar"; do
    [ -f "$jar" ] || fb_die "compare: $jar: no such file; give a benchmarks.jar (harness/target/benchmarks.jar of a build)"
  done
  compare_args=(--base-jar "$(realpath "$base_jar")" --head-jar "$(realpath "$head_jar")")
  mode=jars
else
  [ ${#positional[@]} -eq 2 ] || fb_die "compare: give two git refs, BASE and HEAD (got ${#positional[@]}: ${positional[*]:-none}); see scripts/compare.sh --help"
  base_ref=${positional[0]}
  head_ref=${positional[1]}
  git -C "$FB_ROOT" rev-parse --git-dir >/dev/null 2>&1 || fb_die "compare: $FB_ROOT is not a git checkout; compare two jars with --base-jar and --head-jar"
  resolve() {
    git -C "$FB_ROOT" rev-parse --verify --quiet "$1^{commit}" 2>/dev/null \
      || fb_die "compare: unknown git ref '$1' (not a commit in $FB_ROOT); give a branch, tag or SHA, e.g. main or HEAD~1"
  }
  base_sha=$(resolve "$base_ref")
  head_sha=$(resolve "$head_ref")
  head_build=$head_sha
  head_dirty=0
  if [ "$head_sha" = "$(git -C "$FB_ROOT" rev-parse HEAD)" ] && [ -n "$(git -C "$FB_ROOT" status --porcelain --untracked-files=no)" ]; then
    [ "$allow_dirty" = 1 ] || fb_die "compare: HEAD ($head_ref) has uncommitted changes in $FB_ROOT; commit or stash them, or pass --allow-dirty to measure the working tree as head (recorded as dirty)"
    # A commit of the working tree's tracked files that touches neither the index nor the stash list.
    head_build=$(git -C "$FB_ROOT" stash create)
    head_dirty=1
  fi
  mode=refs
fi

FB_QUIET_JDK=1 fb_find_jdk
tmp=""
child=""
cleanup() {
  if [ -n "$tmp" ]; then
    for side in base head; do
      [ -d "$tmp/$side" ] && git -C "$FB_ROOT" worktree remove --force "$tmp/$side" >/dev/null 2>&1
    done
    rm -rf "$tmp"
    git -C "$FB_ROOT" worktree prune >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
# Bash runs a trap only once a foreground command ends, so builds and the comparison run in the background and
# are waited for: INT or TERM then stops them (the comparison ends its run, and that run its JMH fork and sender).
on_signal() {
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  rm -rf "$(dirname "$out")/.$(basename "$out").partial-"*
  exit 130
}
trap on_signal INT TERM
run_child() {
  "$@" &
  child=$!
  local status=0
  wait "$child" || status=$?
  child=""
  return "$status"
}

if [ "$mode" = refs ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/framebench-compare.XXXXXX")
  mkdir -p "$(dirname "$out")"
  mvn_cmd=mvn
  command -v mvn >/dev/null 2>&1 || mvn_cmd="$FB_ROOT/mvnw"
  build() { # side ref sha what
    local side=$1 ref=$2 sha=$3 what=$4 log="$tmp/$1-build.log"
    git -C "$FB_ROOT" worktree add --detach --quiet "$tmp/$side" "$sha" >"$log" 2>&1 \
      || { cp "$log" "$out.build-$side.failed.log"; fb_die "compare: cannot check out $side ref '$ref' ($what) in a worktree; log: $out.build-$side.failed.log"; }
    # Progress goes to stdout with the comparison's own lines; stderr keeps the one line of a failure.
    printf '[framebench] building %s: %s (%s) in a temporary worktree (mvn -q -DskipTests package)\n' "$side" "$ref" "$what"
    # shellcheck disable=SC2086 # FB_MAVEN_ARGS is a list of words on purpose.
    if ! run_child env MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
        "$mvn_cmd" -B -ntp -q -Dstyle.color=never ${FB_MAVEN_ARGS:-} -Dframebench.commit="$(fb_git_commit "$tmp/$side")" \
        -DskipTests -f "$tmp/$side/pom.xml" package >>"$log" 2>&1; then
      cp "$log" "$out.build-$side.failed.log"
      fb_die "compare: $side ref '$ref' ($what) does not build; build log: $out.build-$side.failed.log"
    fi
    [ -f "$tmp/$side/harness/target/benchmarks.jar" ] || fb_die "compare: $side ref '$ref' ($what) built no harness/target/benchmarks.jar"
  }
  build base "$base_ref" "$base_sha" "$base_sha"
  if [ "$head_dirty" = 1 ]; then
    build head "$head_ref" "$head_build" "$head_sha with the working tree's uncommitted changes, snapshot $head_build"
  else
    build head "$head_ref" "$head_build" "$head_sha"
  fi
  compare_args=(--base-jar "$tmp/base/harness/target/benchmarks.jar" --head-jar "$tmp/head/harness/target/benchmarks.jar"
    --base-home "$tmp/base" --head-home "$tmp/head" --base-ref "$base_ref" --head-ref "$head_ref"
    --base-commit "$base_sha" --head-commit "$head_sha")
  [ "$head_dirty" = 1 ] && compare_args+=(--head-dirty)
fi

# The comparison itself runs from this checkout's code (its statistics and report); each build runs its own
# benchmarks. When head is this checkout's clean commit, its worktree's jar is that code: no third build.
orchestrator=$FB_JAR
if [ "$mode" = refs ] && [ "$head_dirty" = 0 ] && [ "$head_sha" = "$(git -C "$FB_ROOT" rev-parse HEAD)" ] \
    && [ -z "$(git -C "$FB_ROOT" status --porcelain --untracked-files=no)" ]; then
  orchestrator="$tmp/head/harness/target/benchmarks.jar"
else
  fb_build_if_needed
fi
status=0
run_child "$FB_JAVA" "${FB_JAVA_OPTS[@]}" -Xmx512m -Djava.awt.headless=true -Dframebench.home="$FB_ROOT" -cp "$orchestrator" \
  dev.framebench.harness.cli.Main compare "${compare_args[@]}" ${pass[@]+"${pass[@]}"} --out "$out" || status=$?
exit "$status"
