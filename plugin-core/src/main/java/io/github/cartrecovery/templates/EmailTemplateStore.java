package io.github.cartrecovery.templates;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.rendering.EditedCopy;
import io.github.cartrecovery.rendering.EmailModel;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.MergeFields;
import io.github.cartrecovery.rendering.MergeText;
import io.github.cartrecovery.rendering.SampleCart;

/**
 * The saved words of the layout-based email templates (table CR_EMAIL_TEMPLATE_VERSION, its only writer): every save and
 * every revert is a new version, numbered per template and locale, never changed afterwards. A save is checked first
 * ({@link #check}): the fields must parse, name only known merge fields and render the whole email against sample carts
 * (with and without a first name and a coupon); otherwise nothing is written and the problems name their fields.
 * Delivery reads the newest version for each message ({@link #newest}) inside its own transaction, so a save on one node
 * is used by the next message on every node, without a restart. Thread-safe.
 */
public class EmailTemplateStore {

    private static final Log LOG = LogFactory.getLog(EmailTemplateStore.class);
    private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
    /** The longest text per field: the column sizes of 1.2/035-email-templates.xml. */
    static final Map<String, Integer> MAX_LENGTH;
    static {
        Map<String, Integer> max = new LinkedHashMap<String, Integer>();
        max.put(EditedCopy.SUBJECT, 500);
        max.put(EditedCopy.PREHEADER, 500);
        max.put(EditedCopy.HEADING, 500);
        max.put(EditedCopy.GREETING, 500);
        max.put(EditedCopy.INTRO, 4000);
        max.put(EditedCopy.BUTTON, 255);
        MAX_LENGTH = Collections.unmodifiableMap(max);
    }
    private static final String COLUMNS = "ID, TEMPLATE_NAME, LOCALE_CODE, VERSION_NO, SUBJECT, PREHEADER, HEADING, GREETING, "
            + "INTRO, BUTTON, REVERTED_TO, CREATED_BY, CREATED_AT";
    private static final int SAVE_ATTEMPTS = 3;
    private static final int CACHE_LIMIT = 1000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final EmailRenderer renderer;
    private final Clock clock;
    /** Versions never change: their compiled words are kept by id. */
    private final ConcurrentMap<Long, EditedCopy> compiled = new ConcurrentHashMap<Long, EditedCopy>();

    public EmailTemplateStore(DataSource dataSource, PlatformTransactionManager transactionManager, EmailRenderer renderer,
                              Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.renderer = renderer;
        this.clock = clock;
    }

    /** True when the template's words can be edited: it is layout-based (it has classpath copy). */
    public boolean editable(String template) {
        return template != null && renderer.editable(template);
    }

    /** "de-at" -> "de_AT"; null when it is not a locale code. */
    public static String localeCode(String code) {
        if (code == null) {
            return null;
        }
        String[] parts = code.trim().replace('-', '_').split("_");
        String normal = parts[0].toLowerCase(Locale.ROOT) + (parts.length > 1 ? "_" + parts[1].toUpperCase(Locale.ROOT) : "");
        return parts.length <= 2 && LOCALE.matcher(normal).matches() ? normal : null;
    }

