package io.github.cartrecovery.site.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import javax.servlet.http.HttpServletRequest;

import org.codehaus.jackson.JsonFactory;
import org.codehaus.jackson.JsonParseException;
import org.codehaus.jackson.JsonParser;
import org.codehaus.jackson.JsonToken;

/**
 * Reads {@code {"email": "...", "consent": true, "phone": "...", "smsConsent": true}} (application/json) or
 * {@code email=...&consent=on&phone=...&smsConsent=on} (application/x-www-form-urlencoded) into a
 * {@link CaptureRequest}, reading at most {@code maxBodyBytes}
 * of a JSON body: a larger declared length is refused before reading, a longer stream as soon as the
 * limit is passed. Form bodies are parsed by the servlet container (Broadleaf's CSRF filter reads
 * parameters before any controller runs), so for them the declared length is checked here and the
 * container's own post-size limit applies to chunked bodies. JSON parsing uses the Jackson 1.9 streaming
 * parser Broadleaf 3.1 already ships.
 */
public final class CaptureRequestReader {

    static final int SC_PAYLOAD_TOO_LARGE = 413;
    static final int SC_UNSUPPORTED_MEDIA_TYPE = 415;

    private static final JsonFactory JSON = new JsonFactory();

    private final int maxBodyBytes;

    public CaptureRequestReader(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Refuses what can be refused from the headers alone: unsupported type, a declared length over the limit. */
    public void checkHeaders(HttpServletRequest request) {
        kindOf(request);
        if (request.getContentLength() > maxBodyBytes || declaredLength(request) > maxBodyBytes) {
            throw tooLarge();
        }
    }

    public CaptureRequest read(HttpServletRequest request) throws IOException {
        if (kindOf(request) == Kind.FORM) {
            return readForm(request);
        }
        byte[] body;
        try {
            body = readAtMost(request.getInputStream(), maxBodyBytes);
        } catch (IOException e) {
            // the client sent less than it declared, or went away: its request, not the server, is broken
            throw new RejectedRequest(400, "body", "complete", "the request body ended before its declared length");
        }
        return readJson(body);
    }

    /**
     * The Content-Length header as sent: Servlet 3.0's {@code getContentLength()} is an int and answers -1 for a
     * length beyond 2 GB, which would let the body through to be read.
     */
    private static long declaredLength(HttpServletRequest request) {
        String header = request.getHeader("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // longer than a long: too large (the container normally refuses it first)
        }
    }

    private enum Kind { JSON, FORM }

    private static Kind kindOf(HttpServletRequest request) {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT).trim();
        if (type.startsWith("application/json")) {
            return Kind.JSON;
        }
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return Kind.FORM;
        }
        throw new RejectedRequest(SC_UNSUPPORTED_MEDIA_TYPE, "Content-Type", "supported",
                "Content-Type must be application/json or application/x-www-form-urlencoded");
    }

    private CaptureRequest readForm(HttpServletRequest request) {
        String email = single(request, "email");
        Boolean consent = formConsent(single(request, "consent"), "consent");
        String phone = single(request, "phone");
        Boolean smsConsent = formConsent(single(request, "smsConsent"), "smsConsent");
        return new CaptureRequest(email, consent, phone, smsConsent);
    }

    private static String single(HttpServletRequest request, String field) {
        String[] values = request.getParameterValues(field);
        if (values != null && values.length > 1) {
            throw new RejectedRequest(400, field, "single", field + " must be given once");
        }
        return values == null ? null : values[0];
    }

    /** A ticked HTML checkbox sends "on" (or its value attribute); an unticked one sends nothing. */
    private static Boolean formConsent(String value, String field) {
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("on") || v.equals("true") || v.equals("yes") || v.equals("1")) {
            return Boolean.TRUE;
        }
        if (v.equals("off") || v.equals("false") || v.equals("no") || v.equals("0")) {
            return Boolean.FALSE;
        }
        throw invalidConsent(field);
    }

    public static CaptureRequest readJson(byte[] body) throws IOException {
        requireUtf8(body);
        String email = null;
        Boolean consent = null;
        String phone = null;
        Boolean smsConsent = null;
        boolean sawEmail = false;
        boolean sawPhone = false;
        try {
            JsonParser parser = JSON.createJsonParser(body);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed();
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.getCurrentName();
                JsonToken value = parser.nextToken();
                if ("email".equals(name)) {
                    if (sawEmail) {
                        throw new RejectedRequest(400, "email", "single", "email must be given once");
                    }
                    sawEmail = true;
                    if (value == JsonToken.VALUE_STRING) {
                        email = parser.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw new RejectedRequest(400, "email", "string", "email must be a string");
                    }
                } else if ("consent".equals(name)) {
                    consent = jsonConsent(value, name);
                } else if ("phone".equals(name)) {
                    if (sawPhone) {
                        throw new RejectedRequest(400, "phone", "single", "phone must be given once");
                    }
                    sawPhone = true;
                    if (value == JsonToken.VALUE_STRING) {
                        phone = parser.getText();
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw new RejectedRequest(400, "phone", "string", "phone must be a string");
                    }
                } else if ("smsConsent".equals(name)) {
                    smsConsent = jsonConsent(value, name);
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw malformed();
            }
        } catch (JsonParseException e) {
            throw malformed();
        }
        return new CaptureRequest(email, consent, phone, smsConsent);
    }

    private static Boolean jsonConsent(JsonToken value, String field) {
        if (value == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (value == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        throw invalidConsent(field);
    }

    /**
     * JSON is UTF-8 (RFC 8259). Jackson 1.9 decodes some malformed sequences (an encoded surrogate such as
     * ED A0 80) into characters instead of failing, which then reached the address check: refuse them here.
     */
    private static void requireUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new RejectedRequest(400, "body", "utf8", "request body must be UTF-8 text");
        }
    }

    /** Reads the stream, failing as soon as it is longer than {@code max} bytes. */
    public static byte[] readAtMost(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 1024));
        byte[] chunk = new byte[512];
        int read;
        while ((read = in.read(chunk, 0, Math.min(chunk.length, max + 1 - out.size()))) > 0) {
            out.write(chunk, 0, read);
            if (out.size() > max) {
                throw new RejectedRequest(SC_PAYLOAD_TOO_LARGE, "body", "max_bytes",
                        "request body must be at most " + max + " bytes");
            }
        }
        return out.toByteArray();
    }

    private RejectedRequest tooLarge() {
        return new RejectedRequest(SC_PAYLOAD_TOO_LARGE, "body", "max_bytes",
                "request body must be at most " + maxBodyBytes + " bytes");
    }

    private static RejectedRequest malformed() {
        return new RejectedRequest(400, "body", "json",
                "request body must be a JSON object like {\"email\": \"name@example.com\", \"consent\": true}");
    }

    private static RejectedRequest invalidConsent(String field) {
        return new RejectedRequest(400, field, "boolean", field + " must be true or false");
    }
}
