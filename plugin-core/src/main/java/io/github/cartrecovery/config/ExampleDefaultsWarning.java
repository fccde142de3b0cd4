package io.github.cartrecovery.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Warns at start-up, once per setting, while a setting that ends up in every recovery email still has its
 * {@code example.com} default: the links' base URL, the sender address and the Message-ID domain (and the
 * List-Unsubscribe mailbox), or the example postal address of the email footer. Mail sent like that points
 * shoppers at somebody else's domain and is likely to be filed as spam, and commercial email without the
 * sender's real postal address breaks CAN-SPAM, so the store should set them before it sends anything
 * (docs/install.md, "Properties"; docs/emails.md).
 */
public class ExampleDefaultsWarning implements InitializingBean {

    /** The shipped default of cartrecovery.email.postal-address, an example no store should send with. */
    public static final String EXAMPLE_POSTAL_ADDRESS = "1 Example Street, Springfield, IL 62701, USA";

    private final Map<String, String> settings;
    private final Log log;

    /** @param settings property name to its current value, in the order to report them */
    public ExampleDefaultsWarning(Map<String, String> settings) {
        this(settings, LogFactory.getLog(ExampleDefaultsWarning.class));
    }

    ExampleDefaultsWarning(Map<String, String> settings, Log log) {
        this.settings = new LinkedHashMap<String, String>(settings);
        this.log = log;
    }

    @Override
    public void afterPropertiesSet() {
        for (String warning : warnings()) {
            log.warn(warning);
        }
    }

    /** One sentence per setting still on an example.com value; empty when all are set. */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<String>();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            if (isExample(setting.getValue())) {
                warnings.add("Cart Recovery: " + setting.getKey() + " is still the example default (" + setting.getValue()
                        + "); set it to your store's own value in your runtime properties before recovery emails go out"
                        + " (docs/install.md, \"Properties\")");
            }
        }
        return Collections.unmodifiableList(warnings);
    }

    private static boolean isExample(String value) {
        if (value == null) {
            return false;
        }
        if (value.trim().equals(EXAMPLE_POSTAL_ADDRESS)) {
            return true;
        }
        String lower = value.trim().toLowerCase(Locale.ROOT);
        // example.com and its sub-domains, as a host, a mail domain or a Message-ID domain
        return lower.matches("(?s).*(^|[@./])example\\.com($|[/:?#>].*)");
    }
}