    /**
     * The newest saved words a cart in {@code cartLocaleCode} gets, read with the caller's {@code jdbc} (delivery's
     * prepare transaction): its locale's ("de_AT"), else its language's ("de"), else those of the language its classpath
     * copy falls back to ("en" for a language without copy). Null: the classpath copy. A saved version that no longer
     * compiles (a merge field a later plugin version dropped) is logged and the classpath copy used instead.
     */
    public EditedCopy newest(JdbcTemplate jdbc, String template, String cartLocaleCode) {
        if (template == null || !renderer.editable(template)) {
            return null;
        }
        Set<String> candidates = new LinkedHashSet<String>();
        String code = localeCode(cartLocaleCode);
        if (code != null) {
            candidates.add(code);
            candidates.add(code.split("_")[0]);
        }
        candidates.add(renderer.copyLanguage(template, cartLocaleCode));
        List<String> order = new ArrayList<String>(candidates);
        List<Object> args = new ArrayList<Object>();
        args.add(template);
        StringBuilder in = new StringBuilder();
        for (String candidate : order) {
            in.append(in.length() == 0 ? "?" : ", ?");
            args.add(candidate);
        }
        List<TemplateVersion> rows = jdbc.query("SELECT " + COLUMNS + " FROM CR_EMAIL_TEMPLATE_VERSION v WHERE v.TEMPLATE_NAME = ? "
                + "AND v.LOCALE_CODE IN (" + in + ") AND v.VERSION_NO = (SELECT MAX(w.VERSION_NO) FROM CR_EMAIL_TEMPLATE_VERSION w "
                + "WHERE w.TEMPLATE_NAME = v.TEMPLATE_NAME AND w.LOCALE_CODE = v.LOCALE_CODE)", ROW, args.toArray());
        TemplateVersion best = null;
        for (TemplateVersion row : rows) {
            if (best == null || order.indexOf(row.getLocaleCode()) < order.indexOf(best.getLocaleCode())) {
                best = row;
            }
        }
        return best == null ? null : compiled(best);
    }

    /** {@link #newest(JdbcTemplate, String, String)} outside a transaction (previews). */
    public EditedCopy newest(String template, String cartLocaleCode) {
        return newest(jdbc, template, cartLocaleCode);
    }

    private EditedCopy compiled(TemplateVersion version) {
        EditedCopy copy = compiled.get(version.getId());
        if (copy == null) {
            try {
                copy = EditedCopy.compile(version.getId(), version.getTexts());
            } catch (IllegalArgumentException e) {
                LOG.warn("Cart Recovery: email template " + version.getTemplate() + " (" + version.getLocaleCode()
                        + ") version " + version.getVersionNo() + " cannot be used (" + e.getMessage()
                        + "); its classpath copy is sent instead. Save a corrected version in the admin.");
                return null;
            }
            if (compiled.size() > CACHE_LIMIT) {
                compiled.clear();
            }
            compiled.put(version.getId(), copy);
        }
        return copy;
    }

    /** The template's versions in a locale, newest first. */
    public List<TemplateVersion> versions(String template, String localeCode) {
        return jdbc.query("SELECT " + COLUMNS + " FROM CR_EMAIL_TEMPLATE_VERSION WHERE TEMPLATE_NAME = ? AND LOCALE_CODE = ? "
                + "ORDER BY VERSION_NO DESC", ROW, template, localeCode);
    }

    /** The newest version of the template in exactly this locale, null when there is none. */
    public TemplateVersion latest(String template, String localeCode) {
        List<TemplateVersion> versions = versions(template, localeCode);
        return versions.isEmpty() ? null : versions.get(0);
    }

