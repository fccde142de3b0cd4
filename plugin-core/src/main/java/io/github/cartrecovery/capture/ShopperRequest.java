package io.github.cartrecovery.capture;

import javax.servlet.http.HttpServletRequest;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Host edge: what the exclusion rules need to know about the request that changed a cart (client IP,
 * user agent, storefront or admin), read from the current thread's request when there is one.
 */
final class ShopperRequest {

    private ShopperRequest() {
    }

    static String clientIp() {
        HttpServletRequest request = current();
        return request == null ? null : truncate(request.getRemoteAddr(), 45);
    }

    static String userAgent() {
        HttpServletRequest request = current();
        return request == null ? null : truncate(request.getHeader("User-Agent"), 512);
    }

    static CartOrigin origin() {
        BroadleafRequestContext context = BroadleafRequestContext.getBroadleafRequestContext();
        return context != null && Boolean.TRUE.equals(context.getAdmin()) ? CartOrigin.ADMIN : CartOrigin.STOREFRONT;
    }

    private static HttpServletRequest current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes instanceof ServletRequestAttributes ? ((ServletRequestAttributes) attributes).getRequest() : null;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
