package dev.admit.core.password;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.password.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class PasswordHasherTest {

    /** OpenBSD's bcrypt test vector: "U*U" with cost 5. */
    static final String BCRYPT_VECTOR = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

    private static final String PASSWORD = "Sup3r-Secret!";

    /** Cheap argon2id settings for tests that are not about its costs. */
    static PasswordSettings fast() {
        return PasswordSettings.defaults()
                .withArgon2(64, 1, 1)
                .withBcryptCost(4)
                .withPool(2, 8);
    }

    @Test
    void the_default_is_argon2id_in_phc_form_with_owasps_parameters() {
        PasswordHasher hasher = new PasswordHasher(PasswordSettings.defaults());

        PasswordHash hash = hasher.hash(PASSWORD);

        assertThat(hash.encoded()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hash.scheme()).isEqualTo(PasswordHash.Scheme.ARGON2ID);
        assertThat(hasher.verify(PASSWORD, hash)).isTrue();
        assertThat(hasher.verify("Sup3r-Secret?", hash)).isFalse();
    }

    @Test
    void each_hash_has_its_own_salt() {
        PasswordHasher hasher = new PasswordHasher(fast());

        assertThat(hasher.hash(PASSWORD)).isNotEqualTo(hasher.hash(PASSWORD));
    }

    @Test
    void bcrypt_is_chosen_by_configuration_with_its_cost_and_zitadels_2a_prefix() {
        PasswordHasher hasher = new PasswordHasher(
                fast().withAlgorithm(PasswordSettings.Algorithm.BCRYPT).withBcryptCost(5));

        PasswordHash hash = hasher.hash(PASSWORD);

        assertThat(hash.encoded()).startsWith("$2a$05$");
        assertThat(hasher.verify(PASSWORD, hash)).isTrue();
        assertThat(hasher.verify("wrong", hash)).isFalse();
    }

    @Test
    void an_imported_bcrypt_hash_verifies_in_each_of_its_2a_2b_and_2y_spellings() {
        PasswordHasher hasher = new PasswordHasher(fast());

        for (String prefix : new String[] {"$2a$", "$2b$", "$2y$"}) {
            PasswordHash imported = PasswordHash.of(prefix + BCRYPT_VECTOR.substring(4));
            assertThat(hasher.verify("U*U", imported)).as(prefix).isTrue();
            assertThat(hasher.verify("U*V", imported)).as(prefix).isFalse();
        }
    }

    @Test
    void bcrypt_hashes_written_by_other_encoders_verify() {
        PasswordHasher hasher = new PasswordHasher(fast());
        String b = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2B, 4).encode(PASSWORD);
        String y = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2Y, 4).encode(PASSWORD);

        assertThat(hasher.verify(PASSWORD, PasswordHash.of(b))).isTrue();
        assertThat(hasher.verify(PASSWORD, PasswordHash.of(y))).isTrue();
    }

    @Test
    void an_imported_argon2i_hash_verifies() {
        PasswordHasher hasher = new PasswordHasher(fast());
        PasswordHash argon2i = PasswordHash.of(argon2i("correct horse", 256, 2, 1));

        assertThat(argon2i.scheme()).isEqualTo(PasswordHash.Scheme.ARGON2I);
        assertThat(hasher.verify("correct horse", argon2i)).isTrue();
        assertThat(hasher.verify("correct horsf", argon2i)).isFalse();
    }

    @Test
    void under_argon2id_settings_bcrypt_argon2i_and_lower_costs_are_weaker_and_equal_or_higher_costs_are_not() {
        PasswordSettings settings = fast().withArgon2(128, 2, 1);
        PasswordHasher hasher = new PasswordHasher(settings);

        assertThat(hasher.weakerThanSettings(PasswordHash.of(BCRYPT_VECTOR))).isTrue();
        assertThat(hasher.weakerThanSettings(PasswordHash.of(argon2i("x", 128, 2, 1))))
                .isTrue();
        assertThat(hasher.weakerThanSettings(new PasswordHasher(settings.withArgon2(64, 2, 1)).hash("x")))
                .as("less memory")
                .isTrue();
        assertThat(hasher.weakerThanSettings(new PasswordHasher(settings.withArgon2(128, 1, 1)).hash("x")))
                .as("fewer iterations")
                .isTrue();
        assertThat(hasher.weakerThanSettings(hasher.hash("x"))).isFalse();
        assertThat(hasher.weakerThanSettings(new PasswordHasher(settings.withArgon2(256, 3, 2)).hash("x")))
                .as("stronger")
                .isFalse();
    }

    @Test
    void under_bcrypt_settings_argon2_and_a_lower_cost_are_weaker() {
        PasswordHasher hasher = new PasswordHasher(
                fast().withAlgorithm(PasswordSettings.Algorithm.BCRYPT).withBcryptCost(6));

        assertThat(hasher.weakerThanSettings(PasswordHash.of(BCRYPT_VECTOR)))
                .as("cost 5")
                .isTrue();
        assertThat(hasher.weakerThanSettings(new PasswordHasher(fast()).hash("x")))
                .as("argon2id")
                .isTrue();
        assertThat(hasher.weakerThanSettings(hasher.hash("x"))).isFalse();
    }

    @Test
    void bcrypt_cannot_hash_more_than_72_bytes_and_argon2id_can() {
        String long73 = "Aa1!" + "x".repeat(69);
        PasswordHasher bcrypt = new PasswordHasher(fast().withAlgorithm(PasswordSettings.Algorithm.BCRYPT));

        assertThat(bcrypt.canHash(long73)).isFalse();
        assertThat(bcrypt.canHash(long73.substring(1))).isTrue();
        assertThat(new PasswordHasher(fast()).canHash(long73)).isTrue();
    }

    /** An argon2i hash in PHC form, made with Bouncy Castle directly (Spring's encoder only writes argon2id). */
    static String argon2i(String password, int memoryKib, int iterations, int parallelism) {
        byte[] salt = "sixteen byte slt".getBytes(StandardCharsets.US_ASCII);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_i)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .build());
        byte[] hash = new byte[32];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2i$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }
}
