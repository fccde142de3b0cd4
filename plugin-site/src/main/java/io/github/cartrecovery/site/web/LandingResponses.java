package io.github.cartrecovery.site.web;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.github.cartrecovery.site.restore.LandingPages;
import io.github.cartrecovery.tracking.LinkVisit;

/**
 * How every storefront landing answers: pages that are never cached, never indexed and never leak the
 * token through a Referer; one page for every link that is not valid (tampered, expired, unknown,
 * another purpose), so a response tells nothing about why.
 */
final class LandingResponses {

    static final int INVALID_STATUS = HttpServletResponse.SC_NOT_FOUND;

    private final LandingPages pages;
    private final String homePath;

    LandingResponses(LandingPages pages, String homePath) {
        this.pages = pages;
        this.homePath = homePath == null || homePath.trim().isEmpty() ? "/" : homePath.trim();
    }

    Map<String, Object> variables(HttpServletRequest request) {
        Map<String, Object> variables = new HashMap<String, Object>();
        variables.put("homeUrl", request.getContextPath() + homePath);
        return variables;
    }

    void invalidLink(HttpServletRequest request, HttpServletResponse response) throws IOException {
        page(response, INVALID_STATUS, "link-invalid", variables(request));
    }

    void page(HttpServletResponse response, int status, String page, Map<String, Object> variables) throws IOException {
        byte[] body = pages.render(page, variables).getBytes("UTF-8");
        noStore(response);
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    void redirect(HttpServletResponse response, String location) {
        noStore(response);
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Location", location);
    }

    /** The request as the scanner rules see it (the address stays in memory: LinkVisit is never stored). */
    static LinkVisit visit(HttpServletRequest request, Clock clock) {
        return new LinkVisit(request.getMethod(), request.getHeader("User-Agent"), request.getRemoteAddr(),
                clock.instant());
    }

    static void noStore(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Robots-Tag", "noindex, nofollow");
    }
}
