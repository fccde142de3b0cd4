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

import io.github.cartrecovery.operations.Health;
import io.github.cartrecovery.operations.HealthReport;
import io.github.cartrecovery.operations.OperationsAccess;

/**
 * {@code GET /cart-recovery/health}: the plugin's health on this node as JSON, HTTP 200 when every check is UP and 503
 * when one is DOWN, for a monitor or a load balancer. Anyone gets the bare status ({@code {"status":"UP"}}); a caller
 * that {@code crOperationsAccess} allows (an allowed address, or the bearer token) gets every check with its figures.
 * The report is cached for {@code cartrecovery.health.cache-seconds} ({@link Health}), never stored by caches on the way.
 */
@Controller
public class HealthController {

    public static final String PATH = "/cart-recovery/health";

    private final Health health;
    private final OperationsAccess access;

    @Autowired
    public HealthController(@Qualifier("crHealth") Health health, @Qualifier("crOperationsAccess") OperationsAccess access) {
        this.health = health;
        this.access = access;
    }

    @RequestMapping(value = PATH, method = {RequestMethod.GET, RequestMethod.HEAD})
    public void health(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthReport report = health.report();
        boolean details = access.allowsDetails(request.getRemoteAddr(), request.getHeader("Authorization"));
        byte[] body = report.toJson(details).getBytes(StandardCharsets.UTF_8);
        response.setStatus(report.isUp() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
