package org.crmkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.crmkit.annotations.Incubating;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@link Incubating} marks are where the API check (japicmp, docs/compatibility.md) can see them: on each type
 * of {@code org.crmkit.search} and on the API methods that lead into it, never on a whole package (japicmp extends a
 * package's mark to its subpackages, which would exempt the SPI packages {@code search.spi} and
 * {@code search.support} from the check).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StabilityMarkersTest {
    private static final String SEARCH_API = "org.crmkit.search";

    private JavaClasses classes;

    @BeforeAll
    void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.crmkit");
    }

    @Test
    void everyPublicTypeOfTheSearchApiIsIncubating() {
        // the annotation has CLASS retention: the import must see it on a type known to carry it
        assertThat(classes.get("org.crmkit.search.SearchQuery").isAnnotatedWith(Incubating.class)).isTrue();
        classes().that().resideInAPackage(SEARCH_API).and().arePublic().and().doNotHaveSimpleName("package-info")
                .should().beAnnotatedWith(Incubating.class).check(classes);
    }

    @Test
    void apiMethodsThatLeadIntoTheSearchApiAreIncubating() {
        DescribedPredicate<JavaMethod> leadsIntoSearch = DescribedPredicate.describe(
                "return or take a type of " + SEARCH_API,
                m -> inSearchApi(m.getRawReturnType()) || m.getRawParameterTypes().stream().anyMatch(
                        StabilityMarkersTest::inSearchApi));
        methods().that().areDeclaredInClassesThat().resideInAnyPackage("org.crmkit").and().arePublic()
                .and(leadsIntoSearch).should().beAnnotatedWith(Incubating.class).check(classes);
    }

    @Test
    void noPackageIsIncubatingAsAWhole() {
        // the rule below is not vacuous: package-info classes are imported
        assertThat(classes.contain("org.crmkit.search.package-info")).isTrue();
        classes().that().haveSimpleName("package-info").should().notBeAnnotatedWith(Incubating.class)
                .because("japicmp would exempt the package's subpackages (search.spi, search.support) too")
                .check(classes);
    }

    private static boolean inSearchApi(JavaClass type) {
        return type.getPackageName().equals(SEARCH_API);
    }
}
