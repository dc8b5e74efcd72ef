/**
 * What tests share, so a new test starts from working plumbing instead of a copy:
 *
 * <ul>
 *   <li>{@link com.codeconnect.vmgroup.testing.Wait}: how a test waits. {@code eventually()} polls
 *       a condition; {@code quietPeriod} is only for a period the test measures.
 *   <li>{@link com.codeconnect.vmgroup.testing.Groups}: VmGroups of one namespace as kubectl writes
 *       them (create, edit retried on conflict, scale, delete).
 *   <li>{@link com.codeconnect.vmgroup.testing.Folders}: where a group's VMs are in the simulator,
 *       read through the test's own session.
 *   <li>{@link com.codeconnect.vmgroup.testing.OperatorProcess}: the operator's jar in its own
 *       process, as a user or the Deployment starts it.
 *   <li>{@link com.codeconnect.vmgroup.testing.DeployedJvm}: the Deployment's JVM options.
 *   <li>{@link com.codeconnect.vmgroup.testing.Closing}: closing what a fixture started.
 *   <li>{@link com.codeconnect.vmgroup.testing.TestClock} and {@link
 *       com.codeconnect.vmgroup.testing.Vms}: a hand-moved clock and VMs for unit tests.
 * </ul>
 */
package com.codeconnect.vmgroup.testing;
