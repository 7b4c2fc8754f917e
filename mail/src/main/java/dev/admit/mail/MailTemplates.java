package dev.admit.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mails' texts: for invites {@code invite-subject.txt}, {@code invite.txt} and {@code invite.html}, for password
 * resets {@code password-reset-subject.txt}, {@code password-reset.txt} and {@code password-reset.html}; each taken
 * from the operator's template directory when it holds it, else the built-in one. Templates use {@code {{name}}}
 * for a value and {@code {{#name}}...{{/name}}} for a part shown only when the value is not empty; values are
 * HTML-escaped in the HTML part.
 */
public final class MailTemplates {

    public static final String SUBJECT = "invite-subject.txt";
    public static final String TEXT = "invite.txt";
    public static final String HTML = "invite.html";
    public static final String RESET_SUBJECT = "password-reset-subject.txt";
    public static final String RESET_TEXT = "password-reset.txt";
    public static final String RESET_HTML = "password-reset.html";

    private static final Pattern SECTION = Pattern.compile("\\{\\{#(\\w+)}}(.*?)\\{\\{/\\1}}", Pattern.DOTALL);
    private static final Pattern VALUE = Pattern.compile("\\{\\{(\\w+)}}");

    private final Path overrides;

    /** @param overrides a directory with templates replacing the built-in ones, or {@code null} */
    public MailTemplates(Path overrides) {
        this.overrides = overrides;
    }

    public String render(String template, Map<String, String> values, boolean html) {
        return fill(load(template), values, html);
    }

    static String fill(String template, Map<String, String> values, boolean html) {
        Matcher section = SECTION.matcher(template);
        StringBuilder withSections = new StringBuilder();
        while (section.find()) {
            String value = values.get(section.group(1));
            section.appendReplacement(
                    withSections, value == null || value.isEmpty() ? "" : Matcher.quoteReplacement(section.group(2)));
        }
        section.appendTail(withSections);
        Matcher value = VALUE.matcher(withSections);
        StringBuilder out = new StringBuilder();
        while (value.find()) {
            String replacement = values.getOrDefault(value.group(1), "");
            value.appendReplacement(out, Matcher.quoteReplacement(html ? escapeHtml(replacement) : replacement));
        }
        value.appendTail(out);
        return out.toString();
    }

    private String load(String template) {
        try {
            if (overrides != null && Files.isRegularFile(overrides.resolve(template))) {
                return Files.readString(overrides.resolve(template), StandardCharsets.UTF_8);
            }
            try (InputStream in = MailTemplates.class.getResourceAsStream("/admit/mail/" + template)) {
                if (in == null) {
                    throw new IllegalStateException("missing built-in mail template " + template);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read mail template " + template, e);
        }
    }

    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
