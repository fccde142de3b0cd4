package io.github.cartrecovery.site.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import javax.servlet.http.HttpServletRequest;

/** Reads an RFC 8058 one-click unsubscribe POST body (for {@link UnsubscribeController}). Stateless. */
public final class OneClickBody {

    private static final int MAX_ONE_CLICK_BODY = 8192;

    private OneClickBody() {
    }

    /**
     * RFC 8058: the POST body is List-Unsubscribe=One-Click, form-urlencoded or multipart/form-data. The
     * container parses a form body into parameters; a body it left alone (multipart, or a container that
     * only parses on demand) is read here, at most 8 KB.
     */
    public static boolean isOneClick(HttpServletRequest request) throws IOException {
        if ("One-Click".equals(request.getParameter("List-Unsubscribe"))) {
            return true;
        }
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        boolean form = type.startsWith("application/x-www-form-urlencoded");
        if (!form && !type.startsWith("multipart/form-data")) {
            return false;
        }
        String body = readBody(request);
        if (form) {
            for (String pair : body.split("&")) {
                if (pair.trim().equals("List-Unsubscribe=One-Click")) {
                    return true;
                }
            }
            return false;
        }
        return multipartSaysOneClick(body);
    }

    /**
     * True when a part named List-Unsubscribe holds the line One-Click. One pass over the lines (CRLF or bare LF),
     * no regular expression: a pattern with a repeated group (one header line per turn) recursed once per line in
     * java.util.regex and a body of short lines overflowed the stack.
     */
    public static boolean multipartSaysOneClick(String body) {
        boolean inItsHeaders = false;
        boolean valueNext = false;
        int start = 0;
        while (start < body.length()) {
            int end = body.indexOf('\n', start);
            if (end < 0) {
                return false; // an unterminated last line is no complete value
            }
            String line = body.substring(start, end > start && body.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            if (valueNext) {
                if (line.equals("One-Click")) {
                    return true;
                }
                valueNext = false;
            } else if (inItsHeaders && line.isEmpty()) {
                inItsHeaders = false;
                valueNext = true;
            } else if (!inItsHeaders && namesListUnsubscribe(line)) {
                inItsHeaders = true;
            }
        }
        return false;
    }

    /** A part header line whose name parameter is List-Unsubscribe (quoted or not; not List-Unsubscribe-Post). */
    private static boolean namesListUnsubscribe(String line) {
        for (String name : new String[] {"name=\"List-Unsubscribe\"", "name=List-Unsubscribe"}) {
            int at = line.indexOf(name);
            if (at >= 0) {
                String rest = line.substring(at + name.length()).trim();
                if (rest.isEmpty() || rest.startsWith(";")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String readBody(HttpServletRequest request) throws IOException {
        InputStream in = request.getInputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        int read;
        while (body.size() < MAX_ONE_CLICK_BODY && (read = in.read(chunk)) > 0) {
            body.write(chunk, 0, read);
        }
        return body.toString("ISO-8859-1");
    }
}
