package desk.engine.control;

/**
 * Values by node id, found without boxing the id: a hash table of {@code int} keys with open addressing
 * (linear probing, deletion by backward shift) that grows when half full. A lookup allocates nothing, which
 * a {@code Map<Integer, V>} cannot promise for ids above the boxed-integer cache.
 * <p>
 * Threads: one thread at a time (the engine's control side, under its lock).
 *
 * @param <V> the values
 */
final class IdIndex<V> {
    private static final int INITIAL_CAPACITY = 16;

    private int[] keys = new int[INITIAL_CAPACITY];
    private Object[] values = new Object[INITIAL_CAPACITY];
    private int size;

    /** The value of {@code id}, or null. */
    @SuppressWarnings("unchecked")
    V get(int id) {
        int mask = keys.length - 1;
        for (int i = home(id, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == id) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Makes {@code value} (not null) the value of {@code id}. */
    void put(int id, V value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = home(id, mask);
        while (values[i] != null) {
            if (keys[i] == id) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = id;
        values[i] = value;
        size++;
    }

    /** Forgets {@code id}, if it has a value. */
    void remove(int id) {
        int mask = keys.length - 1;
        int hole = home(id, mask);
        while (values[hole] != null && keys[hole] != id) {
            hole = (hole + 1) & mask;
        }
        if (values[hole] == null) {
            return;
        }
        for (int i = (hole + 1) & mask; values[i] != null; i = (i + 1) & mask) {
            int from = home(keys[i], mask);
            if (((i - from) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
        size--;
    }

    private void grow() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                @SuppressWarnings("unchecked")
                V value = (V) oldValues[i];
                put(oldKeys[i], value);
            }
        }
    }

    private static int home(int id, int mask) {
        int hash = id * 0x9E3779B9;
        return (hash ^ (hash >>> 16)) & mask;
    }
}
