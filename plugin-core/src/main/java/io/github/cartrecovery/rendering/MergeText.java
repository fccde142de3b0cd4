package io.github.cartrecovery.rendering;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Collections;
import java.util.Map;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheResolver;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.NotIterableCode;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.codes.WriteCode;
import com.github.mustachejava.codes.CommentCode;
import com.github.mustachejava.reflect.MapObjectHandler;

/**
 * Operator text with merge fields: the safe subset of expressions allowed in templates edited in the admin
 * (docs/emails.md, "Editing templates in the admin"). Logic-less Mustache (mustache.java) restricted to
 * <ul>
 * <li>{@code {{field}}}: a merge value ({@link MergeFields#NAMES});</li>
 * <li>{@code {{#field}}...{{/field}}}: shown when the value is not empty, repeated per item for {@code items};</li>
 * <li>{@code {{^field}}...{{/field}}}: shown when it is empty (the fallback: {@code {{^first_name}}there{{/first_name}}});</li>
 * <li>{@code {{! comment }}}.</li>
 * </ul>
 * Anything else is refused when the text is compiled: an unknown field, {{#items}} inside {{#items}} (its output
 * would grow as the cart's lines to the power of the depth), partials ({@code {{> name}}}, which would read
 * files), template inheritance, pragmas and triple braces. Values are looked up in maps only (no reflection on any
 * object), and nothing else is evaluated: Thymeleaf, SpEL or OGNL syntax in the text ({@code ${...}}, {@code __${...}__},
 * {@code [[${...}]]}) is plain text. The result is plain text: the layout escapes it for HTML ({@code th:text}), so a
 * value is escaped exactly once. Immutable and thread-safe once compiled.
 */
public final class MergeText {

    private static final MustacheResolver NO_FILES = new MustacheResolver() {
        @Override
        public java.io.Reader getReader(String resourceName) {
            throw new MustacheException("partials ({{> " + resourceName + "}}) are not allowed");
        }
    };

    private final String source;
    private final Mustache mustache;

    private MergeText(String source, Mustache mustache) {
        this.source = source;
        this.mustache = mustache;
    }

    /**
     * Compiles operator text.
     *
     * @throws IllegalArgumentException with a readable message naming the problem (and the line) when the text does
     *                                  not parse or names a field that does not exist
     */
    public static MergeText compile(String source) {
        String text = source == null ? "" : source;
        Mustache mustache;
        try {
            mustache = new Factory().compile(new StringReader(text), "text");
        } catch (MustacheException e) {
            throw new IllegalArgumentException(readable(e), e);
        }
        check(mustache.getCodes(), false);
        return new MergeText(text, mustache);
    }

    /** The text as the operator wrote it. */
    public String getSource() {
        return source;
    }

    /** The text with the merge values filled in (not escaped: the layout escapes). */
    public String render(Map<String, Object> values) {
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, Collections.<Object>singletonList(values)).flush();
        } catch (IOException | MustacheException e) {
            throw new IllegalStateException("merge text could not be rendered: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** Every field and section must be a known merge field; item fields only inside {{#items}}. */
    private static void check(Code[] codes, boolean inItems) {
        if (codes == null) {
            return;
        }
        for (Code code : codes) {
            if (code instanceof WriteCode || code instanceof CommentCode) {
                continue;
            }
            String name = code.getName();
            if (name == null && (code.getCodes() == null || code.getCodes().length == 0)) {
                continue; // the parser's end-of-text marker
            }
            boolean section = code instanceof IterableCode || code instanceof NotIterableCode;
            if (!(section || code instanceof ValueCode)) {
                throw new IllegalArgumentException("{{" + name + "}}: only fields, {{#field}} and {{^field}} sections are allowed");
            }
            boolean known = MergeFields.NAMES.contains(name) || inItems && MergeFields.ITEM_NAMES.contains(name);
            if (!known) {
                throw new IllegalArgumentException("unknown merge field {{" + name + "}}; known: "
                        + MergeFields.NAMES + (inItems ? ", inside {{#items}}: " + MergeFields.ITEM_NAMES
                        : " (" + MergeFields.ITEM_NAMES + " inside {{#items}}...{{/items}})"));
            }
            if (section && inItems && MergeFields.ITEMS.equals(name)) {
                // each level would repeat the whole cart once per line: n^depth lines from a few characters
                throw new IllegalArgumentException("{{#items}} inside {{#items}} is not allowed");
            }
            if (section) {
                check(code.getCodes(), inItems || MergeFields.ITEMS.equals(name) && code instanceof IterableCode);
            }
        }
    }

    private static String readable(MustacheException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        // "Failed to close 'x' tag @[text:1]" -> "... (line 1)"
        return message.replaceAll("\\s*@\\[text:(\\d+)\\]", " (line $1)");
    }

    /** Map lookups only, no partials, no pragmas, no unescaped values, no template inheritance; output as is. */
    private static final class Factory extends DefaultMustacheFactory {

        Factory() {
            super(NO_FILES);
            setObjectHandler(new MapObjectHandler());
        }

        @Override
        public MustacheVisitor createMustacheVisitor() {
            return new DefaultMustacheVisitor(this) {
                @Override
                public void partial(TemplateContext tc, String variable, String indent) {
                    throw new MustacheException("partials ({{> " + variable + "}}) are not allowed", tc);
                }

                @Override
                public void dynamicPartial(TemplateContext tc, String variable, String indent) {
                    throw new MustacheException("partials ({{>* " + variable + "}}) are not allowed", tc);
                }

                @Override
                public void pragma(TemplateContext tc, String pragma, String args) {
                    throw new MustacheException("pragmas ({{% " + pragma + "}}) are not allowed", tc);
                }

                @Override
                public void extend(TemplateContext tc, String variable, Mustache mustache) {
                    throw new MustacheException("template inheritance ({{< " + variable + "}}) is not allowed", tc);
                }

                @Override
                public void name(TemplateContext tc, String variable, Mustache mustache) {
                    throw new MustacheException("blocks ({{$" + variable + "}}) are not allowed", tc);
                }

                @Override
                public void checkName(TemplateContext tc, String variable, Mustache mustache) {
                    throw new MustacheException("blocks ({{?" + variable + "}}) are not allowed", tc);
                }

                @Override
                public void value(TemplateContext tc, String variable, boolean encoded) {
                    if (!encoded) {
                        throw new MustacheException("{{{" + variable + "}}} and {{&" + variable
                                + "}} are not allowed: write {{" + variable + "}}", tc);
                    }
                    super.value(tc, variable, true);
                }
            };
        }

        /** Plain text out: the layout escapes for HTML, the text part needs none. */
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new MustacheException(e);
            }
        }
    }
}
