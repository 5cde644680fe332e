package dev.bonsai.models.tokenizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Every merge a vocabulary allows, built once: for each pair of ids whose pieces concatenate to a piece, that
 * piece's id. It is found by cutting each piece at every position into two pieces, which finds every such pair,
 * because a pair's concatenation is cut into the pair at the first piece's length. Immutable, so tokenizers share
 * it between threads; an open-addressing table of primitive keys, so encoding neither concatenates strings nor
 * boxes ids.
 */
final class MergeTable {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final int[] values;
    private final int mask;

    /**
     * The merges of {@code pieces}, each into the lowest id that spells the concatenation, leaving out pieces
     * {@code mergeable} rejects.
     */
    MergeTable(List<String> pieces, IntPredicate mergeable) {
        Map<String, List<Integer>> ids = new HashMap<>(pieces.size() * 2);
        for (int id = 0; id < pieces.size(); id++) {
            ids.computeIfAbsent(pieces.get(id), k -> new ArrayList<>(1)).add(id);
        }
        List<long[]> found = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> entry : ids.entrySet()) {
            String piece = entry.getKey();
            int merged = entry.getValue().get(0);
            if (!mergeable.test(merged)) {
                continue;
            }
            for (int cut = 0; cut <= piece.length(); cut++) {
                List<Integer> lefts = ids.get(piece.substring(0, cut));
                List<Integer> rights = lefts == null ? null : ids.get(piece.substring(cut));
                if (rights == null) {
                    continue;
                }
                for (int a : lefts) {
                    for (int b : rights) {
                        found.add(new long[] {key(a, b), merged});
                    }
                }
            }
        }
        int capacity = Integer.highestOneBit(Math.max(16, found.size() * 2)) * 2;
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
        for (long[] f : found) {
            int slot = slot(f[0]);
            keys[slot] = f[0];
            values[slot] = (int) f[1];
        }
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    /** The slot of {@code key}: where it is, or the empty slot where it would go. */
    private int slot(long key) {
        int i = (int) (mix(key) & mask);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    /** The id {@code a}'s and {@code b}'s pieces merge into, or −1. */
    int merged(int a, int b) {
        int slot = slot(key(a, b));
        return keys[slot] == EMPTY ? -1 : values[slot];
    }
}
