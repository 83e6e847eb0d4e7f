package clinicrelay.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import clinicrelay.channel.SendGridEmail;
import clinicrelay.delivery.AttemptResult;
import clinicrelay.delivery.OutgoingMessage;
import clinicrelay.json.JsonObject;
import clinicrelay.planning.Channel;
import clinicrelay.testing.FakeSendGrid;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

class SendGridEmailTest {
    @Test
    void sendsPlainTextMailWithBearerAuthAndMapsStatuses() throws Exception {
        try (FakeSendGrid sendgrid = FakeSendGrid.start()) {
            SendGridEmail client = new SendGridEmail(HttpClient.newHttpClient(), sendgrid.base(), FakeSendGrid.API_KEY,
                    "noreply@clinic.example", "Elm Street Clinic");
            OutgoingMessage mail = new OutgoingMessage("appt-1|confirmation_email|1", 1, Channel.EMAIL, "ana@example.com",
                    "Your appointment", "Hi Ana,\n\nsee you.");
            AttemptResult sent = client.send(mail);
            assertEquals(new AttemptResult.Sent("sg-1"), sent);
            JsonObject received = sendgrid.mails().get(0);
            assertEquals("{\"personalizations\":[{\"to\":[{\"email\":\"ana@example.com\"}]}],"
                    + "\"from\":{\"email\":\"noreply@clinic.example\",\"name\":\"Elm Street Clinic\"},"
                    + "\"subject\":\"Your appointment\",\"content\":[{\"type\":\"text/plain\",\"value\":\"Hi Ana,\\n\\nsee you.\"}]}",
                    received.toString());
            sendgrid.failNext(FakeSendGrid.Fault.SERVICE_UNAVAILABLE);
            assertInstanceOf(AttemptResult.Retry.class, client.send(mail));
            sendgrid.failNext(FakeSendGrid.Fault.BAD_REQUEST);
            assertInstanceOf(AttemptResult.Failed.class, client.send(mail));
            SendGridEmail wrongKey = new SendGridEmail(HttpClient.newHttpClient(), sendgrid.base(), "SG.wrong",
                    "noreply@clinic.example", "Elm Street Clinic");
            assertInstanceOf(AttemptResult.Failed.class, wrongKey.send(mail));
        }
    }
}
