package io.github.cartrecovery.rendering;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The email layout as the operator sets it in the admin (table CR_EMAIL_LAYOUT, one row): each value set there
 * replaces its {@code cartrecovery.email.*} property, each value left empty keeps the property. Every node reads the
 * row again at most every {@code refreshMillis} (a saved change reaches every node's next emails within that time,
 * and the node that saved it at once), so the renderer costs no query per message. A save is checked by building the
 * layout it would give: nothing is written when a value is refused, and the problem names its field.
 */
public class EmailLayoutSettings implements EmailLayoutSource {

    /** The fields, by the property each one replaces (the admin form's names). */
    public static final String STORE_NAME = "cartrecovery.email.store-name";
    public static final String LOGO_URL = "cartrecovery.email.logo-url";
    public static final String BRAND_COLOUR = "cartrecovery.email.brand-colour";
    public static final String POSTAL_ADDRESS = "cartrecovery.email.postal-address";
    public static final String WHY_LINE = "cartrecovery.email.why-line";
    public static final String PLACEHOLDER_IMAGE_URL = "cartrecovery.email.placeholder-image-url";
    public static final String RECOMMENDATIONS = "cartrecovery.email.recommendations";

    /** Column sizes of CR_EMAIL_LAYOUT (Liquibase 1.2/029). */
    private static final Map<String, Integer> MAX_LENGTH;
    static {
        Map<String, Integer> max = new LinkedHashMap<String, Integer>();
        max.put(STORE_NAME, 255);
        max.put(LOGO_URL, 1000);
        max.put(BRAND_COLOUR, 7);
        max.put(POSTAL_ADDRESS, 500);
        max.put(WHY_LINE, 500);
        max.put(PLACEHOLDER_IMAGE_URL, 1000);
        max.put(RECOMMENDATIONS, 2);
        MAX_LENGTH = Collections.unmodifiableMap(max);
    }

    private final JdbcTemplate jdbc;
    private final EmailLayout defaults;
    private final Clock clock;
    private final long refreshMillis;
    private volatile Cached cached;