    public TemplateVersion version(long id) {
        List<TemplateVersion> rows = jdbc.query("SELECT " + COLUMNS + " FROM CR_EMAIL_TEMPLATE_VERSION WHERE ID = ?", ROW, id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Template name -> the locales it has saved versions in. */
    public Map<String, List<String>> savedLocales() {
        final Map<String, List<String>> locales = new LinkedHashMap<String, List<String>>();
        jdbc.query("SELECT DISTINCT TEMPLATE_NAME, LOCALE_CODE FROM CR_EMAIL_TEMPLATE_VERSION ORDER BY TEMPLATE_NAME, LOCALE_CODE",
                (ResultSet rs) -> {
                    String name = rs.getString(1);
                    if (!locales.containsKey(name)) {
                        locales.put(name, new ArrayList<String>());
                    }
                    locales.get(name).add(rs.getString(2));
                });
        return locales;
    }

    /** The editor's starting words when a locale has no saved version: the classpath copy's. */
    public Map<String, String> defaults(String template, String localeCode) {
        Map<String, String> words = renderer.copyWords(template, localeCode);
        Map<String, String> texts = new LinkedHashMap<String, String>();
        for (String field : EditedCopy.FIELDS) {
            boolean own = !EditedCopy.SUBJECT.equals(field) && !EditedCopy.GREETING.equals(field);
            texts.put(field, own && words.containsKey(field) ? words.get(field) : "");
        }
        return texts;
    }

    /**
     * Checks words before a save or a preview: the template must be layout-based, the locale a locale code, each field
     * within its length, parse and name only known merge fields, and the email must render against the sample carts.
     *
     * @return the compiled draft
     * @throws EditedCopy.InvalidCopyException naming each field's problem ("template" and "locale" for those)
     */
    public EditedCopy check(String template, String localeCode, Map<String, String> texts) {
        Map<String, String> problems = new LinkedHashMap<String, String>();
        if (template == null || !renderer.editable(template)) {
            problems.put("template", "template: '" + template + "' is not a layout-based email template "
                    + "(its words would be in cartrecovery/email/copy/" + template + ".properties)");
        }
        if (localeCode(localeCode) == null) {
            problems.put("locale", "locale: '" + localeCode + "' is not a locale code like en, de or de_AT");
        }
        for (Map.Entry<String, Integer> max : MAX_LENGTH.entrySet()) {
            String text = texts.get(max.getKey());
            if (text != null && text.length() > max.getValue()) {
                problems.put(max.getKey(), max.getKey() + ": at most " + max.getValue() + " characters (was " + text.length() + ")");
            }
        }
        EditedCopy draft = null;
        try {
            draft = EditedCopy.compile(null, texts);
        } catch (EditedCopy.InvalidCopyException e) {
            for (Map.Entry<String, String> problem : e.getProblems().entrySet()) {
                if (!problems.containsKey(problem.getKey())) {
                    problems.put(problem.getKey(), problem.getValue());
                }
            }
        }
        if (problems.isEmpty()) {
            renderSamples(template, localeCode(localeCode), draft, texts, problems);
        }
        if (!problems.isEmpty()) {
            throw new EditedCopy.InvalidCopyException(problems);
        }
        return draft;
    }

    /** Renders the whole email for a shopper with and without a first name, with and without a coupon. */
    private void renderSamples(String template, String localeCode, EditedCopy draft, Map<String, String> texts,
                               Map<String, String> problems) {
        IssuedCoupon coupon = new IssuedCoupon("CR-SAMPLE-CODE", "10%", clock.instant().plusSeconds(7 * 86400), "in 7 days");
        for (String firstName : Arrays.asList("Alex", null)) {
            for (IssuedCoupon withCoupon : Arrays.asList(coupon, null)) {
                EmailModel model = new EmailModel("Sample subject", SampleCart.of(firstName, localeCode, "USD"),
                        new SampleLinks(), withCoupon);
                try {
                    renderer.render(template, model, draft);
                } catch (RuntimeException e) {
                    String field = failingField(texts, model);
                    problems.put(field, field + ": does not render against the sample cart: " + e.getMessage());
                    return;
                }
            }
        }
    }

    private String failingField(Map<String, String> texts, EmailModel model) {
        for (String field : EditedCopy.FIELDS) {
            try {
                MergeText.compile(texts.get(field)).render(MergeFields.of(model, renderer.getLayout()));
            } catch (RuntimeException e) {
                return field;
            }
        }
        return "template";
    }

    /**
     * Saves the words as the template's next version in the locale, after {@link #check}.
     *
     * @throws EditedCopy.InvalidCopyException when the check fails; nothing is written then
     */
    public TemplateVersion save(String template, String localeCode, Map<String, String> texts, String user) {
        check(template, localeCode, texts);
        return insert(template, localeCode(localeCode), texts, null, user);
    }

    /** A new version with the words of an earlier one (checked again: the merge fields may have changed since). */
    public TemplateVersion revert(long versionId, String user) {
        TemplateVersion earlier = version(versionId);
        if (earlier == null) {
            throw new IllegalArgumentException("no template version with id " + versionId);
        }
        check(earlier.getTemplate(), earlier.getLocaleCode(), earlier.getTexts());
        return insert(earlier.getTemplate(), earlier.getLocaleCode(), earlier.getTexts(), earlier.getVersionNo(), user);
    }

    private TemplateVersion insert(final String template, final String localeCode, final Map<String, String> texts,
                                   final Integer revertedTo, final String user) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(new TransactionCallback<TemplateVersion>() {
                    @Override
                    public TemplateVersion doInTransaction(TransactionStatus status) {
                        Integer last = jdbc.queryForObject("SELECT MAX(VERSION_NO) FROM CR_EMAIL_TEMPLATE_VERSION "
                                + "WHERE TEMPLATE_NAME = ? AND LOCALE_CODE = ?", Integer.class, template, localeCode);
                        int next = last == null ? 1 : last + 1;
                        jdbc.update("INSERT INTO CR_EMAIL_TEMPLATE_VERSION (TEMPLATE_NAME, LOCALE_CODE, VERSION_NO, SUBJECT, "
                                + "PREHEADER, HEADING, GREETING, INTRO, BUTTON, REVERTED_TO, CREATED_BY, CREATED_AT) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", template, localeCode, next,
                                blankToNull(texts.get(EditedCopy.SUBJECT)), blankToNull(texts.get(EditedCopy.PREHEADER)),
                                texts.get(EditedCopy.HEADING), blankToNull(texts.get(EditedCopy.GREETING)),
                                texts.get(EditedCopy.INTRO), texts.get(EditedCopy.BUTTON), revertedTo,
                                user == null || user.trim().isEmpty() ? "unknown" : user, Timestamp.from(clock.instant()));
                        return jdbc.queryForObject("SELECT " + COLUMNS + " FROM CR_EMAIL_TEMPLATE_VERSION WHERE TEMPLATE_NAME = ? "
                                + "AND LOCALE_CODE = ? AND VERSION_NO = ?", ROW, template, localeCode, next);
                    }
                });
            } catch (DuplicateKeyException e) {
                if (attempt == SAVE_ATTEMPTS) { // another save took the number each time
                    throw new IllegalStateException("template " + template + " (" + localeCode
                            + ") is being saved by someone else right now; save again", e);
                }
            }
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.trim().isEmpty() ? null : text;
    }

