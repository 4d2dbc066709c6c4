# Sourced by ./nonlinear and jmh/report.sh: find_java prints a java binary of version 25 or newer
# (JAVA_HOME, then java on the PATH, then the newest /usr/lib/jvm/*/bin/java) or exits with a
# clear error. Needs: required=25 set by the caller.

# The feature version of a java binary (25 for "25.0.1"), or 0 when it does not run.
java_feature() {
  local version
  version="$("$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)" || true
  case "$version" in
    ''|*[!0-9.]*) echo 0 ;;
    1.*) echo 1 ;;
    *) echo "${version%%.*}" ;;
  esac
}

find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] \
      && (( $(java_feature "$JAVA_HOME/bin/java") >= required )); then
    echo "$JAVA_HOME/bin/java"
    return
  fi
  if command -v java >/dev/null 2>&1 && (( $(java_feature java) >= required )); then
    command -v java
    return
  fi
  local best="" best_feature=0 candidate feature
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    feature="$(java_feature "$candidate")"
    if (( feature >= required && feature > best_feature )); then
      best="$candidate"
      best_feature="$feature"
    fi
  done
  if [[ -n "$best" ]]; then
    echo "$best"
    return
  fi
  echo "nonlinear: no Java $required or newer found: checked JAVA_HOME" \
    "(${JAVA_HOME:-unset}), java on the PATH and /usr/lib/jvm/*. Install a JDK $required or" \
    "newer, or point JAVA_HOME at one." >&2
  exit 1
}
