package dev.admit.service.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.core.api.Admit;
import dev.admit.core.api.NewHumanUser;
import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.service.AdmitApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Invite-code keys rotate without losing a code, and a removed key fails its codes with a named, recorded refusal. */
class KeyRotationTest {

    private static final OrgId ORG = new OrgId("5150");
    private static final OrgScope SCOPE = OrgScope.only(ORG);

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static ConfigurableApplicationContext start(Path dataDir, String active, String... keys) {
        List<String> properties = new ArrayList<>(List.of(
                "admit.data-dir=" + dataDir,
                "admit.server.enabled=false",
                "admit.mail.enabled=false",
                "spring.flyway.enabled=false",
                "logging.config=classpath:admit-logback.xml",
                "admit.crypto.active-key=" + active));
        for (String key : keys) {
            properties.add("admit.crypto.keys." + key);
        }
        return new SpringApplicationBuilder(AdmitApplication.class)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    private static UserId invitee(Admit admit, String name) {
        return admit.addHumanUser(SCOPE, NewHumanUser.of(ORG, name, "Key", new EmailAddress(name + "@example.com")))
                .userId();
    }

    private static String returnedCode(Admit admit, UserId user) {
        return admit.createInviteCode(SCOPE, user, new InviteDelivery.ReturnCode())
                .returnedCode()
                .orElseThrow()
                .reveal();
    }

    @Test
    void a_rotated_key_keeps_old_codes_valid_and_a_removed_one_fails_its_codes_by_name() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "keys-");
        String k1 = "k1=" + newKey();
        String k2 = "k2=" + newKey();
        UserId early;
        UserId stranded;
        String earlyCode;
        String strandedCode;
        try (ConfigurableApplicationContext first = start(dataDir, "k1", k1)) {
            Admit admit = first.getBean(Admit.class);
            early = invitee(admit, "early");
            earlyCode = returnedCode(admit, early);
            stranded = invitee(admit, "stranded");
            strandedCode = returnedCode(admit, stranded);
        }

        // rotation: a new active key, the old one kept for the codes it sealed
        try (ConfigurableApplicationContext rotated = start(dataDir, "k2", k1, k2)) {
            Admit admit = rotated.getBean(Admit.class);
            assertThat(admit.verifyInviteCode(SCOPE, early, earlyCode).sequence())
                    .isEqualTo(4);
            UserId late = invitee(admit, "late");
            returnedCode(admit, late);
            String sealedWith = rotated.getBean(JdbcTemplate.class).queryForObject("""
                    SELECT convert_from(payload, 'UTF8')::json -> 'code' ->> 'keyId' FROM admit.domain_event_entry
                    WHERE aggregate_identifier = ? AND sequence_number = 1""", String.class, late.value());
            assertThat(sealedWith)
                    .as("new codes are sealed with the active key")
                    .isEqualTo("k2");
        }

        // removal: codes sealed with k1 can no longer be checked, and say so
        try (ConfigurableApplicationContext removed = start(dataDir, "k2", k2)) {
            Admit admit = removed.getBean(Admit.class);
            long before =
                    admit.findUser(SCOPE, stranded).orElseThrow().details().sequence();

            assertThatThrownBy(() -> admit.verifyInviteCode(SCOPE, stranded, strandedCode))
                    .isInstanceOfSatisfying(DomainException.class, refusal -> {
                        assertThat(refusal.error()).isEqualTo(ErrorCatalogue.INVITE_CODE_UNREADABLE);
                        assertThat(refusal.getMessage()).contains("key k1").contains("ADMIT-Kx9c2");
                    });
            assertThat(admit.findUser(SCOPE, stranded).orElseThrow().details().sequence())
                    .as("the attempt is recorded")
                    .isEqualTo(before + 1);
        }
    }
}
