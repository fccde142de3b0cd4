package io.github.cartrecovery.templates;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One saved version of a template's words in one locale (a row of CR_EMAIL_TEMPLATE_VERSION). Immutable. */
public final class TemplateVersion {

    private final long id;
    private final String template;
    private final String localeCode;
    private final int versionNo;
    private final Map<String, String> texts;
    private final Integer revertedTo;
    private final String createdBy;
    private final Instant createdAt;

    TemplateVersion(long id, String template, String localeCode, int versionNo, Map<String, String> texts,
                    Integer revertedTo, String createdBy, Instant createdAt) {
        this.id = id;
        this.template = template;
        this.localeCode = localeCode;
        this.versionNo = versionNo;
        this.texts = Collections.unmodifiableMap(new LinkedHashMap<String, String>(texts));
        this.revertedTo = revertedTo;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public long getId() { return id; }
    public String getTemplate() { return template; }
    public String getLocaleCode() { return localeCode; }
    /** 1, 2, 3... per template and locale. */
    public int getVersionNo() { return versionNo; }
    /** Field ({@code EditedCopy.FIELDS}) -> the operator's text ("" when empty). */
    public Map<String, String> getTexts() { return texts; }
    public String text(String field) { return texts.get(field) == null ? "" : texts.get(field); }
    /** The version number this one copies (a revert), null for an edit. */
    public Integer getRevertedTo() { return revertedTo; }
    /** The admin user's login. */
    public String getCreatedBy() { return createdBy; }
    public Instant getCreatedAt() { return createdAt; }
}
