package dev.admit.store.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.domain.message.AddHumanUserCommand;
import dev.admit.domain.message.ConfirmInviteCodeSentCommand;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.ResendInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import java.util.List;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

/** The caching resolver answers every command exactly as Axon's annotation resolver does, failures included. */
class CachingCommandTargetResolverTest {

    private static final UserId USER = new UserId("328746233476323445");

    private final CommandTargetResolver cached = new CachingCommandTargetResolver();
    private final CommandTargetResolver axon =
            AnnotationCommandTargetResolver.builder().build();

    @Test
    void every_admit_command_resolves_to_its_user_as_with_axons_resolver() {
        List<Object> commands = List.of(
                new AddHumanUserCommand(
                        USER, new OrgId("1"), null, "Ada", "Lovelace", null, null, new EmailAddress("a@b.c"), false),
                new CreateInviteCodeCommand(USER, OrgScope.any(), new InviteDelivery.ReturnCode()),
                new ResendInviteCodeCommand(USER, OrgScope.any()),
                new ConfirmInviteCodeSentCommand(USER, 3),
                new VerifyInviteCodeCommand(USER, OrgScope.any(), "ABCDEF"));
        for (Object command : commands) {
            VersionedAggregateIdentifier target = resolve(cached, command);
            assertThat(target).isEqualTo(resolve(axon, command));
            assertThat(target.getIdentifierValue()).isEqualTo(USER);
            assertThat(target.getVersion()).isNull();
        }
    }

    @Test
    void the_members_are_read_for_each_command_not_remembered_from_the_first() {
        UserId other = new UserId("428746233476323445");
        assertThat(resolve(cached, new ResendInviteCodeCommand(USER, OrgScope.any()))
                        .getIdentifier())
                .isEqualTo(USER.toString());
        assertThat(resolve(cached, new ResendInviteCodeCommand(other, OrgScope.any()))
                        .getIdentifier())
                .isEqualTo(other.toString());
    }

    @Test
    void an_annotated_method_comes_before_an_annotated_field_and_a_version_is_read_as_a_number() {
        MethodAndField command = new MethodAndField("from-field", 7);
        assertThat(resolve(cached, command)).isEqualTo(new VersionedAggregateIdentifier("from-method", 7L));
        assertThat(resolve(cached, command)).isEqualTo(resolve(axon, command));
    }

    @Test
    void a_version_given_as_text_is_parsed_as_axon_parses_it() {
        TextVersion command = new TextVersion("id", "12");
        assertThat(resolve(cached, command)).isEqualTo(new VersionedAggregateIdentifier("id", 12L));
    }

    @Test
    void a_command_without_a_target_fails_as_with_axons_resolver() {
        assertSameFailure(new Untargeted("x"));
        assertSameFailure(new TextVersion(null, "1"));
        assertSameFailure(new TextVersion("id", "not a number"));
    }

    private void assertSameFailure(Object command) {
        Throwable expected = catchFailure(axon, command);
        assertThat(expected).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resolve(cached, command))
                .isInstanceOf(expected.getClass())
                .hasMessage(expected.getMessage());
    }

    private static Throwable catchFailure(CommandTargetResolver resolver, Object command) {
        try {
            resolve(resolver, command);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("Axon's resolver accepted " + command);
    }

    private static VersionedAggregateIdentifier resolve(CommandTargetResolver resolver, Object command) {
        return resolver.resolveTarget(GenericCommandMessage.asCommandMessage(command));
    }

    record Untargeted(String id) {}

    record TextVersion(
            @TargetAggregateIdentifier String id,
            @TargetAggregateVersion String version) {}

    static final class MethodAndField {

        @TargetAggregateIdentifier
        private final String fieldId;

        @TargetAggregateVersion
        private final long version;

        MethodAndField(String fieldId, long version) {
            this.fieldId = fieldId;
            this.version = version;
        }

        @TargetAggregateIdentifier
        String methodId() {
            return "from-method";
        }

        @Override
        public String toString() {
            return fieldId + "@" + version;
        }
    }
}
