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
jar --create --file build/clinic-relay.jar --main-class Main -C "$classes" .
echo "built build/clinic-relay.jar ($(wc -c < build/clinic-relay.jar) bytes)"
