package io.github.cartrecovery.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import javax.servlet.RequestDispatcher;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.common.exception.ServiceException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.springframework.security.web.firewall.RequestRejectedException;

/**
 * The demo's error pages: the status and its reason, nothing else. Jetty's default page shows the exception's
 * class, message and stack trace to whoever caused it (a bad query string, a POST without Broadleaf's CSRF
 * token); a store shows none of that. Two refusals of the host's security filters, which Spring Security 3.1
 * and Broadleaf 3.1 throw as plain exceptions (a 500), answer as what they are: a path Spring Security's
 * firewall rejects ({@code /..;/}) is a 400, a POST whose CSRF token does not match is a 403.
 */
final class PlainErrorPages extends ErrorHandler {

    PlainErrorPages() {
        setShowStacks(false);
        setShowServlet(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        int status = refusedByTheHost((Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION), code);
        String reason = HttpStatus.getMessage(status);
        byte[] page = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + status + " " + reason
                + "</title></head><body><h1>" + status + " " + reason + "</h1><p><a href=\"/\">Back to the store</a></p></body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
        baseRequest.setHandled(true);
        response.setStatus(status);
        response.setContentType("text/html;charset=utf-8");
        response.setContentLength(page.length);
        OutputStream out = response.getOutputStream();
        out.write(page);
        out.flush();
    }

    static int refusedByTheHost(Throwable failure, int status) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof RequestRejectedException) {
                return HttpServletResponse.SC_BAD_REQUEST;
            }
            // Spring's UrlPathHelper (UriUtils.decode) on a request path with an invalid %-sequence
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null
                    && cause.getMessage().startsWith("Invalid encoded sequence")) {
                return HttpServletResponse.SC_BAD_REQUEST;
            }
            if (cause instanceof ServiceException && cause.getMessage() != null && cause.getMessage().startsWith("XSRF token mismatch")) {
                return HttpServletResponse.SC_FORBIDDEN;
            }
        }
        return status;
    }
}
