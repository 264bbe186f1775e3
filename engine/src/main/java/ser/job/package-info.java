/**
 * The library calls behind the commands that drive several layers: {@link ser.job.TrainJob} ({@code ser train}:
 * corpus → split → features → training → evaluation on the test part), {@link ser.job.EvaluateJob}
 * ({@code ser evaluate}), {@link ser.job.ImportJob} ({@code ser import}) and {@link ser.job.EmbedJob} ({@code ser embed}). The CLI, the demo and any JVM user
 * call them; nothing below calls them.
 */
package ser.job;
