package clinicrelay.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit, for the answers of the providers we call
 * (Twilio, Zocdoc): a broken or hostile peer cannot make the relay hold an answer of any
 * size. Past the limit the read stops and the call fails with an {@link IOException}, which
 * callers already treat as "the outcome is unknown".
 */
public final class BoundedBody {
    private BoundedBody() {
    }

    public static HttpResponse.BodyHandler<byte[]> upTo(int maxBytes) {
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return new Limited(maxBytes, declared > maxBytes); // a declared size past the limit: refused unread
        };
    }

    /** Collects the body; fails (and cancels the rest) once more than the limit has arrived. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
        private final int maxBytes;
        private final boolean refuseAtOnce;
        private Flow.Subscription subscription;

        Limited(int maxBytes, boolean refuseAtOnce) {
            this.maxBytes = maxBytes;
            this.refuseAtOnce = refuseAtOnce;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription given) {
            subscription = given;
            if (refuseAtOnce) {
                tooLarge();
                return;
            }
            given.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (collected.size() + buffer.remaining() > maxBytes) {
                    tooLarge();
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                collected.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(collected.toByteArray());
        }

        private void tooLarge() {
            subscription.cancel();
            result.completeExceptionally(new IOException("answer larger than " + maxBytes + " bytes"));
        }
    }
}
