# A tester's scenario: a reproducible offline render with checks on the levels, for CI. It builds a small
# session, moves it on a sample-exact timeline and checks the meters against what the signal flow says:
# a -20 dBFS sine panned to the centre (-3 dB pan law) peaks at -23 dBFS on each side of the master.
# Every failed check is printed with its line and the run exits 1; --junit writes a report for CI.
# Run it:  ./desk run examples/level-check.py --offline --seconds 4 --out check.wav --junit checks.xml
# desk example: --seconds 4

tone = session.track("Tone")
tone.input = session.generator("sine", freq=1000, level=-20)
group = session.bus("Group")
tone.output = group


def first_check():
    expect(session.master.meter.peak, "centre-panned tone peaks at -23 dBFS").to_be_close_to(-23.01, 0.05)
    expect(tone.meter.rms, "a sine's RMS is 3 dB under its peak").to_be_close_to(-23.01, 0.05)
    tone.ramp("fader", -12, 1.0)


def after_the_ramp():
    expect(tone.fader).to_be(-12)
    expect(session.master.meter.peak).to_be_close_to(-35.01, 0.05)
    tone.output = session.master


def after_rerouting():
    expect(session.master.meter.peak, "re-routed around the group: same level").to_be_close_to(-35.01, 0.05)
    tone.mute = True


def at_the_end():
    expect(session.master.meter.rms, "silent once muted").to_be_below(-120)
    expect(session.master.meter.peak, "the peak display falls 20 dB in 1.7 s").to_be_close_to(-35.01 - 20 / 1.7, 0.3)


at(0.5, first_check)
at(1.75, after_the_ramp)
at(2.5, after_rerouting)
at(3.5, at_the_end)

session.play()
