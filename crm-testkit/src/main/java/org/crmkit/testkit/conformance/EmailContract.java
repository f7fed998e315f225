package org.crmkit.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.crmkit.query.Filters.where;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.query.Filters;
import org.crmkit.query.Query;
import org.crmkit.record.Record;
import org.crmkit.schema.Field;
import org.crmkit.schema.ObjectType;
import org.junit.jupiter.api.Test;

/**
 * Internationalised email addresses (RFC 6531 local parts, IDN domains) are accepted and stored in one normal
 * form (NFC, local part as typed, domain lower case in Unicode), so equality filters and unique fields treat the
 * Unicode and the {@code xn--} form of a domain as the same address; malformed addresses are refused.
 */
public abstract class EmailContract extends ConformanceContract {

    private Record contact(String email) {
        return records("contact").create(values("last_name", "x", "email", email));
    }

    @Test
    void internationalisedAddressesAreStoredInNormalForm() {
        Map<String, String> written = new LinkedHashMap<>();
        written.put("jörg@müller.de", "jörg@müller.de");
        written.put("jörg@xn--mller-kva.de", "jörg@müller.de");
        written.put("Jörg@MÜLLER.DE", "Jörg@müller.de");
        written.put("jo\u0308rg@mu\u0308ller.de", "jörg@müller.de");
        written.put("ada@example.xn--p1ai", "ada@example.рф");
        written.put("ada@EXAMPLE.РФ", "ada@example.рф");
        written.put("łukasz@przykład.pl", "łukasz@przykład.pl");
        written.put("søren.ødegård@example.no", "søren.ødegård@example.no");
        written.put("straße@example.de", "straße@example.de");
        written.put("ışık@örnek.com.tr", "ışık@örnek.com.tr");
        written.put("用户@例子.广告", "用户@例子.广告");
        written.put("Ada.Lovelace+crm@Example.COM", "Ada.Lovelace+crm@example.com");
        written.put("a@xn--strae-oqa.de", "a@xn--strae-oqa.de");
        written.forEach((in, stored) -> {
            Record r = contact(in);
            assertThat(r.getString("email")).as("%s", in).isEqualTo(stored);
            Record read = all(records("contact"), Query.where(where("id").eq(r.id()))).get(0);
            assertThat(read.getString("email")).as("%s read back", in).isEqualTo(stored);
        });
    }

    @Test
    void equalityFiltersMatchBothFormsOfADomain() {
        Record jorg = contact("jörg@müller.de");
        Record ada = contact("ada@example.xn--p1ai");
        contact("other@example.com");
        assertThat(ids(records("contact"), where("email").eq("jörg@xn--mller-kva.de"))).containsExactly(jorg.id());
        assertThat(ids(records("contact"), where("email").eq("jörg@MÜLLER.de"))).containsExactly(jorg.id());
        assertThat(ids(records("contact"), where("email").eq("jo\u0308rg@müller.de"))).containsExactly(jorg.id());
        assertThat(ids(records("contact"), where("email").eq("ada@example.рф"))).containsExactly(ada.id());
        assertThat(ids(records("contact"), where("email").eq("ada@example.xn--p1ai"))).containsExactly(ada.id());
        assertThat(ids(records("contact"), where("email").in("ada@EXAMPLE.XN--P1AI", "jörg@xn--mller-kva.de")))
                .containsExactlyInAnyOrder(ada.id(), jorg.id());
        assertThat(records("contact").count(where("email").ne("ada@example.xn--p1ai"))).isEqualTo(2);
    }

    @Test
    void uniqueAddressesCompareInNormalForm() {
        crm().schema().addObjectType(ObjectType.custom("member", "Member", Field.text("name").required(true),
                Field.email("login").unique(true)));
        records("member").create(values("name", "a", "login", "jörg@müller.de"));
        for (String same : List.of("jörg@xn--mller-kva.de", "jörg@MÜLLER.DE", "jo\u0308rg@müller.de")) {
            assertThatThrownBy(() -> records("member").create(values("name", "b", "login", same))).as(same)
                    .matches(error("login", FieldErrorCode.NOT_UNIQUE));
        }
        records("member").create(values("name", "c", "login", "Jörg@müller.de"));
        assertThat(records("member").count(Filters.all())).isEqualTo(2);
    }

    @Test
    void malformedAddressesAreRefused() {
        for (String bad : List.of("jörg müller@x.de", "a..b@x.de", ".a@x.de", "a.@x.de", "a@b", "a@-x.de",
                "a@x-.de", "a@x..de", "a@x.de.", "a\u0000b@x.de", "a\u200bb@x.de", "a\u202eb@x.de", "a\u00a0b@x.de",
                "a@x_y.de", "\"quoted\"@x.de", "a@straße.de", "a@x.123", "a@[127.0.0.1]", "@x.de", "a@", "a",
                "x".repeat(65) + "@x.de", "ł".repeat(33) + "@x.de", "a@" + ("a".repeat(63) + ".").repeat(4) + "de",
                "a@b@x.de", "a(b)@x.de", "a,b@x.de")) {
            assertThatThrownBy(() -> contact(bad)).as("%s", bad).matches(error("email", FieldErrorCode.INVALID_EMAIL));
        }
        assertThat(records("contact").count(Filters.all())).isZero();
    }
}
