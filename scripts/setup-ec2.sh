#!/usr/bin/env bash
# Prepares a fresh Amazon Linux 2023 or Ubuntu EC2 instance for framebench: JDK 25, git, and the kernel
# settings profiling needs. Says each step before doing it; --dry-run only says them. '--help' explains.
set -euo pipefail

usage() {
  cat <<'HELP'
usage: scripts/setup-ec2.sh [--dry-run] [--any-host] [--help]

Prepares a fresh EC2 instance (Amazon Linux 2023 or Ubuntu 22.04/24.04) to run framebench:
  1. installs JDK 25 (Amazon Corretto 25; on Ubuntu from Corretto's apt repository when the distribution
     has no openjdk-25 package) and git;
  2. sets kernel.perf_event_paranoid=1 and kernel.kptr_restrict=0 (flame graphs with kernel frames), now
     and after reboots (/etc/sysctl.d/99-framebench.conf);
  3. checks java -version and says what to run next.
Every step is printed before it runs; commands run through sudo when not root.

  --dry-run    print the steps and commands, change nothing (works on any machine)
  --any-host   run even when local files do not show an EC2 instance (by default it refuses, so it is
               never run on a workstation by mistake)
  --help       this text
HELP
}

dry_run=0 any_host=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=1 ;;
    --any-host) any_host=1 ;;
    -h | --help) usage; exit 0 ;;
    *) printf 'setup-ec2: unknown argument %s; valid: --dry-run --any-host --help\n' "$arg" >&2; exit 2 ;;
  esac
done

# Overridable so a test can show both distributions' steps without being on either.
os_release=${FB_OS_RELEASE:-/etc/os-release}
sys_root=${FB_SYS_ROOT:-}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
step_number=0

say() { printf '[setup-ec2] %s\n' "$*"; }
step() { step_number=$((step_number + 1)); say "step $step_number: $*"; }
# Prints a command, then runs it unless this is a dry run.
run() {
  printf '  $ %s\n' "$*"
  [ "$dry_run" = 1 ] || "$@"
}
# The same for a command line that needs a shell (pipes, redirections).
run_shell() {
  printf '  $ %s\n' "$1"
  [ "$dry_run" = 1 ] || bash -c "$1"
}

looks_like_ec2() {
  local dmi="$sys_root/sys/devices/virtual/dmi/id"
  grep -qx 'Amazon EC2' "$dmi/sys_vendor" 2>/dev/null && return 0
  grep -qi '^ec2' "$sys_root/sys/hypervisor/uuid" 2>/dev/null && return 0
  return 1
}

[ -r "$os_release" ] || { printf 'setup-ec2: cannot read %s; which distribution is this?\n' "$os_release" >&2; exit 2; }
eval "$(. "$os_release" && printf 'distro_id=%q distro_name=%q' "${ID:-unknown}" "${PRETTY_NAME:-${ID:-unknown}}")"

if [ "$dry_run" = 0 ] && [ "$any_host" = 0 ] && ! looks_like_ec2; then
  printf 'setup-ec2: this does not look like an EC2 instance (no "Amazon EC2" in /sys/devices/virtual/dmi/id/sys_vendor); run with --dry-run to see the steps, or --any-host to run them here anyway\n' >&2
  exit 2
fi
[ "$dry_run" = 1 ] && say "dry run: printing the steps for $distro_name; nothing is changed"

case "$distro_id" in
  amzn)
    step "install Amazon Corretto 25 (JDK) and git with dnf"
    run $sudo dnf install -y java-25-amazon-corretto-devel git
    ;;
  ubuntu | debian)
    step "refresh the package lists"
    run $sudo apt-get update
    step "install git and what adding a package repository needs"
    run $sudo apt-get install -y git ca-certificates curl gnupg
    if [ "$dry_run" = 0 ] && apt-cache show openjdk-25-jdk-headless >/dev/null 2>&1; then
      step "install OpenJDK 25 from $distro_name"
      run $sudo apt-get install -y openjdk-25-jdk-headless
    else
      step "add Amazon Corretto's apt repository (signed; key from apt.corretto.aws) and install Corretto 25"
      [ "$dry_run" = 1 ] && say "(when $distro_name has an openjdk-25-jdk-headless package, that is installed instead)"
      run_shell "curl -fsSL https://apt.corretto.aws/corretto.key | ${sudo:+$sudo }gpg --dearmor --yes -o /usr/share/keyrings/corretto-keyring.gpg"
      run_shell "echo 'deb [signed-by=/usr/share/keyrings/corretto-keyring.gpg] https://apt.corretto.aws stable main' | ${sudo:+$sudo }tee /etc/apt/sources.list.d/corretto.list"
      run $sudo apt-get update
      run $sudo apt-get install -y java-25-amazon-corretto-jdk
    fi
    ;;
  *)
    printf 'setup-ec2: %s (%s) is not Amazon Linux 2023 or Ubuntu; install a JDK 25 and git yourself, then set the two sysctls this script sets (see --help)\n' "$distro_name" "$distro_id" >&2
    exit 2
    ;;
esac

step "let profilers see kernel frames: kernel.perf_event_paranoid=1, kernel.kptr_restrict=0, now and after reboots"
run_shell "printf 'kernel.perf_event_paranoid = 1\nkernel.kptr_restrict = 0\n' | ${sudo:+$sudo }tee /etc/sysctl.d/99-framebench.conf"
run $sudo sysctl -p /etc/sysctl.d/99-framebench.conf

step "check the JDK"
run java -version

say "done. Next: git clone this repository, then: scripts/bench-all.sh --profile ec2 --publish"
