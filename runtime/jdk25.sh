# Sourced by busbar's scripts: sets JAVA_HOME to a JDK 25 or newer, or fails saying why.
# Looks at $JAVA_HOME, then /usr/lib/jvm/temurin-25-jdk-amd64, then the java on PATH.

busbar_java_feature() { # prints the feature release of the java at $1 (e.g. 25), or nothing
    "$1" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

busbar_find_jdk25() {
    local candidate java feature
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 \
            "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
        [ -n "$candidate" ] || continue
        java="$candidate/bin/java"
        [ -x "$java" ] || continue
        feature="$(busbar_java_feature "$java")"
        if [ -n "$feature" ] && [ "$feature" -ge 25 ]; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    echo "busbar: needs JDK 25 or newer: set JAVA_HOME, or install Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64" >&2
    return 1
}
