package org.medpolicy.core.cases;

/** How to reach the person who asked (member, representative or provider): where the notice goes. Immutable. */
public record Contact(String name, String address, String phone, String email) {
}
