package org.crmkit.rest;

import com.google.common.testing.NullPointerTester;
import java.util.List;
import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/**
 * Every public method and constructor of {@code org.crmkit.rest} refuses a null argument at its entry with a
 * {@link NullPointerException}, unless the parameter is declared {@code @Nullable} (jspecify), which Guava's
 * {@link NullPointerTester} honours.
 */
class NullArgumentsTest {
    @Test
    void staticMethodsAndConstructors() {
        for (Class<?> type : List.of(CrmRest.class, JwtAuthenticator.class, PrincipalMapper.class, RateLimit.class,
                TokenClaims.class, AuthenticationException.class)) {
            new NullPointerTester().testAllPublicStaticMethods(type);
            new NullPointerTester().testAllPublicConstructors(type);
        }
    }

    @Test
    void instances() {
        try (Crm crm = Crm.builder().storage(InMemoryStorage.create()).build()) {
            CrmRest.Builder builder = CrmRest.builder(crm);
            TokenClaims claims = new TokenClaims("s", "i", List.of("a"), Map.of("roles", List.of("x")));
            for (Object value : List.of(builder, JwtAuthenticator.builder(), claims,
                    CrmRest.builder(crm).authenticator((c, h) -> c.as(org.crmkit.security.Principal.SYSTEM))
                            .build())) {
                io.javalin.config.JavalinConfig[] config = new io.javalin.config.JavalinConfig[1];
                io.javalin.Javalin.create(c -> config[0] = c);
                new NullPointerTester().setDefault(Crm.class, crm)
                        .setDefault(io.javalin.config.JavalinConfig.class, config[0])
                        .testAllPublicInstanceMethods(value);
            }
        }
    }
}
