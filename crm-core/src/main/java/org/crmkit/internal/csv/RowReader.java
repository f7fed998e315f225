package org.crmkit.internal.csv;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crmkit.error.FieldError;
import org.crmkit.error.FieldErrorCode;
import org.crmkit.internal.csv.ColumnPlan.Target;
import org.crmkit.schema.Field;

/**
 * Turns the cells of one row into the values of a record ({@link CsvRow}): each mapped, non-blank cell read for its
 * field ({@link CellReader}); the parts of an address gathered into one value; a money field's amount joined with
 * the currency written in it or in its currency column (both given and different is an error).
 */
final class RowReader {
    private final ColumnPlan plan;
    private final CellReader cells;

    RowReader(ColumnPlan plan, CellReader cells) {
        this.plan = plan;
        this.cells = cells;
    }

    CsvRow read(List<String> row) {
        Map<String, Object> values = new HashMap<>();
        List<FieldError> errors = new ArrayList<>();
        Map<Field, Map<String, String>> addresses = new LinkedHashMap<>();
        Map<Field, MoneyText.Amount> amounts = new LinkedHashMap<>();
        Map<Field, String> codes = new LinkedHashMap<>();
        for (int i = 0; i < plan.columnCount(); i++) {
            Target t = plan.target(i);
            String cell = row.get(i);
            if (t == null || cell.isBlank()) {
                continue;
            }
            Field f = t.field();
            if (f == null) {
                values.put(t.name(), CellText.strip(cell));
            } else if (t.part() == null) {
                Object v = cells.read(f, cell, errors);
                if (v instanceof MoneyText.Amount a) {
                    amounts.put(f, a);
                } else if (v != null) {
                    values.put(f.name(), v);
                }
            } else if (f.type() == org.crmkit.schema.FieldType.REFERENCE) {
                values.put(t.shown(), CellText.unguarded(cell)); // a value of the record a lookup creates
            } else if (t.part().equals(ColumnPlan.CURRENCY)) {
                String code = cells.currency(f, cell, errors);
                if (code != null) {
                    codes.put(f, code);
                }
            } else {
                addresses.computeIfAbsent(f, k -> new HashMap<>()).put(t.part(), CellText.unguarded(cell));
            }
        }
        addresses.forEach((f, parts) -> values.put(f.name(), parts));
        amounts.forEach((f, a) -> {
            String code = codes.get(f);
            if (code != null && a.currency() != null && !code.equals(a.currency())) {
                errors.add(new FieldError(f.name(), FieldErrorCode.INVALID_CURRENCY, "the amount is in "
                        + a.currency() + " but its currency column says " + code));
                return;
            }
            String currency = a.currency() != null ? a.currency() : code;
            values.put(f.name(), currency == null ? a.amount() : money(a.amount(), currency));
        });
        // an error's field is left out, so that the engine's other checks do not report it again
        errors.forEach(e -> values.remove(e.field()));
        return new CsvRow(values, errors);
    }

    private static Map<String, Object> money(BigDecimal amount, String currency) {
        return Map.of("amount", amount, "currency", currency);
    }
}
