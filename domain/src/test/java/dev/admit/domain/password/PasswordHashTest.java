package dev.admit.domain.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHashTest {

    static final String BCRYPT = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
    static final String ARGON2ID =
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";

    @ParameterizedTest
    @ValueSource(
            strings = {
                BCRYPT,
                "$2b$12$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
                "$2y$14$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
                ARGON2ID,
                "$argon2i$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"
            })
    void argon2id_argon2i_and_bcrypt_2a_2b_2y_are_supported(String encoded) {
        assertThat(PasswordHash.supported(encoded)).isTrue();
        assertThat(PasswordHash.of(encoded).encoded()).isEqualTo(encoded);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain text",
                "",
                "$2x$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
                "$2a$10$tooShort",
                "$argon2d$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA",
                "{bcrypt}$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
                "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E"
            })
    void other_formats_are_refused_with_zitadels_not_supported_id(String encoded) {
        assertThat(PasswordHash.supported(encoded)).isFalse();
        assertThatThrownBy(() -> PasswordHash.of(encoded))
                .isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).error())
                .isEqualTo(ErrorCatalogue.PASSWORD_HASH_UNSUPPORTED);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "$2a$17$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
                "$2a$03$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
                "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=19456,t=21,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=19456,t=2,p=17$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=7,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA"
            })
    void a_cost_every_later_check_could_not_afford_is_refused(String encoded) {
        assertThat(PasswordHash.supported(encoded)).isFalse();
    }

    @Test
    void the_parameters_are_read_from_the_encoding() {
        PasswordHash argon2 = PasswordHash.of(ARGON2ID);
        PasswordHash bcrypt = PasswordHash.of(BCRYPT);

        assertThat(argon2.scheme()).isEqualTo(PasswordHash.Scheme.ARGON2ID);
        assertThat(argon2.memoryKib()).isEqualTo(19456);
        assertThat(argon2.iterations()).isEqualTo(2);
        assertThat(argon2.parallelism()).isEqualTo(1);
        assertThat(bcrypt.scheme()).isEqualTo(PasswordHash.Scheme.BCRYPT);
        assertThat(bcrypt.bcryptCost()).isEqualTo(10);
    }

    @Test
    void to_string_never_shows_the_hash() {
        assertThat(PasswordHash.of(BCRYPT).toString())
                .doesNotContain("N9qo8")
                .isEqualTo("PasswordHash[BCRYPT, redacted]");
        assertThat(PasswordHash.of(ARGON2ID).toString())
                .doesNotContain("c2FsdH")
                .doesNotContain("aGFza");
    }

    @Test
    void two_hashes_are_equal_when_their_encodings_are() {
        assertThat(PasswordHash.of(BCRYPT)).isEqualTo(PasswordHash.of(BCRYPT)).isNotEqualTo(PasswordHash.of(ARGON2ID));
    }
}
