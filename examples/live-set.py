# A live set driven by the clock: four bars of a groove, then changes thrown on bar lines, the way a
# performer would trigger them from a foot switch. Test tones stand in for the band so it runs anywhere.
#   - bar 3: the keys move from the band bus to a parallel "Crush" bus (an equal-power crossfade, no click);
#   - every other bar from bar 5: a reverb throw on the snare (send up on the bar, down one beat later);
#   - bars 5-7: the vocal rides up 4 dB over two bars, drawn in its fader lane, then back down;
#   - bar 8: everything but the drums drops out on the downbeat (mutes land on the exact sample).
# Run it:  ./desk run examples/live-set.py                        (live, on the built-in backend)
#          ./desk run examples/live-set.py --offline --seconds 16 --out set.wav
# desk example: --seconds 16

session.tempo = 120
session.timeSignature = "4/4"
# On stage a change thrown on a bar line must be quick: one that runs past 20 ms is stopped where it is,
# named with its line and cancelled, and the set plays on (so does Ctrl-C in the REPL).
session.callbackBudget = 20

band = session.bus("Band")
crush = session.bus("Crush")
verb = session.bus("Verb", kind="aux")
verb.fader = -6


def track(name, source, fader, pan):
    t = session.track(name)
    t.input = source
    t.fader = fader
    t.pan = pan
    t.output = band
    return t


kick = track("Kick", session.generator("impulse", level=-6, every=0.5), -3, 0)
snare = track("Snare", session.generator("noise", color="white", level=-24, seed=7), -12, 0.1)
keys = track("Keys", session.generator("sine", freq=330, level=-18), -6, -0.4)
vocal = track("Vocal", session.generator("sine", freq=440, level=-18), -8, 0)
throw_send = snare.send(verb, level=float("-inf"), pre=False)


def move_keys():
    keys.output = crush


at("3:1:0", move_keys)


def throw():
    if session.position >= 8:
        throw_send.level = -6
        after("1 beat", lambda: setattr(throw_send, "level", float("-inf")))


every("2 bars", throw)

vocal.lane("fader") \
    .add("5:1:0", -8) \
    .add("7:1:0", -4, curve="scurve") \
    .add("7:3:0", -8)


def drop():
    for t in (keys, vocal):
        t.mute = True


at("8:1:0", drop)

session.play()
