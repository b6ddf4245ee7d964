# Loop recording: the band goes round bars 2 and 3 while the singer sings three passes; every pass is kept
# in one take file and the clip on the track is the last complete pass, at the loop start. A test tone
# stands in for the singer so it runs anywhere: give the track its capture port instead, e.g.
# vox.input = "system:capture_1".
#   - bar 1: count-in, then the transport jumps to the loop on the bar line
#   - bars 2 to 3, three times round: recorded; the transport stops when the third pass ends (the eighth bar line)
# Run it live:  ./desk run examples/loop-take.py --session my-song --seconds 15
# desk example: --seconds 15

session.tempo = 120
bass = session.track("Bass")
bass.input = session.generator("sine", freq=110, level=-12)
vox = session.track("Vox")
vox.input = session.generator("sine", freq=220, level=-14)
vox.armed = True
vox.monitoring = "auto"
session.loop("2:1:0", "4:1:0")

bars = 0


def bar_line():
    global bars
    bars += 1
    if bars == 8:
        session.stop()
        if session.folder is not None:
            expect(len(vox.takes), "one take, holding every pass").to_be(1)
            print("recorded " + vox.takes[0].file + "; when it is closed its clip is the third pass, at "
                  + str(session.loopStart) + " s")

def count_in_done():
    if session.folder is None:
        print("no session folder (--session DIR): the loop plays, nothing is recorded")
    else:
        session.punchIn = "2:1:0"
        session.record()


every("1 bar", bar_line)
at("1:4:0", count_in_done)
session.play()