    private static final RowMapper<TemplateVersion> ROW = new RowMapper<TemplateVersion>() {
        @Override
        public TemplateVersion mapRow(ResultSet rs, int rowNum) throws SQLException {
            Map<String, String> texts = new LinkedHashMap<String, String>();
            for (String field : EditedCopy.FIELDS) {
                String text = rs.getString(field.toUpperCase(Locale.ROOT));
                texts.put(field, text == null ? "" : text);
            }
            int revertedTo = rs.getInt("REVERTED_TO");
            Integer reverted = rs.wasNull() ? null : revertedTo;
            Timestamp created = rs.getTimestamp("CREATED_AT");
            return new TemplateVersion(rs.getLong("ID"), rs.getString("TEMPLATE_NAME"), rs.getString("LOCALE_CODE"),
                    rs.getInt("VERSION_NO"), texts, reverted, rs.getString("CREATED_BY"),
                    created == null ? Instant.EPOCH : created.toInstant());
        }
    };

    /** Links for sample renderings: example URLs, nothing tracked. */
    private static final class SampleLinks implements io.github.cartrecovery.rendering.TrackedLinks {
        @Override
        public String getRestoreUrl() { return "https://shop.example.com/cart/restore/sample"; }
        @Override
        public String getUnsubscribeUrl() { return "https://shop.example.com/unsubscribe/sample"; }
        @Override
        public String getOpenPixelUrl() { return null; }
        @Override
        public String click(String target) { return target; }
    }
}
