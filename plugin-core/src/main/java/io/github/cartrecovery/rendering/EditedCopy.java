package io.github.cartrecovery.rendering;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A template's words as the operator wrote them in the admin (one saved version in one locale): subject, preheader,
 * heading, greeting, intro and button, each {@link MergeText}. They replace the classpath copy's words of the same
 * keys ({@link EmailCopy}); an empty subject keeps the campaign step's subject and an empty greeting keeps the layout's
 * greeting. Compiling checks every field, so an EditedCopy that exists can be rendered. Immutable and thread-safe.
 */
public final class EditedCopy {

    public static final String SUBJECT = "subject";
    public static final String PREHEADER = "preheader";
    public static final String HEADING = "heading";
    public static final String GREETING = "greeting";
    public static final String INTRO = "intro";
    public static final String BUTTON = "button";
    /** The fields in the order the editor shows them. */
    public static final List<String> FIELDS = Collections.unmodifiableList(Arrays.asList(
            SUBJECT, PREHEADER, HEADING, GREETING, INTRO, BUTTON));
    /** Fields that may not be empty (the layout would show "[heading]"). */
    public static final List<String> REQUIRED = Collections.unmodifiableList(Arrays.asList(HEADING, INTRO, BUTTON));

    private final Long versionId;
    private final Map<String, MergeText> fields;

    private EditedCopy(Long versionId, Map<String, MergeText> fields) {
        this.versionId = versionId;
        this.fields = fields;
    }

    /**
     * Compiles the fields (missing ones are empty).
     *
     * @param versionId the saved version, or null for a draft (the editor's preview)
     * @throws InvalidCopyException naming every field that is missing, does not parse or names an unknown merge field
     */
    public static EditedCopy compile(Long versionId, Map<String, String> texts) {
        Map<String, MergeText> fields = new LinkedHashMap<String, MergeText>();
        Map<String, String> problems = new LinkedHashMap<String, String>();
        for (String field : FIELDS) {
            String text = texts.get(field) == null ? "" : texts.get(field);
            if (REQUIRED.contains(field) && text.trim().isEmpty()) {
                problems.put(field, field + ": must not be empty");
                continue;
            }
            try {
                fields.put(field, MergeText.compile(text));
            } catch (IllegalArgumentException e) {
                problems.put(field, field + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidCopyException(problems);
        }
        return new EditedCopy(versionId, Collections.unmodifiableMap(fields));
    }

    /** The saved version these words are, null for a draft. */
    public Long getVersionId() {
        return versionId;
    }

    /** The operator's text of a field ("" when empty). */
    public String text(String field) {
        MergeText text = fields.get(field);
        return text == null ? "" : text.getSource();
    }

    /** The subject for this message, or {@code stepSubject} when the field is empty. */
    String subject(String stepSubject, Map<String, Object> values) {
        return text(SUBJECT).trim().isEmpty() ? stepSubject : fields.get(SUBJECT).render(values).trim();
    }

    /** The classpath words with this copy's fields filled in for one message. */
    EmailCopy.Words over(EmailCopy.Words base, Map<String, Object> values) {
        Map<String, String> words = new HashMap<String, String>(base.all());
        for (String field : Arrays.asList(PREHEADER, HEADING, INTRO, BUTTON)) {
            words.put(field, fields.get(field).render(values));
        }
        if (!text(GREETING).trim().isEmpty()) {
            String greeting = fields.get(GREETING).render(values);
            words.put("greeting", greeting);
            words.put("greeting.named", greeting);
        }
        return new EmailCopy.Words(base.getLanguage(), words);
    }

    /** A field's problem, by field name. */
    public static final class InvalidCopyException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> problems;

        public InvalidCopyException(Map<String, String> problems) {
            super(String.join("; ", problems.values()));
            this.problems = Collections.unmodifiableMap(new LinkedHashMap<String, String>(problems));
        }

        /** Field name -> "field: what is wrong". */
        public Map<String, String> getProblems() {
            return problems;
        }
    }
}
