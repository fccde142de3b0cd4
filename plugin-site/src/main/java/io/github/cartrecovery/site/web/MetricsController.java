package io.github.cartrecovery.site.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import io.github.cartrecovery.metrics.PluginMetrics;
import io.github.cartrecovery.operations.OperationsAccess;

/**
 * {@code GET /cart-recovery/metrics}: this node's meters in the Prometheus text format, for a Prometheus server (or
 * anything that reads that format) allowed by {@link OperationsAccess} (an allowed address or the bearer token).
 * Anyone else gets 404, as if the URL did not exist: the metrics tell business volumes, and a scanner learns nothing.
 * The body is built from memory: no database round trip except the backlog gauge's, which reads at most once per
 * {@code cartrecovery.metrics.backlog-refresh-seconds}.
 */
@Controller
public class MetricsController {

    static final String PATH = "/cart-recovery/metrics";
    /** The Prometheus text exposition format's content type. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PluginMetrics metrics;
    private final OperationsAccess access;

    @Autowired
    public MetricsController(@Qualifier("crMetrics") PluginMetrics metrics,
                             @Qualifier("crOperationsAccess") OperationsAccess access) {
        this.metrics = metrics;
        this.access = access;
    }

    @RequestMapping(value = PATH, method = RequestMethod.GET)
    public void scrape(HttpServletRequest request, HttpServletResponse response) throws IOException {
        LandingResponses.noStore(response);
        if (!access.allowsDetails(request.getRemoteAddr(), request.getHeader("Authorization"))) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
