package io.github.cartrecovery.admin.web;

import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

/**
 * Reads the values an operator typed, exactly as sent. A Broadleaf 3.1 admin (Heat Clinic's, and the demo's) runs
 * Broadleaf's {@code blJSCompatibilityRequestFilter}, whose request wrapper turns every {@code "__"} into {@code "."} in
 * what {@code getParameter} and {@code getParameterMap} return, values included ("Tea__Time" would be saved as
 * "Tea.Time"). Its {@code getParameterValues} hands back the values untouched, so the screens read through it.
 */
final class FormValues {

    private FormValues() {
    }

    /** The first value of the parameter as sent, or null when it was not sent. */
    static String one(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    /** Every parameter with its values as sent (the plugin's own field names hold no "__"). */
    static Map<String, String[]> all(HttpServletRequest request) {
        Map<String, String[]> all = new LinkedHashMap<String, String[]>();
        for (Enumeration<?> names = request.getParameterNames(); names.hasMoreElements();) {
            String name = (String) names.nextElement();
            all.put(name, request.getParameterValues(name));
        }
        return all;
    }
}
