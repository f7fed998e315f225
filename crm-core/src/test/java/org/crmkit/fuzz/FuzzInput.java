package org.crmkit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.crmkit.error.CrmException;
import org.crmkit.error.FieldError;
import org.crmkit.error.SchemaException;
import org.crmkit.error.ValidationException;

/**
 * What the Jazzer fuzz tests share: how their raw input becomes text, and the contract of a refusal. A parser of
 * untrusted input either succeeds or throws a typed {@link CrmException} that says what is wrong (a
 * {@link ValidationException} with at least one {@link FieldError}, each with a field, a code and a message; a
 * {@link SchemaException} naming the object type); anything else escaping a fuzz test (a
 * {@code NullPointerException}, a {@code StackOverflowError}, an {@code IllegalStateException}, ...) is a finding.
 *
 * <p>Inputs are raw bytes so that the committed corpus files are the very text a user would give: a target reads
 * them as UTF-8 (malformed sequences become U+FFFD, as a reader decoding a user's file would make them). A target
 * that needs a choice besides the text takes it from the first byte, {@link #choice}: {@code '0'} is the first
 * option, {@code '1'} the second, and so on, so that a seed file reads {@code 1+44 20 7946 0958}.
 */
public final class FuzzInput {
    private FuzzInput() {}

    /** The bytes as UTF-8 text. */
    public static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The bytes after the first as UTF-8 text (empty when there are none). */
    public static String rest(byte[] data) {
        return data.length < 2 ? "" : text(Arrays.copyOfRange(data, 1, data.length));
    }

    /** The option the first byte picks among {@code count}: {@code '0'} the first, {@code '1'} the second... */
    public static int choice(byte[] data, int count) {
        return data.length == 0 ? 0 : Math.floorMod(data[0] - '0', count);
    }

    /** Checks that a refusal is typed and says what is wrong; rethrows it when it does not. */
    public static void refused(CrmException e) {
        assertThat(e.code()).as("error code of %s", e).isNotNull();
        assertThat(e.getMessage()).as("message of %s", e).isNotBlank();
        if (e instanceof ValidationException v) {
            assertThat(v.errors()).as("errors of %s", e).isNotEmpty();
            for (FieldError error : v.errors()) {
                // the field as the caller named it: a filter on the path "" is refused on field ""
                assertThat(error.message()).as("message of %s", error).isNotBlank();
            }
        }
        if (e instanceof SchemaException s) {
            assertThat(s.objectType()).as("object type of %s", e).isNotBlank();
        }
    }
}
