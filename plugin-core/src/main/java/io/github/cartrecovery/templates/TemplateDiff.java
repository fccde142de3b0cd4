package io.github.cartrecovery.templates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.cartrecovery.rendering.EditedCopy;

/**
 * What changed between two versions of a template, field by field, word by word (longest common subsequence of words
 * and the spaces between them): the editor's "compare". Fields are short (at most 4,000 characters), so the quadratic
 * table stays small. Immutable.
 */
public final class TemplateDiff {

    private static final Pattern TOKEN = Pattern.compile("\\s+|[^\\s]+");

    private final List<FieldDiff> fields;

    private TemplateDiff(List<FieldDiff> fields) {
        this.fields = Collections.unmodifiableList(fields);
    }

    /** From {@code older} to {@code newer}. */
    public static TemplateDiff between(TemplateVersion older, TemplateVersion newer) {
        List<FieldDiff> fields = new ArrayList<FieldDiff>();
        for (String field : EditedCopy.FIELDS) {
            String before = older.text(field);
            String after = newer.text(field);
            fields.add(new FieldDiff(field, !before.equals(after), segments(before, after)));
        }
        return new TemplateDiff(fields);
    }

    public List<FieldDiff> getFields() {
        return fields;
    }

    /** True when no field differs. */
    public boolean isSame() {
        for (FieldDiff field : fields) {
            if (field.isChanged()) {
                return false;
            }
        }
        return true;
    }

    static List<Segment> segments(String before, String after) {
        List<String> a = tokens(before);
        List<String> b = tokens(after);
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Segment> segments = new ArrayList<Segment>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                add(segments, Kind.SAME, a.get(i));
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                add(segments, Kind.REMOVED, a.get(i++)); // what went before what came, as people read a change
            } else {
                add(segments, Kind.ADDED, b.get(j++));
            }
        }
        return segments;
    }

    private static void add(List<Segment> segments, Kind kind, String text) {
        Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last != null && last.kind == kind) {
            segments.set(segments.size() - 1, new Segment(kind, last.text + text));
        } else {
            segments.add(new Segment(kind, text));
        }
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<String>();
        Matcher matcher = TOKEN.matcher(text == null ? "" : text);
        while (matcher.find()) {
            tokens.add(matcher.group());
        }
        return tokens;
    }

    public enum Kind { SAME, ADDED, REMOVED }

    /** One field: whether it changed, and its text as runs of kept, removed and added words. */
    public static final class FieldDiff {
        private final String field;
        private final boolean changed;
        private final List<Segment> segments;

        FieldDiff(String field, boolean changed, List<Segment> segments) {
            this.field = field;
            this.changed = changed;
            this.segments = Collections.unmodifiableList(segments);
        }

        public String getField() { return field; }
        public boolean isChanged() { return changed; }
        public List<Segment> getSegments() { return segments; }
    }

    /** A run of text that is kept, removed or added. */
    public static final class Segment {
        private final Kind kind;
        private final String text;

        Segment(Kind kind, String text) {
            this.kind = kind;
            this.text = text;
        }

        public Kind getKind() { return kind; }
        public String getText() { return text; }
        public boolean isAdded() { return kind == Kind.ADDED; }
        public boolean isRemoved() { return kind == Kind.REMOVED; }
    }
}
