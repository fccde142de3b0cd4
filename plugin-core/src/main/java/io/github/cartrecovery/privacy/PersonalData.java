package io.github.cartrecovery.privacy;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Clock;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.transaction.PlatformTransactionManager;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * The plugin's answer to data-subject requests (GDPR articles 15 and 17, CCPA "know" and "delete"), for the admin
 * screen and for a store's own privacy tooling: bean {@code crPersonalData}.
 * <pre>
 * PersonalData personalData = (PersonalData) context.getBean("crPersonalData");
 * String json = personalData.export("Jane.Doe@example.com");   // everything held about the address
 * ErasureSummary done = personalData.erase("jane.doe@example.com"); // rows changed per table
 * </pre>
 * Addresses match case-insensitively (trimmed, lower-cased: {@link ShopperEmail}). Bad input throws
 * IllegalArgumentException naming the field. Both are safe on any node and at any time; an erasure is one
 * transaction and repeating it changes nothing. It covers the plugin's CR_ tables only: Broadleaf's own customer,
 * order and address rows are the store's to erase. Logs name no address (only counts).
 */
public class PersonalData {

    private static final Log LOG = LogFactory.getLog(PersonalData.class);

    private final PersonalDataExport export;
    private final PersonalDataErasure erasure;

    public PersonalData(DataSource dataSource, PlatformTransactionManager transactionManager,
                        ErasedSuppressions erasedSuppressions, Clock clock) {
        this.export = new PersonalDataExport(dataSource, erasedSuppressions, clock);
        this.erasure = new PersonalDataErasure(dataSource, transactionManager, erasedSuppressions, clock);
    }

    /** Where erasure counts the messages it stops (skipped, reason ERASED). */
    public void setMetrics(PluginMetrics metrics) {
        erasure.setMetrics(metrics);
    }

    /** Everything held about the address, as a JSON document (see {@link PersonalDataExport}). */
    public String export(String email) {
        StringWriter json = new StringWriter();
        try {
            export(email, json);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        return json.toString();
    }

    /** The same, streamed (the admin download writes it straight to the response). */
    public void export(String email, Writer out) throws IOException {
        export.write(ShopperEmail.normalise(email), out);
    }

    /** Erases the address from every plugin table; see {@link PersonalDataErasure} for what that means. */
    public ErasureSummary erase(String email) {
        ErasureSummary summary = erasure.erase(ShopperEmail.normalise(email));
        LOG.info("Personal data erased: " + summary.getTotalRows() + " rows " + summary.getRowsPerTable()
                + ", " + summary.getMessagesStopped() + " messages stopped, " + summary.getMessagesInFlight() + " in flight");
        return summary;
    }
}
