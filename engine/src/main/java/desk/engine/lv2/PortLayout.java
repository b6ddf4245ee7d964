package desk.engine.lv2;

import desk.engine.RealTime;

/**
 * How Desk connects a plugin's ports, by port index: its audio inputs and outputs in order, the control input
 * behind each parameter (with the port values of a choice's items, and whether the value is a fraction of the
 * sample rate), its control outputs, its atom sequence ports, and the port that reports its latency. Immutable
 * once made; any thread.
 *
 * @param portCount     how many ports the plugin has
 * @param audioInputs   the indices of its audio input ports
 * @param audioOutputs  the indices of its audio output ports
 * @param sideChainInputs the indices of its side-chain audio inputs (fed the key signal, else the strip's own)
 * @param parameterPort the control input port of each parameter
 * @param choiceValues  per parameter, the port value of each choice; null for a number or a switch
 * @param rateBounds    per parameter whose bounds the plugin gives as fractions of the sample rate: those two
 *                      fractions and its default in Hz (NaN if none); null for the others
 * @param controlOutputs the indices of its control output ports
 * @param atomInputs    the indices of its atom sequence input ports
 * @param atomOutputs   the indices of its atom sequence output ports
 * @param atomBytes     the buffer size of each atom port by port index (0 for other ports): at least what it asks
 * @param optional      the indices of ports Desk leaves unconnected (allowed by the plugin)
 * @param latencyPort   the control output that reports latency, or -1
 */
record PortLayout(int portCount, int[] audioInputs, int[] audioOutputs, int[] sideChainInputs, int[] parameterPort,
                  float[][] choiceValues, double[][] rateBounds, int[] controlOutputs, int[] atomInputs,
                  int[] atomOutputs, int[] atomBytes, int[] optional, int latencyPort) {
    /** The value port {@code parameter}'s port gets for the engine's value (a choice's index, a switch's 0 or 1). */
    @RealTime
    float rtPortValue(int parameter, double value) {
        float[] choices = choiceValues[parameter];
        if (choices != null) {
            return choices[Math.max(0, Math.min(choices.length - 1, (int) value))];
        }
        return (float) value;
    }
}
