package desk.engine.rt;

import desk.engine.RealTime;

/**
 * What a {@link Command} does, each kind with its own small handler that applies it to the
 * {@link AudioGraph}. Objects a handler replaces (plans, automation tables, take taps) are handed back to the
 * control side through the graph's {@link ReturnRing} rather than dropped on the audio thread.
 * <p>
 * Threads: {@link #rtApply} on the audio thread only (or the control thread while no audio thread runs).
 */
public enum CommandKind {
    /** Ramps {@code gains} to {@code values} over the declick time (jumps there before the first block). */
    RAMP {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            if (graph.rtStarted()) {
                command.gains.rtRampTo(command.values);
            } else {
                command.gains.rtJump(command.values);
            }
        }
    },
    /** Ramps {@code gains} to {@code values} over {@code samples} with {@code shape} (jumps before the first block). */
    SHAPED_RAMP {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            if (graph.rtStarted()) {
                command.gains.rtRampTo(command.values, command.samples, command.shape);
            } else {
                command.gains.rtJump(command.values);
            }
        }
    },
    /** Has {@code strip} clear its meters on the first block after its trim has settled. */
    RESET_METERS_AFTER_TRIM {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.strip.rtResetMetersAfterTrim();
        }
    },
    /** Installs {@code plan}. */
    SWAP_PLAN {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtSwapPlan(command.plan);
        }
    },
    /** Feeds channel {@code channel} of {@code strip} from channel {@code sourceChannel} of {@code source}. */
    SET_INPUT {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.strip.rtSetInput(command.channel, command.source, command.sourceChannel);
        }
    },
    /** Sets whether {@code connection} picks off before the fader ({@code flag}). */
    SET_PRE_FADER {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.connection.rtSetPreFader(command.flag);
        }
    },
    /** Makes {@code strip} measure loudness with {@code loudness} (null: not at all). */
    SET_LOUDNESS {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.strip.rtSetLoudness(command.loudness);
        }
    },
    /** Starts ({@code flag}) or stops the transport. */
    TRANSPORT {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtSetRolling(command.flag);
        }
    },
    /** Moves the transport to {@code position}. */
    LOCATE {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtLocate(command.position);
        }
    },
    /** Sets the transport's loop range to {@code loop} (null: none). */
    SET_LOOP {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtSetLoop(command.loop);
        }
    },
    /** Installs {@code automation}. */
    SWAP_AUTOMATION {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtSwapAutomation(command.automation);
        }
    },
    /** Keeps {@code stems} from the next span on, in place of any kept before (null: none). */
    SET_STEMS {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtSetStems(command.stems);
        }
    },
    /** Reads and writes the shared clock {@code clock} from the next block on (null: none). */
    SET_CLOCK {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtSetClock(command.clock);
        }
    },
    /** Starts recording the take of {@code take}. */
    START_TAKE {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtStartTake(command.take);
        }
    },
    /** Ends the take that records. */
    STOP_TAKE {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtStopTake();
        }
    },
    /** Gives {@code strip} the clip player {@code player}. */
    SET_PLAYER {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.strip.rtSetPlayer(command.player);
        }
    },
    /** Installs {@code clips} in {@code player}. */
    SET_CLIPS {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.player.rtSetClips(command.clips);
        }
    },
    /** Installs {@code chain} on {@code strip} and places {@code slot} in it before {@code before} (null: last). */
    ADD_INSERT {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.strip.rtInstallChain(command.chain);
            command.chain.rtAdd(command.slot, command.before, graph.rtStarted());
        }
    },
    /** Fades {@code slot} out, after which its chain drops it. */
    REMOVE_INSERT {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.slot.rtRemove();
        }
    },
    /** Fades {@code slot} out, moves it before {@code before} (null: last) and fades it back. */
    MOVE_INSERT {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.slot.rtMove(command.before);
        }
    },
    /** Bypasses ({@code flag}) or engages {@code slot}. */
    BYPASS_INSERT {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.slot.rtBypass(command.flag);
        }
    },
    /** Rests ({@code flag}) or wakes {@code slot}. */
    REST_INSERT {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.slot.rtRest(command.flag);
        }
    },
    /** Sets parameter {@code channel} of {@code slot} to {@code value}. */
    SET_INSERT_PARAMETER {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.slot.rtSet(command.channel, command.value);
        }
    },
    /** Delays {@code connection} with {@code delay} (null: not at all), handing the delay it replaces back. */
    SET_COMPENSATION {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            CompensationDelay replaced = command.connection.rtSetCompensation(command.delay);
            if (replaced != null) {
                graph.rtRelease(replaced);
            }
        }
    },
    /** Makes {@code slot} listen to {@code strip} at {@code point} (a null strip: its own input). */
    SET_INSERT_KEY {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            command.slot.rtSetKey(command.strip, command.point);
        }
    },
    /** Installs the MIDI bindings {@code midiMap}, handing the map it replaces back. */
    SWAP_MIDI_MAP {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtSwapMidiMap(command.midiMap);
        }
    },
    /** Says binding {@code channel}'s parameter was set elsewhere, to {@code value} of its control's travel. */
    SET_MIDI_CURRENT {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtMidi().rtSetCurrent(command.channel, command.value);
        }
    },
    /** Takes MIDI message {@code sourceChannel} (packed) as if input port {@code channel} had received it now. */
    RECEIVE_MIDI {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtMidi().rtReceive(command.channel, graph.rtPosition(), command.sourceChannel);
        }
    },
    /** Sends MIDI message {@code sourceChannel} (packed) out of output port {@code channel} now. */
    SEND_MIDI {
        @Override
        @RealTime
        void rtApply(Command command, AudioGraph graph) {
            graph.rtMidi().rtSend(command.channel, graph.rtPosition(), command.sourceChannel);
        }
    };

    /** Applies {@code command} to {@code graph}. */
    @RealTime
    abstract void rtApply(Command command, AudioGraph graph);
}
