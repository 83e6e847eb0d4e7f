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
	java -cp $(TEST_CLASSES):$(JAR) clinicrelay.dashboard.DashboardShot build/dashboard.html
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,2400 \
	    --screenshot=$(CURDIR)/build/dashboard.png file://$(CURDIR)/build/dashboard.html
	java -cp $(TEST_CLASSES):$(JAR) clinicrelay.dashboard.DashboardShot build/dashboard-phone.html 7
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=390,2200 \
	    --screenshot=$(CURDIR)/build/dashboard-phone.png file://$(CURDIR)/build/dashboard-phone.html
	@echo "wrote build/dashboard.png and build/dashboard-phone.png"

clean:
	rm -rf build
