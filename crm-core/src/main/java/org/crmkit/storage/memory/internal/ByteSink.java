package org.crmkit.storage.memory.internal;

import java.util.Arrays;

/** A growable byte buffer with variable-length number encodings, the writing half of the compact row format. */
final class ByteSink {
    private byte[] buf = new byte[128];
    private int size;

    int size() {
        return size;
    }

    void put(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** An unsigned variable-length number: 7 bits a byte, low bits first. */
    void putVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** A signed number, zig-zag encoded so that small negative numbers stay short. */
    void putSigned(long v) {
        putVarLong((v << 1) ^ (v >> 63));
    }

    void putLong(long v) {
        ensure(8);
        for (int i = 56; i >= 0; i -= 8) {
            buf[size++] = (byte) (v >>> i);
        }
    }

    void putBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Whether bytes {@code from} to the end equal {@code other} from {@code otherFrom} to its end. */
    boolean regionEquals(int from, byte[] other, int otherFrom) {
        return Arrays.equals(buf, from, size, other, otherFrom, other.length);
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }

    /** The bytes from {@code from} to the end. */
    byte[] toArray(int from) {
        return Arrays.copyOfRange(buf, from, size);
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
