namespace Simulation.Running;

/// <summary>The host process of a <c>--crash-process</c> day ended without being told to: it failed to start again
/// after a kill, or exited on its own. The day stops at once (nothing was checked); its output is in the progress log
/// and its state stays in the state folder.</summary>
public sealed class HostProcessFailedException(string message) : Exception(message);
