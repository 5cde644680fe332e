package dev.bonsai.models.tokenizers;

import java.util.Arrays;

/**
 * The candidate merges of a BPE encoding as a binary min-heap of primitive keys: each key packs a merge's score
 * (higher first) and the position of its left piece (lower first on equal scores), so the head is the pair
 * llama2.c's scan would pick.
 */
final class PairQueue {
    private long[] heap;
    private int size;

    /** An empty queue with room for {@code capacity} keys before it grows. */
    PairQueue(int capacity) {
        heap = new long[Math.max(16, capacity)];
    }

    /** The key of a merge with {@code score} whose left piece is at {@code position} (non-negative). */
    static long key(float score, int position) {
        int bits = Float.floatToIntBits(score);
        int ascending = bits >= 0 ? bits : bits ^ 0x7FFFFFFF; // ordered as the floats are, as a signed int
        return ((long) ~ascending << 32) | (position & 0xFFFFFFFFL);
    }

    /** The position of {@code key}'s left piece. */
    static int position(long key) {
        return (int) key;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(long key) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= key) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = key;
    }

    /** Removes and returns the smallest key (the best merge). */
    long poll() {
        long top = heap[0];
        long last = heap[--size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (last <= heap[child]) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
        return top;
    }
}
