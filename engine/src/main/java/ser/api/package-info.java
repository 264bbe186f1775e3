/**
 * The front door for JVM users: {@link ser.api.EmotionRecognizer} opens a trained run and labels files, clips of
 * samples or long recordings window by window, returning {@link ser.api.Prediction}s (the {@code ser predict}
 * command is a loop over it), and {@link ser.api.Training} trains a run from a recipe ({@code ser train} in one
 * call). It sits above every other package of the library and below only the CLI and the demo.
 */
package ser.api;
