# Plugins: the LV2 plugins already installed on this machine, on Desk's strips beside the built-in inserts.
# It looks the plugins up, puts x42's four-band EQ and a Steve Harris amplifier on a vocal, x42's digital peak
# limiter on the master (it reports its lookahead, which delay compensation takes in), x42's preset convolver
# with its own "No-OP Mono" preset on a tone (it loads that impulse response on its worker thread), automates a
# plugin parameter like any insert's, and checks what the chains do: the run fails (exit 1) if they do not.
# Needs liblilv-0-0 with x42-plugins and swh-lv2 (./desk test installs them); see docs/plugins.md.
# Run it:  ./desk run examples/plugins.py --offline --seconds 3 --out plugins.wav
# desk example: --seconds 3

limiters = [p for p in session.plugins("dpl") if p.hostable]
print("peak limiters here: " + ", ".join(p.name + " (" + str(int(p.inputs)) + " in)" for p in limiters))

vocal = session.track("Vocal", channels=2)
vocal.input = session.generator("noise", color="pink", level=-20, seed=9)
eq = vocal.insert("lv2:http://gareus.org/oss/lv2/fil4#stereo",
                  HighPass=True, HPfreq=80, gain3=3, freq3=3000, q3=0.8)
level = vocal.insert("lv2:Simple amplifier", gain=12)   # mono: it runs as a pair on this stereo track
limiter = session.master.insert("lv2:http://gareus.org/oss/lv2/dpl#stereo", threshold=-3, truepeak=True)
level.ramp("gain", 18, 1.0)

room = session.track("Room")
room.input = session.generator("sine", freq=440, level=-24)
convolver = room.insert("lv2:http://gareus.org/oss/lv2/zeroconvolv#Mono", preset="No-OP Mono")


def early():
    expect(eq.HighPass, "a switch reads as true or false").to_be(True)
    expect(limiter.latency, "the limiter reports its lookahead").to_be_above(0)
    expect(session.latency.inserts, "the session's latency: the convolver's, then the limiter's lookahead") \
        .to_be(convolver.latency + limiter.latency)


def late():
    expect(level.gain, "the ramp reached its target").to_be(18)
    expect(vocal.meter.peak, "pushed well past the limiter's threshold").to_be_above(0)
    expect(session.master.meter.peak, "the limiter holds the master at its -3 dB threshold").to_be_below(-2.99)
    expect(room.meter.peak, "a unit impulse response passes the tone at its level").to_be_above(-24.01)
    expect(room.meter.peak, "and no louder").to_be_below(-23.99)


at(0.5, early)
at(2.5, late)
session.play()
