package dev.admit.domain.invite;

import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The link an invite mail points to, written with the placeholders ZITADEL clients use: {@code {{.UserID}}},
 * {@code {{.Code}}} and {@code {{.OrgID}}} (spaces inside the braces allowed). Any other action, or an unclosed
 * <code>{{</code>, makes the template invalid.
 */
public final class UrlTemplate {

    private static final Pattern ACTION = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\s*\\.(UserID|Code|OrgID)\\s*");

    private final String source;
    private final List<Object> parts;

    private UrlTemplate(String source, List<Object> parts) {
        this.source = source;
        this.parts = parts;
    }

    /**
     * Parses a template.
     *
     * @throws dev.admit.domain.error.DomainException {@code DOMAIN-oGh5e} if the template is malformed
     */
    public static UrlTemplate parse(String source) {
        List<Object> parts = new ArrayList<>();
        Matcher action = ACTION.matcher(source);
        int textStart = 0;
        while (action.find()) {
            Matcher placeholder = PLACEHOLDER.matcher(action.group(1));
            if (!placeholder.matches()) {
                throw ErrorCatalogue.URL_TEMPLATE_INVALID.exception();
            }
            parts.add(literal(source.substring(textStart, action.start())));
            parts.add(Placeholder.valueOf(placeholder.group(1)));
            textStart = action.end();
        }
        parts.add(literal(source.substring(textStart)));
        return new UrlTemplate(source, List.copyOf(parts));
    }

    private static String literal(String text) {
        if (text.contains("{{")) {
            throw ErrorCatalogue.URL_TEMPLATE_INVALID.exception();
        }
        return text;
    }

    /** The link with each placeholder replaced by its value, percent-encoded so it is safe in any URL part. */
    public String render(UserId userId, String code, OrgId orgId) {
        Map<Placeholder, String> values = Map.of(
                Placeholder.UserID, userId.value(),
                Placeholder.Code, code,
                Placeholder.OrgID, orgId.value());
        StringBuilder out = new StringBuilder(source.length() + 32);
        for (Object part : parts) {
            if (part instanceof Placeholder placeholder) {
                out.append(percentEncode(values.get(placeholder)));
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }

    /** RFC 3986: everything but the unreserved characters is percent-encoded as UTF-8. */
    static String percentEncode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean unreserved = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~';
            if (unreserved) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xF, 16)));
                out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private enum Placeholder {
        UserID,
        Code,
        OrgID
    }
}
