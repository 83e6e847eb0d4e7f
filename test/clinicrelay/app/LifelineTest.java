package clinicrelay.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clinicrelay.testing.CapturedLog;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A thread that dies of an unexpected error ends the process with status 70, after one log line that quotes nothing. */
class LifelineTest {

    @Test
    void aDyingThreadExitsTheProcessWith70AndLogsOnlyTheThreadAndTheErrorsClass() throws Exception {
        CapturedLog log = new CapturedLog(Clock.systemUTC());
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        try {
            Lifeline.install(log.log(), exited::complete);
            Thread engine = new Thread(() -> {
                throw new IllegalStateException("patient Ana Lee +16175550199");
            }, "delivery-engine");
            engine.start();
            engine.join();
            assertEquals(Lifeline.EXIT_THREAD_DIED, exited.get(5, TimeUnit.SECONDS));
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        String logged = log.text();
        assertTrue(logged.contains("ERROR an essential thread died"), logged);
        assertTrue(logged.contains("delivery-engine: java.lang.IllegalStateException"), logged);
        assertFalse(logged.contains("Ana") || logged.contains("6175550199"), "the message is never logged: " + logged);
    }
}
