package org.medpolicy.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The workbench users. Thread-safe and durable (the store implements it on the database). */
public interface UserDirectory {

    /** @throws IllegalArgumentException when the username is taken */
    void add(User user);

    Optional<User> find(String username);

    List<User> list();

    /** Disables the user and ends their sessions; false when there is no such active user. */
    boolean disable(String username, Instant at);
}
