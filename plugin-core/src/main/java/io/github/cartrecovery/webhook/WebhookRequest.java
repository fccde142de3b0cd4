package io.github.cartrecovery.webhook;

import java.nio.charset.StandardCharsets;

/**
 * One built webhook: the JSON document's exact bytes (signed as they are) and its Idempotency-Key. The signature
 * is made when it is sent, so its timestamp is the time of that attempt. Immutable.
 */
public final class WebhookRequest {

    private final long plannedMessageId;
    private final String idempotencyKey;
    private final byte[] body;

    public WebhookRequest(long plannedMessageId, String idempotencyKey, byte[] body) {
        this.plannedMessageId = plannedMessageId;
        this.idempotencyKey = idempotencyKey;
        this.body = body.clone();
    }

    public long getPlannedMessageId() { return plannedMessageId; }
    /** Stable per planned message across retries: receivers drop a repeat by it. */
    public String getIdempotencyKey() { return idempotencyKey; }
    /** The UTF-8 JSON document (a copy). */
    public byte[] getBody() { return body.clone(); }
    public String getBodyText() { return new String(body, StandardCharsets.UTF_8); }

    byte[] body() {
        return body;
    }
}
