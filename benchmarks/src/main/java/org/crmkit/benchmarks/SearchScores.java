package org.crmkit.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One search engine's results in the {@code search} suite: its latencies, and for each query whether a right answer
 * came first and whether one was in the top {@code top}, so recall can be told overall, per query kind or for any
 * chosen queries.
 */
final class SearchScores {
    final String name;
    private final int top;
    private final Latencies latencies = new Latencies();
    private final boolean[] at1;
    private final boolean[] atTop;
    private final SearchData.QueryCase[] cases;

    SearchScores(String name, int queries, int top) {
        this.name = name;
        this.top = top;
        this.at1 = new boolean[queries];
        this.atTop = new boolean[queries];
        this.cases = new SearchData.QueryCase[queries];
    }

    /** Records query {@code i}: how long it took and the ids it returned, best first. */
    void record(int i, long elapsed, List<Integer> hits, SearchData.QueryCase qc) {
        latencies.record(elapsed);
        cases[i] = qc;
        at1[i] = !hits.isEmpty() && qc.answers().contains(hits.get(0));
        atTop[i] = hits.stream().limit(top).anyMatch(qc.answers()::contains);
    }

    /** Whether query {@code i} had a right answer in the top. */
    boolean answeredInTop(int i) {
        return atTop[i];
    }
    double percentile(int p) {
        return latencies.percentile(p);
    }

    /** The share of queries answered at rank 1 ({@code k} 1) or in the top ({@code k} anything else). */
    double recall(int k) {
        boolean[] hits = k == 1 ? at1 : atTop;
        int n = 0;
        for (boolean h : hits) {
            n += h ? 1 : 0;
        }
        return n / (double) hits.length;
    }

    /** Recall of the queries {@code which} selects: "n= at1= at10=". */
    String recall(Predicate<SearchData.QueryCase> which) {
        int n = 0;
        int one = 0;
        int ten = 0;
        for (int i = 0; i < cases.length; i++) {
            if (which.test(cases[i])) {
                n++;
                one += at1[i] ? 1 : 0;
                ten += atTop[i] ? 1 : 0;
            }
        }
        return String.format(Locale.ROOT, "n=%d at1=%.3f at10=%.3f", n, one / (double) Math.max(1, n),
                ten / (double) Math.max(1, n));
    }

    /** Recall in the top by query kind: "one_typo=0.98 two_typos=0.97 ...". */
    String byKind() {
        Map<SearchData.Kind, int[]> counts = new java.util.EnumMap<>(SearchData.Kind.class);
        for (int i = 0; i < cases.length; i++) {
            int[] c = counts.computeIfAbsent(cases[i].kind(), k -> new int[2]);
            c[0]++;
            c[1] += atTop[i] ? 1 : 0;
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, c) -> sb.append(k.name().toLowerCase(Locale.ROOT)).append('=')
                .append(String.format(Locale.ROOT, "%.2f", c[1] / (double) c[0])).append(' '));
        return sb.toString().trim();
    }
}
