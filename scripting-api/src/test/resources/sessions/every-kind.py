# A session with every kind of thing a session file holds; its JavaScript twin builds the same.
session.tempo = 100
session.timeSignature = "3/4"
drums = session.bus("Drums")
verb = session.bus("Verb", kind="aux")
echo = session.bus("Echo", kind="aux", channels=1)
kick = session.track("Kick")
keys = session.track("Keys", channels=2)
vox = session.track("Vox")
tone = session.generator("sine", freq=220, level=-12)
noise = session.generator("noise", color="pink", seed=7, level=-24)
square = session.generator("square", freq=110, level=-30)
click = session.generator("impulse", level=-6, at=0.25, every=0.5)
session.generator("silence")
loop = session.file(toneFile, loop=True)
kick.input = tone
keys.input = [noise.channel(1), square]
vox.input = click
kick.trim = 3
kick.fader = -4
kick.pan = -0.25
kick.panLaw = -4.5
kick.phase = True
kick.output = drums
keys.balance = 0.5
keys.phase = [False, True]
keys.output = drums
vox.mute = False
vox.soloSafe = True
drums.fader = -2
drums.loudness = "post"
send = kick.send(verb, level=-10, pre=True)
send.pan = 0.5
keys.send(verb, level=-14)
vox.send(echo, level=-6)
verb.output = session.master
session.master.fader = -1
eq = keys.insert("eq", b2_freq=3000, b2_gain=2.5, hpf=80)
comp = drums.insert("compressor", threshold=-20, ratio=4)
comp.sidechain = kick
echo.insert("delay", time="1/8.", feedback=30)
gate = vox.insert("gate", at=0)
gate.bypass = True
verb.insert("reverb", decay=1.5)
kick.lane("fader").add(0, -4).add(0.5, -10, curve="scurve").add(1.0, -6, curve="step")
send.lane("level").add(0, -10).add(0.8, -20)
eq.lane("b2_gain").add(0, 2.5).add(1.5, -3)
keys.lane("balance").add(0, 0.5).add(1, -0.5, curve="gain")
keys.lane("balance").mode = "off"
drums.directOut = True
drums.connectOut(["system:playback_3", "system:playback_4"])
strings = session.track("Strings", channels=2)
strings.input = loop
strings.output = echo
strings.clip(toneFile, at=0.5, gain=-3, fadeIn=0.01, fadeOut=0.02, offset=0.01, length=0.05)
strings.monitoring = "input"
session.metering = True
session.vuReference = -20
session.callbackBudget = 250
session.loop(0.5, 1.5)
session.looping = True
session.punchIn = 0.75
session.punchOut = "2:1:0"
session.recordFormat = "32f"
session.recordBuffer = 8
session.exclusiveArm = True
