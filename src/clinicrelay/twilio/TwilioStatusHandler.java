package clinicrelay.twilio;

import clinicrelay.delivery.DeliveryEngine;
import clinicrelay.delivery.DeliveryState;
import clinicrelay.http.Forms;
import clinicrelay.http.Responses;
import clinicrelay.log.Log;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /twilio/status?delivery=<id>}: Twilio's word on a message we sent. Only the
 * final statuses matter (delivered, undelivered, failed); they are recorded and may only
 * move a message forward, since callbacks arrive out of order.
 */
public final class TwilioStatusHandler implements HttpHandler {
    private final TwilioCallbacks callbacks;
    private final DeliveryEngine engine;

    public TwilioStatusHandler(String publicBaseUrl, String authToken, DeliveryEngine engine, Log log) {
        this.callbacks = new TwilioCallbacks(publicBaseUrl, authToken, log);
        this.engine = engine;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Map<String, String> params = callbacks.verified(exchange, "/twilio/status");
        if (params == null) {
            return;
        }
        String deliveryId = Forms.parse(exchange.getRequestURI().getRawQuery()).get("delivery");
        DeliveryState status = finalStatus(params.get("MessageStatus"));
        if (deliveryId != null && status != null) {
            try {
                engine.statusReported(deliveryId, status, params.get("ErrorCode")).get(
                        TwilioInboundHandler.RECORD_WAIT_MILLIS_MAX, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException notRecorded) {
                exchange.getResponseHeaders().set("Retry-After", "5");
                Responses.error(exchange, 503, "not recorded, retry later");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private static DeliveryState finalStatus(String messageStatus) {
        if (messageStatus == null) {
            return null;
        }
        switch (messageStatus.toLowerCase(Locale.ROOT)) {
            case "delivered": return DeliveryState.DELIVERED;
            case "undelivered": return DeliveryState.UNDELIVERED;
            case "failed": return DeliveryState.FAILED;
            default: return null;
        }
    }
}
