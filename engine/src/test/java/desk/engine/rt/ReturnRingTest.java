package desk.engine.rt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The ring back from the audio thread keeps order, never blocks, and counts what found it full. */
class ReturnRingTest {
    @Test
    void objectsComeBackInOrderAndAFullRingCountsInsteadOfWaiting() {
        ReturnRing ring = new ReturnRing(4);
        Object[] sent = {new Object(), new Object(), new Object(), new Object(), new Object()};
        for (Object object : sent) {
            ring.rtOffer(object);
        }
        ring.rtOffer(null);
        assertEquals(1, ring.overflows(), "the fifth found the ring full; null is not offered at all");
        for (int i = 0; i < 4; i++) {
            assertSame(sent[i], ring.poll());
        }
        assertNull(ring.poll());
        ring.rtOffer(sent[4]);
        assertSame(sent[4], ring.poll(), "places are reused once taken");
    }
}
