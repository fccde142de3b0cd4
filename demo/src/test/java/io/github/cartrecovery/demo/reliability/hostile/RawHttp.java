package io.github.cartrecovery.demo.reliability.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for bytes an HTTP client refuses to send (CR/LF in a header, invalid UTF-8 in the
 * request line, a body longer than its Content-Length, a chunked body of megabytes). Every request is sent with
 * {@code Connection: close} and the answer read to the end of the stream (de-chunked when chunked).
 */
final class RawHttp {

    private static final int READ_TIMEOUT_MS = 30_000;
    private static final int MAX_RESPONSE = 4 << 20;

    private RawHttp() {
    }

    /** The answer to a request; {@code status} -1 when the server closed the connection without one. */
    record Response(int status, List<String[]> headers, byte[] body, String rawHead) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        @Override
        public String toString() {
            String text = text();
            return status + " " + rawHead.replace("\r\n", " | ") + " body: " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    /** Sends head (lines joined as given; the caller decides every byte) and body, then reads the answer. */
    static Response exchange(int port, byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head);
                if (body != null) {
                    // in slices: the server may answer (413, 400) and close before it has read everything
                    for (int offset = 0; offset < body.length; offset += 65536) {
                        out.write(body, offset, Math.min(65536, body.length - offset));
                    }
                }
                out.flush();
                socket.shutdownOutput();
            } catch (SocketException e) {
                // the server stopped reading (it refused early); its answer, if any, is still in the stream
            }
            return read(socket.getInputStream());
        }
    }

    /** A request with the given request line and headers (each exactly as given), CRLF-terminated, and a body. */
    static Response request(int port, String requestLine, List<String> headers, byte[] body) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(requestLine.getBytes(StandardCharsets.ISO_8859_1));
        head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (String header : headers) {
            head.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
            head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return exchange(port, head.toByteArray(), body);
    }

    /** GET of a raw target (bytes sent as ISO-8859-1, so a char 0xFF is the byte 0xFF). */
    static Response get(int port, String target, String... extraHeaders) throws IOException {
        List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1:" + port, "User-Agent: " + Shopper.USER_AGENT,
                "Accept: text/html,*/*", "Connection: close"));
        headers.addAll(List.of(extraHeaders));
        return request(port, "GET " + target + " HTTP/1.1", headers, null);
    }

    /** POST of a body with its Content-Length. */
    static Response post(int port, String target, String contentType, byte[] body, String... extraHeaders) throws IOException {
        List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1:" + port, "User-Agent: " + Shopper.USER_AGENT,
                "Content-Type: " + contentType, "Content-Length: " + body.length, "Connection: close"));
        headers.addAll(List.of(extraHeaders));
        return request(port, "POST " + target + " HTTP/1.1", headers, body);
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[16384];
        try {
            int read;
            while ((read = in.read(chunk)) > 0 && all.size() < MAX_RESPONSE) {
                all.write(chunk, 0, read);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no complete answer within " + READ_TIMEOUT_MS + " ms (got " + all.size() + " bytes)", e);
        } catch (SocketException e) {
            // connection reset after the answer: keep what arrived
        }
        byte[] bytes = all.toByteArray();
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (bytes.length == 0 || end < 0) {
            return new Response(-1, List.of(), bytes, new String(bytes, StandardCharsets.ISO_8859_1));
        }
        String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n", -1);
        String[] statusLine = lines[0].split(" ", 3);
        int status = statusLine.length > 1 && statusLine[0].startsWith("HTTP/") ? Integer.parseInt(statusLine[1]) : -1;
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(colon < 0 ? new String[] {lines[i], ""} : new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase("Transfer-Encoding") && header[1].toLowerCase(Locale.ROOT).contains("chunked")) {
                body = dechunk(body);
            }
        }
        return new Response(status, headers, body, head);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, "\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            if (lineEnd < 0) {
                break;
            }
            String size = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int length = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (length == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(length, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + length + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle, 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
