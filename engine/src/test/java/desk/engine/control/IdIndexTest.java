package desk.engine.control;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The id index agrees with a hash map through long random runs of puts and removes, colliding ids included. */
class IdIndexTest {
    @Test
    void agreesWithAHashMap() {
        for (int bound : new int[]{8, 64, 5_000, Integer.MAX_VALUE}) {
            SplittableRandom random = new SplittableRandom(bound);
            IdIndex<String> index = new IdIndex<>();
            Map<Integer, String> expected = new HashMap<>();
            for (int step = 0; step < 200_000; step++) {
                int id = random.nextInt(-bound, bound);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        index.put(id, "v" + step);
                        expected.put(id, "v" + step);
                    }
                    case 1 -> {
                        index.remove(id);
                        expected.remove(id);
                    }
                    default -> assertEquals(expected.get(id), index.get(id), "id " + id + " at step " + step);
                }
            }
            for (Map.Entry<Integer, String> entry : expected.entrySet()) {
                assertEquals(entry.getValue(), index.get(entry.getKey()));
            }
        }
    }

    @Test
    void idsCrowdedIntoFewSlotsStayReachableAsOthersGo() {
        IdIndex<Integer> index = new IdIndex<>();
        int[] ids = new int[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i << 20;
            index.put(ids[i], i);
        }
        for (int i = 0; i < ids.length; i += 2) {
            index.remove(ids[i]);
        }
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i % 2 == 0 ? null : Integer.valueOf(i), index.get(ids[i]));
        }
    }
}
