package desk.session;

import desk.engine.AudioInterface;
import desk.engine.EngineCommand;
import desk.engine.EngineException;
import desk.engine.Limits;
import desk.engine.NodeIds;
import desk.engine.StripKind;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A session's tracks and buses (not the master), by name in the order they were made: making them with their
 * ports, the rules for their names, renaming, and removing them with what pointed at them (outputs and sends
 * aimed at a removed bus, side chains listening to a removed strip); and making them again in a fresh engine.
 * <p>
 * Threads: the session's control thread.
 */
final class SessionStrips {
    private final Session session;
    private final AudioInterface audio;
    private final Bus master;
    private final Map<String, Strip> byName = new LinkedHashMap<>();
    /** The last strip removed under each name, which an undo or a redo may make again. */
    private final Map<String, Strip> removedByName = new java.util.HashMap<>();

    SessionStrips(Session session, AudioInterface audio, Bus master) {
        this.session = session;
        this.audio = audio;
        this.master = master;
    }

    /** The tracks and buses by name. */
    Map<String, Strip> byName() {
        return byName;
    }

    /** The tracks and buses, in the order they were made. */
    Collection<Strip> all() {
        return byName.values();
    }

    /** The tracks, in the order they were made. */
    List<Track> tracks() {
        return byName.values().stream().filter(Track.class::isInstance).map(Track.class::cast).toList();
    }

    /** The group and aux buses, in the order they were made. */
    List<Bus> buses() {
        return byName.values().stream().filter(Bus.class::isInstance).map(Bus.class::cast).toList();
    }

    /** The track called {@code name}, created with {@code channels} channels (1..8) if it does not exist. */
    Track track(String name, int channels) {
        Strip existing = byName.get(name);
        if (existing instanceof Track track) {
            if (track.channels() != channels) {
                throw new DeskException("track " + name + " exists as " + StripText.width(track.channels()) + "; asked for "
                        + channels + " channel" + (channels == 1 ? "" : "s"));
            }
            return track;
        }
        checkNewName(name, existing);
        if (channels < 1 || channels > Limits.MAX_TRACK_CHANNELS) {
            throw new DeskException("track " + name + " channels " + channels + ": must be 1.."
                    + Limits.MAX_TRACK_CHANNELS);
        }
        int id = session.newId();
        session.execute(new EngineCommand.CreateStrip(id, StripKind.TRACK, channels));
        try {
            audio.addTrack(id, name, channels);
        } catch (EngineException e) {
            session.execute(new EngineCommand.RemoveStrip(id));
            throw new DeskException(e.getMessage());
        }
        Track track = new Track(session, id, name, channels, master);
        for (int c = 0; c < channels; c++) {
            track.readPort(c, null);
        }
        byName.put(name, track);
        return track;
    }

    /** The bus called {@code name}, created as {@code kind} ("group" or "aux") with 1 or 2 channels. */
    Bus bus(String name, String kind, int channels) {
        String asked = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        if (!Choices.busKinds().contains(asked)) {
            throw new DeskException("bus " + name + " kind \"" + kind + "\": must be " + Choices.either(Choices.busKinds(), true));
        }
        Bus.Kind parsed = Bus.Kind.valueOf(asked.toUpperCase(Locale.ROOT));
        Strip existing = byName.get(name);
        if (existing instanceof Bus bus) {
            if (bus.kind() != parsed || bus.channels() != channels) {
                throw new DeskException("bus " + name + " exists as " + bus.kind().scriptName() + " " + StripText.width(bus.channels())
                        + "; asked for " + parsed.scriptName() + " with " + channels + " channel"
                        + (channels == 1 ? "" : "s"));
            }
            return bus;
        }
        checkNewName(name, existing);
        if (channels < 1 || channels > 2) {
            throw new DeskException("bus " + name + " channels " + channels + ": must be 1 or 2");
        }
        int id = session.newId();
        session.execute(new EngineCommand.CreateStrip(id, parsed == Bus.Kind.GROUP ? StripKind.GROUP_BUS
                : StripKind.AUX_BUS, channels));
        Bus bus = new Bus(session, id, name, parsed, channels, master);
        byName.put(name, bus);
        return bus;
    }

