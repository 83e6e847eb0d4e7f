package clinicrelay.channel;

import clinicrelay.delivery.AttemptResult;
import clinicrelay.delivery.MessageChannel;
import clinicrelay.delivery.OutgoingMessage;
import clinicrelay.journal.KeyPeriods;
import clinicrelay.journal.PrivateFiles;
import clinicrelay.journal.RecordCodec;
import clinicrelay.json.Json;
import clinicrelay.json.JsonBuilder;
import clinicrelay.json.JsonException;
import clinicrelay.json.JsonObject;
import clinicrelay.planning.PlannedDelivery;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * The channel used with {@code DRY_RUN=true}: each message becomes one JSON line in
 * {@code DATA_DIR/outbox.jsonl} (0600, forced before it counts as sent), and counts as
 * delivered. A "planned" line is only informational and not forced: it is written on the
 * engine's thread, which must not wait for the disk once per planned message. Recipients
 * and texts are patient data: with a PHI key they are sealed ({@code "sealed"}, base64, the
 * key of the record's undated period) and {@code clinic-relay outbox} shows them; ids,
 * kinds and states stay readable.
 */
public final class DryRunOutbox implements MessageChannel {
    public static final String FILE_NAME = "outbox.jsonl";

    /** What sealed recipients and texts are labelled with. */
    public static final String SEALED_LABEL = "outbox message v1";

    private final Path file;
    private final Clock clock;
    private final RecordCodec codec;

    /** @param codec seals recipients and texts when it has data keys; null or keyless: in clear */
    public DryRunOutbox(Path dataDir, Clock clock, RecordCodec codec) {
        this.file = dataDir.resolve(FILE_NAME);
        this.clock = clock;
        this.codec = codec;
    }

    @Override
    public String name() {
        return "outbox";
    }

    /** A "planned" line, so a dry run shows what will go out and when (no recipient or text yet). */
    @Override
    public synchronized void planned(PlannedDelivery delivery) {
        append(new JsonBuilder().beginObject()
                .member("at", Instant.now(clock).toString())
                .member("delivery_id", delivery.id())
                .member("status", "planned")
                .member("kind", delivery.kind().wireName())
                .member("due_at", delivery.dueAt().toString())
                .endObject().toText(), false);
    }

    @Override
    public synchronized AttemptResult send(OutgoingMessage message) {
        JsonBuilder line = new JsonBuilder().beginObject()
                .member("at", Instant.now(clock).toString())
                .member("delivery_id", message.deliveryId())
                .member("attempt", message.attempt())
                .member("channel", message.channel().name().toLowerCase(java.util.Locale.ROOT))
                .member("status", "sent");
        byte[] patientData = new JsonBuilder().beginObject().member("to", message.to()).member("subject", message.subject())
                .member("body", message.body()).endObject().toBytes();
        if (codec != null && codec.dataKeys() != null) {
            line.member("sealed", Base64.getEncoder().encodeToString(codec.sealApart(patientData, SEALED_LABEL, KeyPeriods.NONE)));
        } else {
            line.member("to", message.to()).member("subject", message.subject()).member("body", message.body());
        }
        if (!append(line.endObject().toText(), true)) {
            return new AttemptResult.Retry("outbox not writable", null);
        }
        return new AttemptResult.Sent("outbox:" + message.deliveryId() + "#" + message.attempt());
    }

    /**
     * A step a dry run does instead of calling its service (the CRM): one line saying what
     * would have been done, without patient data.
     */
    public synchronized AttemptResult stepInstead(String service, String appointmentId, String what) {
        boolean written = append(new JsonBuilder().beginObject()
                .member("at", Instant.now(clock).toString())
                .member("service", service)
                .member("appointment_id", appointmentId)
                .member("status", "would sync")
                .member("what", what)
                .endObject().toText(), true);
        return written ? new AttemptResult.Sent("outbox:" + service + ":" + appointmentId)
                : new AttemptResult.Retry("outbox not writable", null);
    }

    /** Appends one line, forced when {@code force}; false when the file cannot be written. */
    private boolean append(String json, boolean force) {
        byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PrivateFiles.fileMode())) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (force) {
                channel.force(false);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized String findSent(OutgoingMessage message, Instant attemptStarted, java.util.Set<String> claimed)
            throws ReconcileException {
        if (!Files.exists(file)) {
            return null;
        }
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonObject entry = opened(Json.parseObject(line.getBytes(StandardCharsets.UTF_8)), codec);
                if (message.deliveryId().equals(entry.string("delivery_id")) && message.body().equals(entry.string("body"))) {
                    // a "sent" line with this text: it went out before the crash
                    return "outbox:" + message.deliveryId() + "#" + entry.number("attempt");
                }
            }
            return null;
        } catch (IOException | JsonException e) {
            throw new ReconcileException("outbox unreadable: " + e.getClass().getSimpleName());
        }
    }

    /**
     * An outbox line with its recipient and text opened when sealed (the line itself when
     * not sealed, or when they cannot be opened: then without them).
     */
    public static JsonObject opened(JsonObject line, RecordCodec codec) {
        String sealed = line.string("sealed");
        if (sealed == null || codec == null) {
            return line;
        }
        try {
            JsonObject patient = Json.parseObject(codec.openApart(Base64.getDecoder().decode(sealed), SEALED_LABEL));
            JsonObject whole = new JsonObject();
            line.members().forEach((name, value) -> {
                if (!name.equals("sealed")) {
                    whole.put(name, value);
                }
            });
            patient.members().forEach(whole::put);
            return whole;
        } catch (java.security.GeneralSecurityException | JsonException | IllegalArgumentException unopenable) {
            return line;
        }
    }
}
