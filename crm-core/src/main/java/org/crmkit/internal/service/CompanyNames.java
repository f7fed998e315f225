package org.crmkit.internal.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.crmkit.security.Permission;
import org.jspecify.annotations.Nullable;

/**
 * The names of companies as one session sees them, for the {@code ORG} of exported vCards: null for a company the
 * caller may not read (type, scope or a hidden {@code name}). Remembers the last few hundred, so memory stays bounded.
 */
final class CompanyNames implements Function<UUID, @Nullable String> {
    private static final int REMEMBERED = 512;

    private final Session session;
    private final boolean visible;
    private final Map<UUID, Optional<String>> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Optional<String>> eldest) {
            return size() > REMEMBERED;
        }
    };

    CompanyNames(Session session) {
        this.session = session;
        CompiledSchema cs = session.engine.schema.compiled();
        boolean known = cs.snapshot.findObjectType("company").isPresent();
        Access access = known ? new Access(session.principal(), "company", cs, session.engine.accessModels) : null;
        this.visible = access != null && access.can(Permission.READ) && access.canSee("name");
    }

    @Override
    public @Nullable String apply(UUID id) {
        if (!visible) {
            return null;
        }
        return cache.computeIfAbsent(id, k -> session.records("company").find(k)
                .map(r -> r.getString("name"))).orElse(null);
    }
}
