package desk.engine.control;

import desk.engine.EngineCommand;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.StripKind;
import desk.engine.insert.ProcessorBatch;
import desk.engine.rt.AudioGraph;
import desk.engine.rt.CommandRing;
import desk.engine.rt.StripNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the audio thread lets go of comes back to the control side and is released there. */
class DisposerTest {
    @Test
    void everyPlanTheAudioThreadReplacesIsReleasedOnTheControlSide() {
        StripNode playback = new StripNode(NodeIds.NO_NODE, StripKind.MASTER, 2, 48000, Mixer.declickSamples(48000));
        AudioGraph graph = new AudioGraph(playback, ProcessorBatch.NONE);
        Mixer mixer = new Mixer(48000, 0, Limits.FIRST_DIRECT_OUT, graph, playback);
        float[][] out = {new float[64], new float[64]};
        graph.rtProcess(new float[0][], out, 0, 64);
        mixer.maintain();
        long atStart = mixer.released();

        for (int id = NodeIds.FIRST_FREE_ID; id < NodeIds.FIRST_FREE_ID + 5; id++) {
            mixer.apply(new EngineCommand.CreateStrip(id, StripKind.TRACK, 1), CommandRing.NOW);
        }
        assertEquals(atStart, mixer.released(), "nothing is released before the audio thread has let it go");
        graph.rtProcess(new float[0][], out, 0, 64);
        mixer.maintain();

        assertEquals(atStart + 5, mixer.released(), "five new plans replaced five: each old one came back");
        mixer.close();
    }

    @Test
    void withNoAudioThreadTheQueueIsAppliedBeforeEachCommandSoNothingReplacedStaysAlive() {
        StripNode playback = new StripNode(NodeIds.NO_NODE, StripKind.MASTER, 2, 48000, Mixer.declickSamples(48000));
        AudioGraph graph = new AudioGraph(playback, ProcessorBatch.NONE);
        Mixer mixer = new Mixer(48000, 0, Limits.FIRST_DIRECT_OUT, graph, playback);
        mixer.maintain();
        long atStart = mixer.released();

        for (int id = NodeIds.FIRST_FREE_ID; id < NodeIds.FIRST_FREE_ID + 5; id++) {
            mixer.maintain();
            mixer.apply(new EngineCommand.CreateStrip(id, StripKind.TRACK, 1), CommandRing.NOW);
        }
        mixer.maintain();

        assertEquals(atStart + 5, mixer.released(), "each new plan was installed and the one it replaced released"
                + " without a block rendered");
        mixer.close();
    }
}
