package org.medpolicy.core.cases;

import java.util.Set;

/** Who acts on a case: a signed-in user with roles, or the engine itself ({@link #ENGINE}). Immutable. */
public record Actor(String name, Set<Role> roles) {

    public static final Actor ENGINE = new Actor("engine", Set.of());

    public Actor {
        roles = Set.copyOf(roles);
    }

    public boolean hasAny(Role... wanted) {
        for (Role role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }
}
