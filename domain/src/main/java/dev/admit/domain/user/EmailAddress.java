package dev.admit.domain.user;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.admit.domain.error.InvalidValueException;
import java.util.regex.Pattern;

/**
 * An email address in the RFC 5322 addr-spec form that mail systems accept in practice: a dot-atom local part and
 * a domain of dot-separated labels (or a bracketed address literal), 1 to 200 code points.
 */
public record EmailAddress(@JsonValue String value) {

    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern ADDR_SPEC = Pattern.compile("^" + ATEXT + "+(?:\\." + ATEXT + "+)*@(?:" + LABEL
            + "(?:\\." + LABEL + ")*|\\[(?:IPv6:)?[0-9A-Fa-f:.]+])$");
    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile("^" + OCTET + "(?:\\." + OCTET + "){3}$");

    public EmailAddress {
        InvalidValueException.requireLength("email", value, 1, 200);
        int at = value.lastIndexOf('@');
        if (at > 64 || !ADDR_SPEC.matcher(value).matches() || !validAddressLiteral(value.substring(at + 1))) {
            throw new InvalidValueException("email", "email must be a valid email address");
        }
    }

    /** A bracketed domain must be an IPv4 address or {@code IPv6:} and an IPv6 address (RFC 5321 §4.1.3). */
    private static boolean validAddressLiteral(String domain) {
        if (!domain.startsWith("[")) {
            return true;
        }
        String literal = domain.substring(1, domain.length() - 1);
        if (literal.startsWith("IPv6:")) {
            String address = literal.substring(5);
            // only hex digits, colons and dots get here, so parsing never resolves a name
            return address.contains(":") && parsesAsAddress(address);
        }
        return IPV4.matcher(literal).matches();
    }

    private static boolean parsesAsAddress(String literal) {
        try {
            return java.net.InetAddress.getByName(literal) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static EmailAddress of(String value) {
        return new EmailAddress(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
