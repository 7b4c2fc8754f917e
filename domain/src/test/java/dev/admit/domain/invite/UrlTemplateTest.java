package dev.admit.domain.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlTemplateTest {

    private static final UserId USER = new UserId("69629023906488334");
    private static final OrgId ORG = new OrgId("262840392382463");
    private static final String CODE = "K7Q2ZD";

    @Test
    void a_template_with_all_three_placeholders_renders_their_values() {
        UrlTemplate template =
                UrlTemplate.parse("https://example.com/verify?userID={{.UserID}}&code={{.Code}}&orgID={{.OrgID}}");

        assertThat(template.render(USER, CODE, ORG))
                .isEqualTo("https://example.com/verify?userID=69629023906488334&code=K7Q2ZD&orgID=262840392382463");
    }

    @Test
    void each_placeholder_works_on_its_own() {
        assertThat(UrlTemplate.parse("https://x.test/u/{{.UserID}}").render(USER, CODE, ORG))
                .isEqualTo("https://x.test/u/69629023906488334");
        assertThat(UrlTemplate.parse("https://x.test/c/{{.Code}}").render(USER, CODE, ORG))
                .isEqualTo("https://x.test/c/K7Q2ZD");
        assertThat(UrlTemplate.parse("https://x.test/o/{{.OrgID}}").render(USER, CODE, ORG))
                .isEqualTo("https://x.test/o/262840392382463");
    }

    @Test
    void spaces_inside_the_braces_are_allowed() {
        UrlTemplate template = UrlTemplate.parse("https://x.test/?c={{ .Code }}&u={{.UserID }}&o={{  .OrgID}}");

        assertThat(template.render(USER, CODE, ORG))
                .isEqualTo("https://x.test/?c=K7Q2ZD&u=69629023906488334&o=262840392382463");
    }

    @Test
    void a_placeholder_may_appear_more_than_once() {
        assertThat(UrlTemplate.parse("{{.Code}}-{{.Code}}").render(USER, CODE, ORG))
                .isEqualTo("K7Q2ZD-K7Q2ZD");
    }

    @Test
    void a_template_without_placeholders_renders_unchanged() {
        String source = "https://example.com/invite?lang=en&x=a%20b";

        UrlTemplate template = UrlTemplate.parse(source);

        assertThat(template.render(USER, CODE, ORG)).isEqualTo(source);
        assertThat(template.source()).isEqualTo(source);
        assertThat(template.toString()).isEqualTo(source);
    }

    @Test
    void rendered_values_are_percent_encoded() {
        UrlTemplate template = UrlTemplate.parse("https://x.test/?u={{.UserID}}&o={{.OrgID}}&c={{.Code}}");

        String link = template.render(new UserId("a b&c=d/e?f#g"), "A+B", new OrgId("Zürich"));

        assertThat(link).isEqualTo("https://x.test/?u=a%20b%26c%3Dd%2Fe%3Ff%23g&o=Z%C3%BCrich&c=A%2BB");
    }

    @Test
    void unreserved_characters_are_left_as_they_are() {
        assertThat(UrlTemplate.parse("{{.UserID}}").render(new UserId("aZ09-._~"), CODE, ORG))
                .isEqualTo("aZ09-._~");
    }

    @Test
    void characters_outside_the_basic_plane_are_encoded_as_utf_8() {
        assertThat(UrlTemplate.parse("{{.OrgID}}").render(USER, CODE, new OrgId("😀")))
                .isEqualTo("%F0%9F%98%80");
    }

    @Test
    void the_literal_text_of_the_template_is_not_encoded() {
        assertThat(UrlTemplate.parse("https://x.test/a b?q=1&r={{.Code}}").render(USER, "a b", ORG))
                .isEqualTo("https://x.test/a b?q=1&r=a%20b");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://x.test/?c={{.Foo}}",
                "https://x.test/?c={{printf \"x\"}}",
                "https://x.test/?c={{.Code",
                "https://x.test/?c={{.Code}",
                "https://x.test/?c={{}}",
                "https://x.test/?c={{ }}",
                "https://x.test/?c={{Code}}",
                "https://x.test/?c={{.code}}",
                "https://x.test/?c={{.Code | urlquery}}",
                "https://x.test/?c={{.Code}}&u={{.UserID",
                "https://x.test/?c={{.Code.Foo}}",
                "https://x.test/?c={{ .Code }}{{"
            })
    void a_malformed_template_or_an_unknown_action_is_invalid(String source) {
        assertThatThrownBy(() -> UrlTemplate.parse(source))
                .isInstanceOfSatisfying(
                        DomainException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCatalogue.URL_TEMPLATE_INVALID))
                .hasMessage("URL Template is invalid (DOMAIN-oGh5e)");
    }

    @Test
    void the_error_does_not_repeat_the_template() {
        assertThatThrownBy(() -> UrlTemplate.parse("https://secret.test/{{.Foo}}"))
                .isInstanceOf(DomainException.class)
                .hasMessageNotContaining("secret.test");
    }
}
