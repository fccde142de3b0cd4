package io.github.cartrecovery.rendering;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import ognl.OgnlContext;
import ognl.OgnlException;
import ognl.OgnlRuntime;

/**
 * Lets OGNL find every getter of the email model classes on one thread, before render threads share them.
 *
 * <p>Why: Thymeleaf 2.1 evaluates {@code ${c.showTotal}} with OGNL, which keeps the getter it found for each class
 * and property in a static cache. In OGNL 3.0.6 (the version Thymeleaf 2.1.3, and so Broadleaf 3.1, brings) that
 * cache is a plain HashMap read without a lock while another thread adds to it under the lock: a lookup that runs
 * while another thread's first lookup grows the table can get no getter, and the property is reported missing
 * ({@code NoSuchPropertyException}, the email FAILED). OGNL 3.0.12 to 3.1.x swapped the HashMap for
 * ConcurrentHashMaps but check, then act: they still answer "no getter" when another thread caches the same getter
 * between their two checks (seen with 3.0.21 and 3.1.29 when four threads meet a getter at once). The fix for that
 * came with 3.2.16, of the line that requires a MemberAccess for every context, which Thymeleaf 2.1 does not give.
 * Both races need a getter that OGNL is meeting for the first time, so meeting them all here, on one thread, leaves
 * render threads only reading the cache. A store brings its own OGNL (the plugin declares it "provided"), so this
 * works whichever of those versions it has.
 */
final class OgnlWarmUp {

    private static final Log LOG = LogFactory.getLog(OgnlWarmUp.class);

    private OgnlWarmUp() {
    }

    /** Asks OGNL for the getter of every readable property of these classes, so that it caches them now. */
    static void meetGetters(Class<?>... types) {
        OgnlContext context = new OgnlContext();
        for (Class<?> type : types) {
            try {
                for (PropertyDescriptor property : Introspector.getBeanInfo(type).getPropertyDescriptors()) {
                    if (property.getReadMethod() != null) {
                        OgnlRuntime.getGetMethod(context, type, property.getName());
                    }
                }
            } catch (IntrospectionException | OgnlException | RuntimeException e) {
                // Not fatal: OGNL then meets the getters at the first render, as it did before.
                LOG.warn("Could not let OGNL meet the getters of " + type.getName() + " ahead of rendering: " + e);
            }
        }
    }
}
