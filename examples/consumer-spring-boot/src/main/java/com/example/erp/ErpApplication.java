package com.example.erp;

import java.util.Map;
import org.crmkit.Crm;
import org.crmkit.security.Principal;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@SpringBootApplication
public class ErpApplication {
    public static void main(String[] args) {
        SpringApplication.run(ErpApplication.class, args).close();
    }

    /** Places orders: the ERP's row and the CRM's follow-up task, in one Spring transaction. */
    @Service
    public static class Orders {
        private final JdbcTemplate jdbc;
        private final Crm crm;

        Orders(JdbcTemplate jdbc, Crm crm) {
            this.jdbc = jdbc;
            this.crm = crm;
            jdbc.execute("create table if not exists erp_order (id varchar(40) primary key)");
        }

        @Transactional
        public void place(String id, boolean fail) {
            jdbc.update("insert into erp_order (id) values (?)", id);
            crm.as(Principal.SYSTEM).records("task").create(Map.of("subject", "Call about order " + id));
            if (fail) {
                throw new IllegalStateException("order " + id + " refused");
            }
        }
    }

    @Bean
    CommandLineRunner demo(Orders orders, JdbcTemplate jdbc, Crm crm) {
        return args -> {
            orders.place("o-" + System.nanoTime(), false);
            try {
                orders.place("bad-" + System.nanoTime(), true);
            } catch (IllegalStateException e) {
                System.out.println("refused: " + e.getMessage());
            }
            long tasks = crm.as(Principal.SYSTEM).records("task").count(org.crmkit.query.Filters.where("subject").contains("bad-"));
            long good = crm.as(Principal.SYSTEM).records("task").count(org.crmkit.query.Filters.where("subject").contains("o-"));
            Integer bad = jdbc.queryForObject("select count(*) from erp_order where id like 'bad-%'", Integer.class);
            System.out.println("tasks for refused orders=" + tasks + ", refused order rows=" + bad + ", tasks=" + good);
            if (tasks != 0 || bad != 0 || good < 1) {
                throw new IllegalStateException("the order and the task did not commit together");
            }
            System.out.println("consumer-spring-boot ok");
        };
    }
}
