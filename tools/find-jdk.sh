# Sourced by ./ser and ./run-tests: sets JAVA_HOME to a JDK 25 or newer, or explains what is missing.
ser_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
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
