package com.example.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.crmkit.Crm;
import org.crmkit.query.Filters;
import org.crmkit.security.Principal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** The order and the CRM task commit together, or neither does. */
@SpringBootTest(properties = {"spring.datasource.url=jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1",
        "crmkit.search.enabled=false", "crmkit.workflow.workers=0"})
class OrdersTest {
    @Autowired
    ErpApplication.Orders orders;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Crm crm;

    @Test
    void aRefusedOrderLeavesNoTaskAndAPlacedOneKeepsBoth() {
        orders.place("test-placed", false);
        assertThatThrownBy(() -> orders.place("test-refused", true)).isInstanceOf(IllegalStateException.class);
        // (the application's own start-up run placed orders too, with ids of its own: match whole subjects)
        assertThat(jdbc.queryForList("select id from erp_order", String.class)).contains("test-placed")
                .doesNotContain("test-refused");
        assertThat(tasksAbout("test-placed")).isEqualTo(1);
        assertThat(tasksAbout("test-refused")).isZero();
    }

    private long tasksAbout(String orderId) {
        return crm.as(Principal.SYSTEM).records("task").count(Filters.where("subject").eq("Call about order " + orderId));
    }
}