    /**
     * @param defaults      the layout the properties give (bean crEmailLayout)
     * @param refreshMillis how long a node keeps the row it read before it reads it again
     */
    public EmailLayoutSettings(DataSource dataSource, EmailLayout defaults, Clock clock, long refreshMillis) {
        if (refreshMillis < 0) {
            throw new IllegalArgumentException("refreshMillis may not be negative (was " + refreshMillis + ")");
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.defaults = defaults;
        this.clock = clock;
        this.refreshMillis = refreshMillis;
    }

    /** The layout emails use now: the saved values over the properties. */
    @Override
    public EmailLayout current() {
        Cached now = cached;
        long at = clock.millis();
        if (now == null || at - now.readAt >= refreshMillis || at < now.readAt) {
            Overrides saved = saved();
            now = new Cached(layout(saved), at);
            cached = now;
        }
        return now.layout;
    }

    /** The layout the properties give (what an empty field falls back to). */
    public EmailLayout defaults() {
        return defaults;
    }

    /** The values saved in the admin (each null when the property applies), read now. */
    public Overrides saved() {
        List<Overrides> rows = jdbc.query("SELECT STORE_NAME, LOGO_URL, BRAND_COLOUR, POSTAL_ADDRESS, WHY_LINE, "
                + "PLACEHOLDER_IMAGE_URL, RECOMMENDATIONS, UPDATED_AT, UPDATED_BY FROM CR_EMAIL_LAYOUT WHERE ID = 1",
                new RowMapper<Overrides>() {
                    @Override
                    public Overrides mapRow(ResultSet rs, int rowNum) throws SQLException {
                        Map<String, String> values = new LinkedHashMap<String, String>();
                        values.put(STORE_NAME, rs.getString(1));
                        values.put(LOGO_URL, rs.getString(2));
                        values.put(BRAND_COLOUR, rs.getString(3));
                        values.put(POSTAL_ADDRESS, rs.getString(4));
                        values.put(WHY_LINE, rs.getString(5));
                        values.put(PLACEHOLDER_IMAGE_URL, rs.getString(6));
                        int recommendations = rs.getInt(7);
                        values.put(RECOMMENDATIONS, rs.wasNull() ? null : String.valueOf(recommendations));
                        Timestamp updatedAt = rs.getTimestamp(8);
                        return new Overrides(values, updatedAt == null ? null : updatedAt.toInstant(), rs.getString(9));
                    }
                });
        return rows.isEmpty() ? Overrides.none() : rows.get(0);
    }

    /**
     * Checks and stores the operator's values (null or blank: the property applies). Returns the layout emails use from
     * now on.
     *
     * @throws InvalidLayoutException naming every field whose value is refused; nothing is written then
     */
    public EmailLayout save(Map<String, String> values, String updatedBy) {
        Map<String, String> clean = cleaned(values);
        EmailLayout layout = proposed(clean);
        String recommendations = clean.get(RECOMMENDATIONS);
        Timestamp now = Timestamp.from(clock.instant());
        Object[] row = {clean.get(STORE_NAME), clean.get(LOGO_URL), clean.get(BRAND_COLOUR), clean.get(POSTAL_ADDRESS),
                clean.get(WHY_LINE), clean.get(PLACEHOLDER_IMAGE_URL),
                recommendations == null ? null : Integer.valueOf(recommendations), now, updatedBy};
        int updated = jdbc.update("UPDATE CR_EMAIL_LAYOUT SET STORE_NAME = ?, LOGO_URL = ?, BRAND_COLOUR = ?, "
                + "POSTAL_ADDRESS = ?, WHY_LINE = ?, PLACEHOLDER_IMAGE_URL = ?, RECOMMENDATIONS = ?, UPDATED_AT = ?, "
                + "UPDATED_BY = ? WHERE ID = 1", row);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO CR_EMAIL_LAYOUT (STORE_NAME, LOGO_URL, BRAND_COLOUR, POSTAL_ADDRESS, WHY_LINE, "
                        + "PLACEHOLDER_IMAGE_URL, RECOMMENDATIONS, UPDATED_AT, UPDATED_BY, ID) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", row);
            } catch (DuplicateKeyException e) {
                // another admin saved first, at the same moment: the last save wins, as with an update
                jdbc.update("UPDATE CR_EMAIL_LAYOUT SET STORE_NAME = ?, LOGO_URL = ?, BRAND_COLOUR = ?, "
                        + "POSTAL_ADDRESS = ?, WHY_LINE = ?, PLACEHOLDER_IMAGE_URL = ?, RECOMMENDATIONS = ?, "
                        + "UPDATED_AT = ?, UPDATED_BY = ? WHERE ID = 1", row);
            }
        }
        cached = null;
        return layout;
    }

    /**
     * The layout these values would give, checked as a save checks them, without saving (the admin's preview).
     *
     * @throws InvalidLayoutException naming every field whose value is refused
     */
    public EmailLayout proposed(Map<String, String> values) {
        Map<String, String> clean = cleaned(values);
        Map<String, String> problems = new LinkedHashMap<String, String>();
        for (Map.Entry<String, Integer> field : MAX_LENGTH.entrySet()) {
            String value = clean.get(field.getKey());
            if (value != null && value.length() > field.getValue()) {
                problems.put(field.getKey(), "at most " + field.getValue() + " characters (was " + value.length() + ")");
            }
        }
        String recommendations = clean.get(RECOMMENDATIONS);
        if (recommendations != null && !problems.containsKey(RECOMMENDATIONS) && !recommendations.matches("\\d{1,2}")) {
            problems.put(RECOMMENDATIONS, "a whole number from 0 to " + EmailLayout.MAX_RECOMMENDATIONS
                    + " (was '" + recommendations + "')");
        }
        // each field alone, so every refused one is named, not only the first
        for (String field : MAX_LENGTH.keySet()) {
            if (clean.get(field) == null || problems.containsKey(field)) {
                continue;
            }
            Map<String, String> one = new LinkedHashMap<String, String>();
            one.put(field, clean.get(field));
            try {
                layout(new Overrides(one, null, null));
            } catch (IllegalArgumentException e) {
                problems.put(field, withoutSettingName(field, e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidLayoutException(problems);
        }
        return layout(new Overrides(clean, null, null));
    }

    /** Every field, trimmed; blank is null (the property applies). */
    private static Map<String, String> cleaned(Map<String, String> values) {
        Map<String, String> clean = new LinkedHashMap<String, String>();
        for (String field : MAX_LENGTH.keySet()) {
            String value = values == null ? null : values.get(field);
            clean.put(field, value == null || value.trim().isEmpty() ? null : value.trim());
        }
        return clean;
    }

    /** The fields an operator may set, by the property each replaces, in the form's order. */
    public static List<String> fields() {
        return new java.util.ArrayList<String>(MAX_LENGTH.keySet());
    }

    /** Forgets every value saved in the admin: the properties apply again (on other nodes within their refresh). */
    public void reset() {
        jdbc.update("DELETE FROM CR_EMAIL_LAYOUT WHERE ID = 1");
        cached = null;
    }

    private EmailLayout layout(Overrides saved) {
        String recommendations = saved.get(RECOMMENDATIONS);
        return new EmailLayout(
                or(saved.get(STORE_NAME), defaults.getStoreName()),
                or(saved.get(LOGO_URL), defaults.getLogoUrl()),
                or(saved.get(BRAND_COLOUR), defaults.getBrandColour()),
                or(saved.get(POSTAL_ADDRESS), defaults.getPostalAddress()),
                or(saved.get(WHY_LINE), defaults.getWhyLine()),
                or(saved.get(PLACEHOLDER_IMAGE_URL), defaults.getPlaceholderImageUrl()),
                recommendations == null ? defaults.getRecommendations() : Integer.parseInt(recommendations));
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback == null ? "" : fallback;
    }

    private static String withoutSettingName(String field, String message) {
        String prefix = field + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** The values saved in the admin: a null value means the property applies. */
    public static final class Overrides {
        private final Map<String, String> values;
        private final Instant updatedAt;
        private final String updatedBy;

        Overrides(Map<String, String> values, Instant updatedAt, String updatedBy) {
            this.values = Collections.unmodifiableMap(new LinkedHashMap<String, String>(values));
            this.updatedAt = updatedAt;
            this.updatedBy = updatedBy;
        }

        static Overrides none() {
            return new Overrides(Collections.<String, String>emptyMap(), null, null);
        }

        /** The saved value of a field (a property name), or null. */
        public String get(String field) {
            return values.get(field);
        }

        public Map<String, String> getValues() { return values; }
        /** Null when nothing was ever saved. */
        public Instant getUpdatedAt() { return updatedAt; }
        public String getUpdatedBy() { return updatedBy; }
    }

    /** Refused values, by field (the property name), each with its problem in words. */
    public static final class InvalidLayoutException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> problems;

        InvalidLayoutException(Map<String, String> problems) {
            super("The email layout was not saved: " + problems);
            this.problems = Collections.unmodifiableMap(new LinkedHashMap<String, String>(problems));
        }

        public Map<String, String> getProblems() { return problems; }
    }

    private static final class Cached {
        final EmailLayout layout;
        final long readAt;

        Cached(EmailLayout layout, long readAt) {
            this.layout = layout;
            this.readAt = readAt;
        }
    }
}
