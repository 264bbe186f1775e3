/**
 * The library calls behind the commands that drive several layers: {@link ser.job.TrainJob} ({@code ser train}:
 * corpus → split → features → training → evaluation on the test part), {@link ser.job.EvaluateJob}
 * ({@code ser evaluate}) and {@link ser.job.ImportJob} ({@code ser import}). The CLI, the demo and any JVM user
 * call them; nothing below calls them.
 */
package ser.job;
