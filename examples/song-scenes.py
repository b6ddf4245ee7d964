# A song set as scenes: the mix of each section stored once, then recalled on its bar line, the way a
# performer (or a MIDI foot switch) would call them up between songs and sections. Test tones stand in for
# the band so it runs anywhere. The session is saved with its scenes, so `./desk --session DIR` brings them
# back, and an open of the folder can recall them straight away.
#   - verse: vocal up front, keys low, a short reverb send;
#   - chorus: everything up 2 dB, keys wider, more reverb, the bus compressor squeezing harder;
#   - break: only the drums, over a one-bar fade.
# Run it:  ./desk run examples/song-scenes.py --session songs/demo           (live, on the built-in backend)
#          ./desk run examples/song-scenes.py --offline --seconds 24 --out song.wav
# desk example: --seconds 24

session.tempo = 120
session.timeSignature = "4/4"

band = session.bus("Band")
verb = session.bus("Verb", kind="aux")
verb.insert("reverb", decay=1.8, mix=100)
glue = band.insert("compressor", threshold=-18, ratio=2)


def track(name, source, pan):
    t = session.track(name)
    t.input = source
    t.pan = pan
    t.output = band
    t.send(verb, level=float("-inf"))
    return t


kick = track("Kick", session.generator("impulse", level=-6, every=0.5), 0)
keys = track("Keys", session.generator("sine", freq=330, level=-18), -0.3)
vocal = track("Vocal", session.generator("sine", freq=440, level=-18), 0)

# The verse.
vocal.fader = -4
keys.fader = -14
vocal.sends[0].level = -18
glue.ratio = 2
session.scene("verse")

# The chorus.
for t in [kick, keys, vocal]:
    t.fader = t.fader + 2
keys.pan = -0.6
vocal.sends[0].level = -10
glue.ratio = 4
session.scene("chorus")

# The break: only the drums, and only their levels and mutes change.
keys.mute = True
vocal.mute = True
session.scene("break", only=["mute", "fader"])
keys.mute = False
vocal.mute = False

session.recall("verse")
session.recall("chorus", at="5:1:0")
session.recall("verse", at="7:1:0", fade="1 beat")
session.recall("break", at="9:1:0", fade="1 bar")
session.recall("chorus", at="11:1:0")

checks = [
    expect(len(session.scenes), "scenes stored").to_be(3),
]
if session.folder is not None:
    session.save()
session.play()
