#!/usr/bin/env bash
# Fetches the Apache Kafka broker (org.apache.kafka:kafka_2.13, version in pom.xml) and its runtime dependencies
# from Maven Central with Maven, and copies the jars into one directory for `java -cp '<dir>/*'`.
#
#   scripts/kafka/fetch.sh            # jars into $KAFKA_HOME_DIR (default <repo>/.kafka/libs)
#
# Maven caches what it downloads in ~/.m2, so a second machine-local fetch is offline. When the directory already
# holds the jars of the current pom.xml (checked by a stamp with the pom's hash), nothing runs: it returns at once.
# If java or mvn is missing and apt-get is usable, it installs openjdk-17-jre-headless and maven first.
#
# Env: KAFKA_HOME_DIR  directory for the jars (default <repo>/.kafka/libs)
#      MAVEN_ARGS      extra arguments for mvn (e.g. "-s settings.xml" for a mirror)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
libs="${KAFKA_HOME_DIR:-$root/.kafka/libs}"
pom="$here/pom.xml"
dependency_plugin="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

log() { echo "kafka/fetch: $*"; }
die() { echo "kafka/fetch: ERROR: $*" >&2; exit 1; }

pom_hash="$(sha256sum "$pom" | cut -d' ' -f1)"
stamp="$libs/.fetched"
is_fetched() { [[ -f "$stamp" && "$(cat "$stamp")" == "$pom_hash" ]] && compgen -G "$libs/kafka_2.13-*.jar" >/dev/null; }

if is_fetched; then
  log "broker jars already in $libs"
  exit 0
fi

install_tools() {
  local missing=()
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || missing+=(maven)
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing ${missing[*]}: install Java 17 and Maven (e.g. apt-get install openjdk-17-jre-headless maven)"
  fi
}

mkdir -p "$(dirname "$libs")"
# Several processes may start the broker at once (CI, tests, a developer): one fetch at a time.
exec 9>"$libs.lock"
flock 9
if is_fetched; then
  log "broker jars already in $libs"
  exit 0
fi

install_tools
staging="$(mktemp -d "$libs.tmp.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
log "resolving $(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:kafka_2.13 \1:p' "$pom") with Maven (cache: ~/.m2)"
# shellcheck disable=SC2086 # MAVEN_ARGS is a list of words on purpose
if ! mvn -B -q ${MAVEN_ARGS:-} -f "$pom" "$dependency_plugin:copy-dependencies" \
  -DincludeScope=runtime -DoutputDirectory="$staging" -Dmdep.useRepositoryLayout=false >"$staging.log" 2>&1; then
  cat "$staging.log" >&2
  rm -f "$staging.log"
  die "Maven could not fetch the broker (network or mirror? MAVEN_ARGS is passed to mvn)"
fi
rm -f "$staging.log"
compgen -G "$staging/kafka_2.13-*.jar" >/dev/null || die "Maven finished but kafka_2.13 is not among the jars"
echo "$pom_hash" >"$staging/.fetched"
rm -rf "$libs"
mv "$staging" "$libs"
trap - EXIT
log "$(find "$libs" -name '*.jar' | wc -l) jars ($(du -sh "$libs" | cut -f1)) in $libs"
