# A set spread over two machines: the pads and their reverb run on a second machine ("stage2") when it is
# there, everything else here; without it, all of it runs here. The script does not change when a track
# moves: only where it goes ("on") does.
# The second machine: a JACK server on netjack2's driver joined to this one's, and Desk's engine on it:
#   here:      jack_load netmanager
#   stage2:    jackd -d net -n stage2 -C 3 -P 3 -l 2 &   desk engine --listen 0.0.0.0:7770
# Run it:  ./desk run examples/two-machines.py --seconds 10   (with the engine's token and fingerprint below)
#          ./desk run examples/two-machines.py --offline --seconds 4 --out set.wav   (all here)
# desk example: --seconds 4

stage2 = None
try:
    stage2 = session.node("stage2", engine="stage2.local:7770", token="the token the engine printed",
                          fingerprint="the fingerprint the engine printed")
except DeskError as e:
    print("all tracks here: " + str(e))
on = "stage2" if stage2 else None

# Here: the drums and the bass, on the machine with the interface.
drums = session.bus("Drums")
kick = session.track("Kick")
kick.input = session.generator("impulse", level=-6, every=0.5)
kick.output = drums
bass = session.track("Bass")
bass.input = session.generator("sine", freq=55, level=-14)

# There (or here): two pad voices on a bus of their own, with a long reverb.
pads = session.bus("Pads", on=on)
verb = session.bus("PadVerb", kind="aux", on=on)
verb.insert("reverb", size=90, mix=100)
for name, freq, pan in [("PadLow", 220, -0.4), ("PadHigh", 330, 0.4)]:
    pad = session.track(name, on=on)
    pad.input = session.generator("sine", freq=freq, level=-20)
    pad.pan = pan
    pad.output = pads
    pad.send(verb, level=-8)

session.play()


def report():
    where = "on %s, %d samples late" % (stage2.name, stage2.latency) if stage2 else "here"
    print("pads %s: master peak %.1f dBFS" % (where, session.master.meter.peakMax))
    expect(session.master.meter.peakMax, "the set plays").to_be_above(-40)


after(3, report)
