namespace LocalLogicApp.StandIns.Faults;

/// <summary>
/// Faults a stand-in injects on demand, chosen deterministically by call count: "the next N calls" of an
/// operation or "call number K" of it (1-based, counted per operation since the stand-in started or since
/// <see cref="Reset"/>). No randomness: the same plan and the same calls give the same faults.
/// </summary>
/// <typeparam name="TFault">What a fault is for this stand-in (an HTTP answer, an SAP failure, ...).</typeparam>
public sealed class FaultPlan<TFault> where TFault : class
{
    /// <summary>Matches every operation of the stand-in.</summary>
    public const string AnyOperation = "*";

    private readonly object gate = new();
    private readonly List<Rule> rules = [];
    private readonly Dictionary<string, int> callCounts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The next <paramref name="count"/> calls of <paramref name="operation"/> fail with <paramref name="fault"/>.</summary>
    public FaultPlan<TFault> FailNext(int count, TFault fault, string operation = AnyOperation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (gate) rules.Add(new Rule(operation, fault, null, count));
        return this;
    }

    /// <summary>Call number <paramref name="callNumber"/> (1-based) of <paramref name="operation"/> fails with <paramref name="fault"/>.</summary>
    public FaultPlan<TFault> FailCall(int callNumber, TFault fault, string operation = AnyOperation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(callNumber);
        lock (gate) rules.Add(new Rule(operation, fault, callNumber, 1));
        return this;
    }

    /// <summary>Every call of <paramref name="operation"/> fails until <see cref="Reset"/> (a downstream that is down).</summary>
    public FaultPlan<TFault> FailAlways(TFault fault, string operation = AnyOperation)
    {
        lock (gate) rules.Add(new Rule(operation, fault, null, int.MaxValue));
        return this;
    }

    /// <summary>Drops every planned fault and restarts the call counts.</summary>
    public void Reset()
    {
        lock (gate)
        {
            rules.Clear();
            callCounts.Clear();
        }
    }

    /// <summary>Counts one call of <paramref name="operation"/> and returns the fault planned for it, if any.
    /// Rules for a call number win over "next N" rules; among equals the earliest planned wins.</summary>
    public TFault? OnCall(string operation, out int callNumber)
    {
        lock (gate)
        {
            callCounts.TryGetValue(operation, out var previous);
            callNumber = previous + 1;
            callCounts[operation] = callNumber;
            // A simulation plans no faults (they come from FaultSource): no rule to look for, nothing to allocate.
            if (rules.Count == 0) return null;
            var rule = RuleFor(operation, callNumber);
            if (rule is null) return null;
            rule.Remaining--;
            return rule.Fault;
        }
    }

    /// <summary>The rule for this very call number, else the first open rule of the operation.</summary>
    private Rule? RuleFor(string operation, int number) =>
        rules.FirstOrDefault(r => r.Remaining > 0 && r.Matches(operation) && r.CallNumber == number)
        ?? rules.FirstOrDefault(r => r.Remaining > 0 && r.Matches(operation) && r.CallNumber is null);

    /// <summary>How many calls of <paramref name="operation"/> were counted.</summary>
    public int CallsOf(string operation)
    {
        lock (gate) return callCounts.TryGetValue(operation, out var count) ? count : 0;
    }

    private sealed class Rule(string operation, TFault fault, int? callNumber, int remaining)
    {
        public TFault Fault { get; } = fault;
        public int? CallNumber { get; } = callNumber;
        public int Remaining { get; set; } = remaining;

        public bool Matches(string candidate) =>
            operation == AnyOperation || string.Equals(operation, candidate, StringComparison.OrdinalIgnoreCase);
    }
}
