package org.crmkit.storage.memory.internal;

/** Reads what a {@link ByteSink} wrote, from a position up to the end of an array. */
final class ByteSource {
    final byte[] buf;
    int pos;

    ByteSource(byte[] buf, int pos) {
        this.buf = buf;
        this.pos = pos;
    }

    boolean hasMore() {
        return pos < buf.length;
    }

    int get() {
        return buf[pos++] & 0xFF;
    }

    long getVarLong() {
        long v = 0;
        int shift = 0;
        while (true) {
            int b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            shift += 7;
        }
    }

    int getVarInt() {
        return Math.toIntExact(getVarLong());
    }

    long getSigned() {
        long v = getVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    long getLong() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }
}
