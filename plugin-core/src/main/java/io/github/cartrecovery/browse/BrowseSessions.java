package io.github.cartrecovery.browse;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallbackWithoutResult;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.capture.ThrottledLog;
import io.github.cartrecovery.database.SqlFailures;

/**
 * The one writer of CR_BROWSE_SESSION and CR_BROWSE_PRODUCT. A batch of views is written in one transaction: each
 * address's open (BROWSING) session gets the views, or a new session is opened. When the database refuses the batch,
 * each address is written alone, twice (the second try absorbs another node opening the same session first:
 * UQ_CR_BROWSE_OPEN_EMAIL); an address refused twice is dropped with a log line (a product view is not worth holding
 * up the others). When the database is unavailable ({@link SqlFailures#isTransient}) nothing is dropped: the views
 * come back to the caller. Thread-safe.
 * <pre>
 * BROWSING -take(idle)-> PLANNED (messages planned) | EXCLUDED (with the reason)
 * </pre>
 */
public class BrowseSessions {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ThrottledLog log;

    public BrowseSessions(DataSource dataSource, PlatformTransactionManager transactionManager, ThrottledLog log) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.log = log;
    }

    /** Writes the views; returns those not written because the database was unavailable (empty otherwise). */
    public List<BrowseView> record(List<BrowseView> views) {
        if (views.isEmpty()) {
            return Collections.emptyList();
        }
        final Map<String, List<BrowseView>> byAddress = byAddress(views);
        try {
            inTransaction(new ArrayList<List<BrowseView>>(byAddress.values()));
            return Collections.emptyList();
        } catch (RuntimeException batchFailure) {
            if (SqlFailures.isTransient(batchFailure)) {
                log.warn("browse-unavailable:" + SqlFailures.kind(batchFailure), "Cart Recovery could not write "
                        + views.size() + " product views (database unavailable: " + SqlFailures.reason(batchFailure)
                        + "); will retry", batchFailure);
                return views;
            }
        }
        List<BrowseView> unwritten = new ArrayList<BrowseView>();
        for (List<BrowseView> ofAddress : byAddress.values()) {
            RuntimeException failure = null;
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    inTransaction(Collections.singletonList(ofAddress));
                    failure = null;
                    break;
                } catch (RuntimeException e) {
                    failure = e;
                    if (SqlFailures.isTransient(e)) {
                        break;
                    }
                }
            }
            if (failure != null && SqlFailures.isTransient(failure)) {
                unwritten.addAll(ofAddress);
            } else if (failure != null) {
                log.warn("browse-refused:" + SqlFailures.kind(failure), "Cart Recovery could not record "
                        + ofAddress.size() + " product views of one shopper (" + SqlFailures.reason(failure)
                        + "); dropped, other shoppers are not affected", null);
            }
        }
        return unwritten;
    }

    /** The id of the address's BROWSING session, or null (UQ_CR_BROWSE_OPEN_EMAIL). */
    public Long openSession(String email) {
        List<Long> ids = jdbc.queryForList("SELECT ID FROM CR_BROWSE_SESSION WHERE OPEN_EMAIL = ?", Long.class, email);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * Ends a BROWSING session idle since {@code idleBefore} as PLANNED, if it still is: false when another node took it
     * or a view arrived meanwhile. The caller's transaction.
     */
    boolean take(long sessionId, Instant idleBefore, Instant now) {
        return jdbc.update("UPDATE CR_BROWSE_SESSION SET STATUS = 'PLANNED', OPEN_EMAIL = NULL, STATUS_CHANGED_AT = ? "
                + "WHERE ID = ? AND STATUS = 'BROWSING' AND LAST_VIEW_AT <= ?", ts(now), sessionId, ts(idleBefore)) == 1;
    }

    /** A taken session that gets no message: EXCLUDED with the reason. The caller's transaction. */
    void exclude(long sessionId, String reason, Instant now) {
        jdbc.update("UPDATE CR_BROWSE_SESSION SET STATUS = 'EXCLUDED', EXCLUSION_REASON = ?, STATUS_CHANGED_AT = ? "
                + "WHERE ID = ?", reason.length() > 255 ? reason.substring(0, 255) : reason, ts(now), sessionId);
    }

    private void inTransaction(final List<List<BrowseView>> addresses) {
        transactions.execute(new TransactionCallbackWithoutResult() {
            @Override
            protected void doInTransactionWithoutResult(TransactionStatus status) {
                for (List<BrowseView> ofAddress : addresses) {
                    write(ofAddress);
                }
            }
        });
    }

    private void write(List<BrowseView> views) {
        BrowseView latest = views.get(0);
        Instant first = latest.getViewedAt();
        for (BrowseView view : views) {
            latest = view.getViewedAt().isAfter(latest.getViewedAt()) ? view : latest;
            first = view.getViewedAt().isBefore(first) ? view.getViewedAt() : first;
        }
        String email = latest.getEmail();
        Long sessionId = openSession(email);
        if (sessionId != null && jdbc.update("UPDATE CR_BROWSE_SESSION SET LAST_VIEW_AT = CASE WHEN LAST_VIEW_AT < ? "
                + "THEN ? ELSE LAST_VIEW_AT END, CUSTOMER_ID = COALESCE(?, CUSTOMER_ID), "
                + "LOCALE_CODE = COALESCE(?, LOCALE_CODE), CURRENCY_CODE = COALESCE(?, CURRENCY_CODE) "
                + "WHERE ID = ? AND STATUS = 'BROWSING'", ts(latest.getViewedAt()), ts(latest.getViewedAt()),
                latest.getCustomerId(), latest.getLocaleCode(), latest.getCurrencyCode(), sessionId) == 0) {
            sessionId = null; // the planner took it meanwhile: these views start the next session
        }
        if (sessionId == null) {
            // a node opening the same address's session at once fails here on UQ_CR_BROWSE_OPEN_EMAIL; its retry updates
            jdbc.update("INSERT INTO CR_BROWSE_SESSION (EMAIL, OPEN_EMAIL, CUSTOMER_ID, LOCALE_CODE, CURRENCY_CODE, STATUS, "
                    + "FIRST_VIEW_AT, LAST_VIEW_AT, STATUS_CHANGED_AT) VALUES (?, ?, ?, ?, ?, 'BROWSING', ?, ?, ?)",
                    email, email, latest.getCustomerId(), latest.getLocaleCode(), latest.getCurrencyCode(), ts(first),
                    ts(latest.getViewedAt()), ts(first));
            sessionId = openSession(email);
        }
        for (BrowseView view : views) {
            if (jdbc.update("UPDATE CR_BROWSE_PRODUCT SET VIEWS = VIEWS + ?, LAST_VIEWED_AT = CASE WHEN LAST_VIEWED_AT < ? "
                    + "THEN ? ELSE LAST_VIEWED_AT END WHERE SESSION_ID = ? AND PRODUCT_ID = ?", view.getViews(),
                    ts(view.getViewedAt()), ts(view.getViewedAt()), sessionId, view.getProductId()) == 0) {
                jdbc.update("INSERT INTO CR_BROWSE_PRODUCT (SESSION_ID, PRODUCT_ID, VIEWS, LAST_VIEWED_AT) VALUES (?, ?, ?, ?)",
                        sessionId, view.getProductId(), view.getViews(), ts(view.getViewedAt()));
            }
        }
    }

    private static Map<String, List<BrowseView>> byAddress(List<BrowseView> views) {
        Map<String, List<BrowseView>> byAddress = new LinkedHashMap<String, List<BrowseView>>();
        for (BrowseView view : views) {
            List<BrowseView> its = byAddress.get(view.getEmail());
            if (its == null) {
                its = new ArrayList<BrowseView>();
                byAddress.put(view.getEmail(), its);
            }
            its.add(view);
        }
        return byAddress;
    }

    static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
