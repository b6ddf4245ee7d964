package desk.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import desk.engine.AutomationLane;
import desk.engine.Interpolation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A lane's points written as a session file writes them and read back give the same samples and values. */
class LanePointsTest {
    @Property(tries = 300)
    void pointsWrittenAndReadBackAreTheSameSamplesAndValues(@ForAll("lanes") AutomationLane lane,
                                                            @ForAll("rates") int rate) {
        String text = "{\"lanes\": {\"fader\": {\"points\": "
                + new String(new LanePoints(lane, rate).json(6), StandardCharsets.US_ASCII) + "}}}";
        JsonNode points = SessionJson.parse(text.getBytes(StandardCharsets.UTF_8), "lane", rate).root()
                .path("lanes").path("fader").path("points");
        AutomationLane read = ((LanePoints) ((POJONode) points).getPojo()).lane();
        assertArrayEquals(lane.times(), read.times(), text);
        assertArrayEquals(lane.values(), read.values(), text);
        assertArrayEquals(lane.interpolations(), read.interpolations(), text);
    }

    @Provide
    Arbitrary<Integer> rates() {
        return Arbitraries.of(8000, 22050, 44100, 48000, 88200, 96000, 192000, 384000);
    }

    @Provide
    Arbitrary<AutomationLane> lanes() {
        Arbitrary<Long> times = Arbitraries.oneOf(Arbitraries.longs().between(0, 1000),
                Arbitraries.longs().between(0, desk.engine.Limits.MAX_SAMPLE_TIME));
        Arbitrary<Double> values = Arbitraries.oneOf(Arbitraries.doubles().between(-150, 24),
                Arbitraries.of(Double.NEGATIVE_INFINITY, 0.0, -6.0, 1e-300));
        Arbitrary<Interpolation> interpolations = Arbitraries.of(Interpolation.class);
        return Arbitraries.integers().between(0, 40).flatMap(size -> times.list().ofSize(size).flatMap(
                t -> values.list().ofSize(size).flatMap(v -> interpolations.list().ofSize(size).map(i -> {
                    long[] sorted = t.stream().mapToLong(Long::longValue).sorted().toArray();
                    return new AutomationLane(sorted, v.stream().mapToDouble(Double::doubleValue).toArray(),
                            i.toArray(new Interpolation[0]));
                }))));
    }

    @Test
    void aLaneReadsAsItIsWrittenOnePointPerLine() {
        AutomationLane lane = new AutomationLane(new long[] {0, 24_000, 48_000 * 90L + 1},
                new double[] {-6, Double.NEGATIVE_INFINITY, -12.345678901234567},
                new Interpolation[] {Interpolation.DB, Interpolation.STEP, Interpolation.S_CURVE});
        assertEquals("""
                [
                    [0.0, -6.0, "db"],
                    [0.5, "-inf", "step"],
                    [90.000021, -12.345678901234567, "scurve"]
                  ]""", new String(new LanePoints(lane, 48_000).json(2), StandardCharsets.US_ASCII));
        assertEquals("[[1.5, 0.0, \"gain\"]]", new String(new LanePoints(new AutomationLane(new long[] {72_000},
                new double[] {0}, new Interpolation[] {Interpolation.GAIN}), 48_000).json(4), StandardCharsets.US_ASCII));
    }

    @Test
    void theSameLaneWrittenTwiceIsMadeOnce() {
        LanePoints points = new LanePoints(new AutomationLane(new long[] {0}, new double[] {0},
                new Interpolation[] {Interpolation.DB}), 48_000);
        assertSame(points.json(8), points.json(8));
        assertEquals(List.of(true, false), List.of(points.written(8), points.written(10)));
    }
}
