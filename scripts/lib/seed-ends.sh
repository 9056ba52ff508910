# The seed's own ends (issue: Chromium sends, Python receives): Debian's chromium for `--sender chromium`,
# python3-websockets (and python3-crcmod, the C-backed CRC-32C of `--consume verify`) for `--receiver python`,
# for the interpreter the Python receiver runs (FRAMEBENCH_PYTHON, else /usr/bin/python3, the one Debian's
# packages install into), Debian's linux-perf, with which `--flames` samples a browser, and Debian's gcc, which
# compiles the tests' C producer of shm-slots. Sourced after common.sh.

# The browser the harness starts: FRAMEBENCH_CHROMIUM, else chromium on PATH.
fb_chromium() { if [ -n "${FRAMEBENCH_CHROMIUM:-}" ]; then printf '%s' "$FRAMEBENCH_CHROMIUM"; else command -v chromium || true; fi; }
fb_python() { printf '%s' "${FRAMEBENCH_PYTHON:-/usr/bin/python3}"; }

# The Debian packages missing for the ends named ("chromium", "python", "perf", "gcc"), space-separated; empty when none is.
fb_seed_ends_missing() {
  local missing=() end
  for end in "$@"; do
    case "$end" in
      chromium) [ -x "$(fb_chromium)" ] || missing+=(chromium) ;;
      python)
        "$(fb_python)" -c 'import websockets' >/dev/null 2>&1 || missing+=(python3-websockets)
        "$(fb_python)" -c 'import crcmod._crcfunext' >/dev/null 2>&1 || missing+=(python3-crcmod) ;;
      perf) perf --version >/dev/null 2>&1 || missing+=(linux-perf) ;;
      # The C producer that proves shm-slots' documented layout (ShmSlotsNativeProducerTest) is compiled by the tests.
      gcc) command -v gcc >/dev/null 2>&1 || missing+=(gcc) ;;
    esac
  done
  printf '%s' "${missing[*]-}"
}

# Installs what the ends named need with apt-get where this user may (root, apt-get present, FB_NO_INSTALL
# unset), else stops with one line naming the packages. Installing is all or nothing: apt-get's own.
fb_need_seed_ends() {
  local missing log
  # A binary chosen by hand is the user's to fix: installing a package would not make it appear.
  [ -z "${FRAMEBENCH_CHROMIUM:-}" ] || [ -x "$FRAMEBENCH_CHROMIUM" ] \
    || fb_die "FRAMEBENCH_CHROMIUM=$FRAMEBENCH_CHROMIUM is not an executable file: point it at a browser, or unset it to use chromium on PATH"
  [ -z "${FRAMEBENCH_PYTHON:-}" ] || [ -x "$FRAMEBENCH_PYTHON" ] \
    || fb_die "FRAMEBENCH_PYTHON=$FRAMEBENCH_PYTHON is not an executable file: point it at a Python 3, or unset it to use /usr/bin/python3"
  missing=$(fb_seed_ends_missing "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || [ -n "${FB_NO_INSTALL:-}" ]; then
    fb_die "the seed's ends ($*) need Debian's $missing: run 'apt-get install $missing' as root (FRAMEBENCH_CHROMIUM and FRAMEBENCH_PYTHON choose other binaries)"
  fi
  fb_say "installing Debian's $missing for the seed's ends ($*), with apt-get"
  log=$(mktemp "${TMPDIR:-/tmp}/framebench-apt.XXXXXX")
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
    tail -5 "$log" >&2
    rm -f "$log"
    fb_die "apt-get could not install $missing (its last lines above); install them and run again"
  fi
  rm -f "$log"
  missing=$(fb_seed_ends_missing "$@")
  [ -z "$missing" ] || fb_die "still missing after apt-get: $missing (Debian's python3 packages serve /usr/bin/python3; FRAMEBENCH_PYTHON=$(fb_python))"
}

# The seed's ends a command line names (after --sender, --receiver, or in a --profile file's *Kinds keys).
fb_seed_ends_named() {
  local ends="" arg prev="" profile=""
  for arg in "$@"; do
    case "$prev" in
      --sender|--receiver) ends="$ends,$arg" ;;
      --profile) profile="$arg" ;;
    esac
    prev="$arg"
  done
  if [ -n "$profile" ]; then
    [ -f "$profile" ] || profile="$FB_ROOT/profiles/$profile.properties"
    [ -f "$profile" ] && ends="$ends,$(sed -n 's/^ *\(sender\|receiver\|pacedSender\)Kinds *= *//p' "$profile" | tr '\n' ',' | tr -d ' ')"
  fi
  local named=()
  case ",$ends," in *,chromium,*) named+=(chromium) ;; esac
  case ",$ends," in *,python,*) named+=(python) ;; esac
  printf '%s' "${named[*]-}"
}