    /** Makes a track (with its ports) or a bus in a fresh engine, as {@link #track} and {@link #bus} did. */
    void replayCreation(Strip strip) {
        if (strip instanceof Track track) {
            session.execute(new EngineCommand.CreateStrip(track.id, StripKind.TRACK, track.channels()));
            SessionPorts.onInterface(() -> audio.addTrack(track.id, track.name(), track.channels()));
        } else if (strip instanceof Bus bus) {
            session.execute(new EngineCommand.CreateStrip(bus.id, bus.kind() == Bus.Kind.GROUP ? StripKind.GROUP_BUS
                    : StripKind.AUX_BUS, bus.channels()));
        }
    }

    void rename(Strip strip, String newName) {
        if (strip == master) {
            throw new DeskException("master.name: the master cannot be renamed");
        }
        if (newName != null && newName.equals(strip.name())) {
            return;
        }
        checkNewName(newName, byName.get(newName));
        if (strip instanceof Track) {
            try {
                audio.renameTrack(strip.id, newName);
            } catch (EngineException e) {
                throw new DeskException(e.getMessage());
            }
        } else if (strip instanceof Bus bus && bus.directOut()) {
            SessionPorts.onInterface(() -> audio.renameDirectOut(bus.id, newName));
        }
        Map<String, Strip> renamed = new LinkedHashMap<>();
        byName.forEach((name, each) -> renamed.put(each == strip ? newName : name, each));
        byName.clear();
        byName.putAll(renamed);
    }

    void remove(Strip strip) {
        if (strip == master) {
            throw new DeskException("master.remove: the master cannot be removed");
        }
        if (strip instanceof Bus bus) {
            for (Strip other : byName.values()) {
                if (other.output() == bus) {
                    session.execute(new EngineCommand.SetOutput(other.id, NodeIds.MASTER_ID));
                    other.outputRemoved(master);
                }
                Send aimed = other.sendMap().remove(bus);
                if (aimed != null) {
                    aimed.markRemoved();
                }
            }
        }
        session.execute(new EngineCommand.RemoveStrip(strip.id));
        if (strip instanceof Track) {
            audio.removeTrack(strip.id);
        } else if (strip instanceof Bus bus && bus.directOut()) {
            SessionPorts.onInterface(() -> audio.removeDirectOut(bus.id));
        }
        for (Send send : strip.sendMap().values()) {
            send.markRemoved();
        }
        for (Insert insert : strip.inserts()) {
            insert.markRemoved();
        }
        for (Strip other : byName.values()) {
            for (Insert insert : other.inserts()) {
                insert.stripRemoved(strip);
            }
        }
        master.inserts().forEach(insert -> insert.stripRemoved(strip));
        byName.remove(strip.name());
        strip.removed = true;
        removedByName.put(strip.name(), strip);
    }

    /**
     * Has the object of the strip last removed under {@code made}'s name, if of its kind, follow {@code made}: an
     * undo or a redo made that strip again, and a script's variable holding it goes on working.
     */
    void madeAgain(Strip made) {
        Strip removed = removedByName.remove(made.name());
        if (removed != null && removed.getClass() == made.getClass()) {
            removed.succeededBy(made);
        }
    }

    private void checkNewName(String name, Strip existing) {
        if (name == null || name.isBlank()) {
            throw new DeskException("name " + Session.describe(name) + ": a track or bus needs a name that is not blank");
        }
        if (name.length() > Session.MAX_NAME_LENGTH) {
            throw new DeskException("name \"" + name.substring(0, 16) + "...\" has " + name.length()
                    + " characters: at most " + Session.MAX_NAME_LENGTH);
        }
        if (name.chars().anyMatch(Character::isISOControl) || !name.equals(name.strip())) {
            throw new DeskException("name " + Session.describe(name) + ": no control characters or leading/trailing spaces");
        }
        if ("master".equalsIgnoreCase(name)) {
            throw new DeskException("name \"" + name + "\" is the master's");
        }
        if (existing != null) {
            throw new DeskException("name \"" + name + "\" is taken by " + existing.toString().split(" ")[0].toLowerCase(Locale.ROOT)
                    + " " + name);
        }
    }
}
