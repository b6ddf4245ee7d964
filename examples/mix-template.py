# A mix template with its inserts: a vocal chain (gate, EQ, compressor, de-esser), a drum bus compressor,
# reverb and delay on aux returns, and a mastering chain that ends on a true-peak limiter at -1 dBTP.
# Starting points follow the usual craft: each insert fed around -18..-12 dBFS, 3-6 dB of gain reduction on
# the vocal with as much make-up, gentle glue on the drum bus, returns at 100 % wet, the master limited to a
# -1 dBTP ceiling. Test tones stand in for the band, so it runs anywhere; the checks at the end fail the run
# (exit 1) if the chain does not do what it says.
# Run it:  ./desk run examples/mix-template.py                    (live, on the built-in backend)
#          ./desk run examples/mix-template.py --offline --seconds 6 --out mix.wav
# desk example: --seconds 6

session.tempo = 96

drums = session.bus("Drums")
verb = session.bus("Verb", kind="aux")
echo = session.bus("Echo", kind="aux")


def track(name, source, trim, fader, pan):
    t = session.track(name)
    t.input = source
    t.trim = trim
    t.fader = fader
    t.pan = pan
    return t


kick = track("Kick", session.generator("impulse", level=-6, at=0, every=0.625), 0, -4, 0)
snare = track("Snare", session.generator("noise", color="white", level=-20, seed=2), 0, -8, 0.1)
bass = track("Bass", session.generator("sine", freq=55, level=-14), 0, -6, 0)
vocal = track("Vocal", session.generator("noise", color="pink", level=-22, seed=9), 4, -3, 0)
kick.output = drums
snare.output = drums

# The vocal chain, in the seeds' order: gate, EQ, compressor, de-esser.
vocal.insert("gate", threshold=-50, range=-30, attack=1, hold=40, release=150)
vocal.insert("eq", hpf=80, hpf_slope="24", b1_freq=300, b1_gain=-2.5, b1_q=1.2, b3_freq=3000, b3_gain=2.5)
vocal_comp = vocal.insert("compressor", threshold=-26, ratio=4, attack=8, release=120, makeup=4, detector="rms")
vocal.insert("deesser", freq=4500, threshold=-34, range=8)
vocal.send(verb, level=-12)
vocal.send(echo, level=-16)

# Glue on the drum bus; duck the bass under the kick with a keyed compressor.
glue = drums.insert("compressor", threshold=-20, ratio=2, attack=25, release=200, makeup=1)
duck = bass.insert("compressor", threshold=-30, ratio=6, attack=2, release=90)
duck.sidechain = kick

# Returns: fully wet, the delay on dotted eighths that follow the tempo.
verb.insert("eq", hpf=200, lpf=9000)
verb.insert("reverb", size=70, decay=1.8, damping=40, predelay=20, mix=100)
echo.insert("delay", time="1/8.", feedback=35, mix=100, pingpong=True)
verb.fader = -6
echo.fader = -10

# Mastering: gentle tone, then the true-peak limiter at -1 dBTP, driven 9 dB.
master = session.master
master.insert("eq", low_freq=80, low_gain=1, high_freq=12000, high_gain=1.5)
limiter = master.insert("limiter", ceiling=-1, release=60, input_gain=9)


def final_checks():
    expect(master.meter.truePeak, "the master's true peak stays under the -1 dBTP ceiling").to_be_below(-1.0)
    expect(vocal_comp.gainReduction, "the vocal compressor works").to_be_above(0.5)
    expect(glue.gainReduction, "the drum bus compressor glues").to_be_above(0)
    expect(master.meter.truePeak, "driven into the limiter, the master peaks near the ceiling").to_be_above(-2)
    expect(session.latency.inserts, "delay compensation lines everything up behind the limiter").to_be(limiter.latency)


at(5.9, final_checks)

for strip in session.tracks + session.buses + [master]:
    print(str(strip) + "  [" + ", ".join(i.type for i in strip.inserts) + "]")
session.play()
