package org.medpolicy.app.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalogue of kit checks stays true: every test it names exists and is a test; every check has tests or a reason. */
class ConformanceCatalogTest {

    @Test
    void everyNamedTestExistsAndEveryCheckHasTestsOrAReason() throws Exception {
        KitChecks catalogue = KitChecks.load();
        assertThat(catalogue.checks()).hasSizeGreaterThan(40);
        Set<String> ids = new HashSet<>();
        for (KitChecks.Check check : catalogue.checks()) {
            assertThat(ids.add(check.kit() + " " + check.id())).as("listed once: " + check.id()).isTrue();
            assertThat(check.tests().isEmpty()).as(check.id() + ": tests, or a reason why not, never both or neither")
                    .isNotEqualTo(check.notMadeBecause().isBlank());
            for (String test : check.tests()) {
                String[] parts = test.split("#");
                assertThat(parts).as(test).hasSize(2);
                Class<?> type = Class.forName("org.medpolicy.app.http." + parts[0]);
                Method method = Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(parts[1])).findFirst()
                        .orElseThrow(() -> new AssertionError(check.id() + " names " + test + ", which does not exist"));
                assertThat(Arrays.stream(method.getAnnotations()).map(a -> a.annotationType().getSimpleName()))
                        .as(test + " is a test").containsAnyOf("Test", "ParameterizedTest");
            }
        }
    }
}
