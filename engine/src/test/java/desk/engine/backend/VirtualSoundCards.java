package desk.engine.backend;

import javax.sound.sampled.Mixer;
import javax.sound.sampled.spi.MixerProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Java Sound mixer provider of the tests (registered in {@code META-INF/services}): it offers the
 * {@link VirtualSoundCard}s plugged in now, none until a test plugs one in, so Java Sound on a machine without
 * sound devices sees exactly the devices a test chose.
 * <p>
 * Threads: any.
 */
public final class VirtualSoundCards extends MixerProvider {
    private static final List<VirtualSoundCard> PLUGGED = new CopyOnWriteArrayList<>();

    static void plug(VirtualSoundCard card) {
        PLUGGED.add(card);
    }

    static void unplug(VirtualSoundCard card) {
        PLUGGED.remove(card);
    }

    @Override
    public Mixer.Info[] getMixerInfo() {
        return PLUGGED.stream().map(VirtualSoundCard::getMixerInfo).toArray(Mixer.Info[]::new);
    }

    @Override
    public Mixer getMixer(Mixer.Info info) {
        for (VirtualSoundCard card : PLUGGED) {
            if (info == null || card.getMixerInfo() == info) {
                return card;
            }
        }
        throw new IllegalArgumentException("no virtual sound card " + info);
    }
}
