package org.crmkit.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The relay modules' API rule (ArchUnit): no public or protected member of a public class outside {@code internal}
 * packages shows an internal type or a type of the given third-party packages (a broker's client, Jackson), and
 * nothing uses crm-core's {@code internal} packages.
 */
public final class PublicApi {
    private PublicApi() {}

    /** Checks the classes of {@code pkg} (and below); {@code hidden} are package prefixes that must not show. */
    public static void assertHides(String pkg, String... hidden) {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(pkg);
        assertThat(classes).as("classes of " + pkg).isNotEmpty();
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            c.getDirectDependenciesFromSelf().stream()
                    .filter(d -> d.getTargetClass().getPackageName().startsWith("org.crmkit.internal"))
                    .forEach(d -> violations.add(d.getDescription()));
            if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.getPackageName().contains(".internal")) {
                continue;
            }
            for (JavaCodeUnit m : c.getCodeUnits()) {
                boolean visible = m.getModifiers().contains(JavaModifier.PUBLIC)
                        || m.getModifiers().contains(JavaModifier.PROTECTED);
                List<JavaClass> types = new ArrayList<>(m.getRawParameterTypes());
                types.add(m.getRawReturnType());
                if (visible && types.stream().anyMatch(t -> shows(t, hidden))) {
                    violations.add(m.getFullName() + " shows a hidden type");
                }
            }
            List<JavaClass> supers = new ArrayList<>(c.getRawInterfaces());
            c.getRawSuperclass().ifPresent(supers::add);
            if (supers.stream().anyMatch(t -> shows(t, hidden))) {
                violations.add(c.getName() + " extends or implements a hidden type");
            }
        }
        assertThat(violations).isEmpty();
    }

    private static boolean shows(JavaClass t, String... hidden) {
        JavaClass base = t.isArray() ? t.getBaseComponentType() : t;
        return base.getPackageName().contains(".internal")
                || Arrays.stream(hidden).anyMatch(h -> base.getName().startsWith(h));
    }
}
