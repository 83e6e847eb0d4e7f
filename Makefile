# clinic-relay — `make run` starts the demo, `make test` runs every test (exit status is the verdict).
JAR            := build/clinic-relay.jar
JUNIT_VERSION  := 1.11.4
JUNIT          := build/lib/junit-platform-console-standalone-$(JUNIT_VERSION).jar
SOURCES        := Main.java $(shell find src -name '*.java')
TEST_SOURCES   := $(shell find test -name '*.java')
BENCH_SOURCES  := $(wildcard bench/*.java)
TEST_CLASSES   := build/test-classes
# Small-VM settings: serial GC and a capped heap fit a 512 MB machine; see README "Deploying".
JAVA_OPTS      ?= -XX:+UseSerialGC -Xmx96m -Xmn16m -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:+ExitOnOutOfMemoryError

.PHONY: all jar run test bench dashboard-shot clean

all: jar

jar: $(JAR)

$(JAR): $(SOURCES) build.sh
	./build.sh

run: $(JAR)
	java $(JAVA_OPTS) -jar $(JAR) demo

$(JUNIT):
	mvn -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:$(JUNIT_VERSION) \
	    -DoutputDirectory=build/lib -Dmdep.overWriteIfNewer=true

# The benchmark's sources are compiled too (and thrown away), so they never drift from the code.
$(TEST_CLASSES)/.compiled: $(JAR) $(JUNIT) $(TEST_SOURCES) $(BENCH_SOURCES)
	rm -rf $(TEST_CLASSES) build/bench-check
	mkdir -p $(TEST_CLASSES) build/bench-check
	javac --release 17 -encoding UTF-8 -Xlint:all,-serial -d $(TEST_CLASSES) -cp $(JAR):$(JUNIT) $(TEST_SOURCES)
	javac --release 17 -encoding UTF-8 -d build/bench-check -cp $(JAR):$(TEST_CLASSES) $(BENCH_SOURCES)
	touch $@

test: $(TEST_CLASSES)/.compiled
	java -Dclinicrelay.jar=$(JAR) -jar $(JUNIT) execute \
	    --disable-banner --disable-ansi-colors --details=summary --fail-if-no-tests \
	    --class-path $(TEST_CLASSES):$(JAR) --scan-class-path $(TEST_CLASSES) \
	    --reports-dir build/test-reports

bench: $(JAR) $(TEST_CLASSES)/.compiled
	JAVA_OPTS="$(JAVA_OPTS)" bench/run.sh

# The dashboard of a made-up practice, photographed by headless Chromium (Debian package chromium).
dashboard-shot: $(TEST_CLASSES)/.compiled
	@for shot in "dashboard 30 1000,2600" "dashboard-year 365 1000,2600" "dashboard-range 2026-06-01:2026-08-31 1000,2600" \
	        "dashboard-phone 7 390,3000" "dashboard-nozone nozone 390,1200" "deliveries deliveries 1000,1200" \
	        "deliveries-phone deliveries 390,1600" "appointment appointment 390,1000"; do \
	    set -- $$shot; \
	    java -cp $(TEST_CLASSES):$(JAR) clinicrelay.dashboard.DashboardShot build/$$1.html $$2 && \
	    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$$3 \
	        --screenshot=$(CURDIR)/build/$$1.png file://$(CURDIR)/build/$$1.html 2>/dev/null || exit 1; \
	    echo "wrote build/$$1.png"; \
	done

clean:
	rm -rf build
