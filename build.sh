#!/usr/bin/env bash
# Compiles Main.java and src/** into build/clinic-relay.jar. Plain javac + jar: no build
# tool, no dependencies, so a reviewer can read exactly what ships.
set -euo pipefail
cd "$(dirname "$0")"

classes=build/classes
rm -rf "$classes"
mkdir -p "$classes"
find src -name '*.java' > build/sources.txt
echo Main.java >> build/sources.txt
javac --release 17 -encoding UTF-8 -Xlint:all,-serial -Werror -XDstringConcat=inline -d "$classes" @build/sources.txt
# The version /health, --version and the start-up line show: VERSION if given, else
# `git describe` (a tag), else the commit's date and short hash, else today's date.
version="${VERSION:-}"
if [ -z "$version" ] && git rev-parse --git-dir >/dev/null 2>&1; then
    version="$(git describe --tags --dirty 2>/dev/null || true)"
    if [ -z "$version" ]; then
        dirty="$(git diff --quiet HEAD -- 2>/dev/null || echo -dirty)"
        version="$(git log -1 --format=%cd --date=format-local:%Y.%m.%d 2>/dev/null || true)-$(git rev-parse --short HEAD)$dirty"
    fi
fi
[ -n "$version" ] || version="$(date -u +%Y.%m.%d)"
printf 'Implementation-Title: clinic-relay\nImplementation-Version: %s\n' "$version" > build/manifest.txt
printf '%s\n' "$version" > "$classes/clinicrelay/app/version.txt"
jar --create --file build/clinic-relay.jar --main-class Main --manifest build/manifest.txt -C "$classes" .
echo "built build/clinic-relay.jar $version ($(wc -c < build/clinic-relay.jar) bytes)"
