# Sourced by ./ser and ./run-tests: sets JAVA_HOME to a JDK 25 or newer, or explains what is missing.
# The JDK's release file names its version without starting a JVM; a JDK without one is asked.
ser_java_major() {
  local v=""
  [ -f "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  [ -n "$v" ] && { echo "$v"; return; }
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}
ser_find_jdk() {
  local cand
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*-2[5-9]* /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    local major; major=$(ser_java_major "$cand")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null; then JAVA_HOME="$cand"; export JAVA_HOME; return 0; fi
  done
  echo "ser: needs a JDK 25 or newer: set JAVA_HOME to one (looked in \$JAVA_HOME and /usr/lib/jvm)" >&2
  return 1
}
