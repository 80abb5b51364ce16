using Simulation.Running;

namespace Simulation.Tests.Running;

/// <summary>A day's progress for specs: no live display, every log line kept (thread-safe) for assertions.</summary>
internal sealed class RecordedProgress : ISimulationProgress
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines
    {
        get { lock (lines) return lines.ToArray(); }
    }

    public void Sample(ProgressSnapshot snapshot) { }

    public void Log(string line)
    {
        lock (lines) lines.Add(line);
    }
}
