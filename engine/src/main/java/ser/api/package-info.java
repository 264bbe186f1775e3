/**
 * The front door for JVM users: {@link ser.api.EmotionRecognizer} opens a trained run and labels files, clips of
 * samples or long recordings window by window, returning {@link ser.api.Prediction}s. The {@code ser predict}
 * command is a loop over it. It sits above every other package of the library and below only the CLI and the demo.
 */
package ser.api;
