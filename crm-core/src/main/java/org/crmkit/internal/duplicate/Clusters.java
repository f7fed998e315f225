package org.crmkit.internal.duplicate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crmkit.duplicate.DuplicateCluster;

/** Union-find over record ids: pairs of duplicates in, connected clusters out. Not thread-safe. */
public final class Clusters {
    private final Map<UUID, UUID> parent = new HashMap<>();
    private final Map<UUID, Double> top = new HashMap<>();

    /** Notes that {@code a} and {@code b} are duplicates with {@code score}. */
    public void pair(UUID a, UUID b, double score) {
        UUID ra = root(a);
        UUID rb = root(b);
        double best = Math.max(score, Math.max(top.getOrDefault(ra, 0.0), top.getOrDefault(rb, 0.0)));
        if (!ra.equals(rb)) {
            UUID keep = ra.compareTo(rb) < 0 ? ra : rb;
            UUID gone = keep == ra ? rb : ra;
            parent.put(gone, keep);
            top.remove(gone);
        }
        top.put(root(a), best);
    }

    /** How many clusters there are so far. */
    public int count() {
        return (int) parent.keySet().stream().filter(id -> root(id).equals(id)).count();
    }

    /** The clusters, largest first, then by their oldest id; ids in each cluster in id order. */
    public List<DuplicateCluster> clusters() {
        Map<UUID, List<UUID>> groups = new HashMap<>();
        for (UUID id : List.copyOf(parent.keySet())) {
            groups.computeIfAbsent(root(id), k -> new ArrayList<>()).add(id);
        }
        List<DuplicateCluster> out = new ArrayList<>();
        groups.forEach((root, ids) -> {
            ids.sort(Comparator.naturalOrder());
            out.add(new DuplicateCluster(ids, top.getOrDefault(root, 0.0)));
        });
        out.sort(Comparator.comparingInt((DuplicateCluster c) -> -c.ids().size()).thenComparing(c -> c.ids().get(0)));
        return out;
    }

    private UUID root(UUID id) {
        UUID p = parent.computeIfAbsent(id, k -> k);
        if (p.equals(id)) {
            return id;
        }
        UUID r = root(p);
        parent.put(id, r);
        return r;
    }
}
