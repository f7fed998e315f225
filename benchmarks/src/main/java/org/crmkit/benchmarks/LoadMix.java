package org.crmkit.benchmarks;

import java.util.Random;

/**
 * The shares of the operations of the {@code load} suite's mixed workload, in whole percent: by default 70% reads
 * (get by id), 20% updates (one field, at the known version) and 10% creates.
 *
 * @param readPercent   share of {@link Op#READ}
 * @param updatePercent share of {@link Op#UPDATE}
 * @param createPercent share of {@link Op#CREATE}
 */
record LoadMix(int readPercent, int updatePercent, int createPercent) {
    /** The mix issue 19 asks for: 70% reads, 20% updates, 10% creates. */
    static final LoadMix DEFAULT = new LoadMix(70, 20, 10);

    /** One kind of operation of the workload. */
    enum Op {
        READ, UPDATE, CREATE;

        /** The name in BENCH lines and notes: read, update, create. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    LoadMix {
        if (readPercent < 0 || updatePercent < 0 || createPercent < 0
                || readPercent + updatePercent + createPercent != 100) {
            throw new IllegalArgumentException("the shares must be at least 0 and add up to 100, got " + readPercent
                    + "/" + updatePercent + "/" + createPercent);
        }
    }

    /** The next operation: one draw of {@code random}, each kind with its share's probability. */
    Op next(Random random) {
        int x = random.nextInt(100);
        return x < readPercent ? Op.READ : x < readPercent + updatePercent ? Op.UPDATE : Op.CREATE;
    }

    /** The share of {@code op}, in percent. */
    int percent(Op op) {
        return switch (op) {
            case READ -> readPercent;
            case UPDATE -> updatePercent;
            case CREATE -> createPercent;
        };
    }
}
