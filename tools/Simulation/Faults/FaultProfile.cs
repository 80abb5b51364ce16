using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Simulation.Faults;

/// <summary>
/// What goes wrong during a simulated day, each value the fraction of calls or events it hits (docs/simulation.md,
/// "Fault profile"). <c>clean</c> has none; <c>faults</c> is the issue's preset. A profile file holds the same JSON;
/// a value left out is 0.
/// </summary>
public sealed record FaultProfile
{
    /// <summary>Transient downstream failures per call: 5xx, 429 with Retry-After, timeouts, SAP communication failures.</summary>
    public TransientRates Transient { get; init; } = new();

    /// <summary>SAP did the work (the BAPI ran, or the commit happened) and the caller saw a failure.</summary>
    public double SapReplyLost { get; init; }

    /// <summary>Orders valid at intake and refused downstream: an article SAP and the warehouse do not know.</summary>
    public double Poison { get; init; }

    /// <summary>Events posted to the intake a second time (right away, or after the topic's duplicate detection window).</summary>
    public double DuplicatePublish { get; init; }

    /// <summary>Subscriber runs during which the host dies: the run stops before settlement, its lock is held until it
    /// expires, and the restarted host resumes it from its checkpoint.</summary>
    public double Crash { get; init; }

    /// <summary>Subscriber runs whose message lock is lost during a downstream call (the broker takes the message back).</summary>
    public double LockLoss { get; init; }

    /// <summary>Whether faults are injected into runs (crashes, lost locks), besides the downstream calls and storage.</summary>
    public bool FaultsRuns => Crash > 0 || LockLoss > 0;

    /// <summary>Orders whose later event is published before an earlier one.</summary>
    public double OutOfOrder { get; init; }

    public string Name { get; init; } = "custom";

    public static FaultProfile Clean { get; } = new() { Name = "clean" };

    /// <summary>The preset of issue 8.</summary>
    public static FaultProfile Faults { get; } = new()
    {
        Name = "faults",
        Transient = new TransientRates { Sap = 0.1, Twilio = 0.1, Warehouse = 0.1, Lake = 0.05, Teams = 0.1 },
        SapReplyLost = 0.02,
        Poison = 0.01,
        DuplicatePublish = 0.05,
        Crash = 0.02,
        LockLoss = 0.02,
        OutOfOrder = 0.05,
    };

    public bool IsClean => this with { Name = Clean.Name } == Clean;

    /// <summary><c>clean</c>, <c>faults</c>, or a path to a profile file.</summary>
    public static FaultProfile Resolve(string nameOrFile)
    {
        if (nameOrFile.Equals("clean", StringComparison.OrdinalIgnoreCase)) return Clean;
        if (nameOrFile.Equals("faults", StringComparison.OrdinalIgnoreCase)) return Faults;
        if (!File.Exists(nameOrFile))
            throw new FaultProfileException($"--profile takes clean, faults or a profile file; '{nameOrFile}' is neither a preset nor an existing file.");
        try
        {
            return Parse(File.ReadAllText(nameOrFile), Path.GetFileNameWithoutExtension(nameOrFile));
        }
        catch (FaultProfileException ex)
        {
            throw new FaultProfileException($"{nameOrFile}: {ex.Message}");
        }
    }

    private static readonly string[] Keys = ["transient", "sapReplyLost", "poison", "duplicatePublish", "crash", "lockLoss", "outOfOrder"];
    private static readonly string[] TransientKeys = ["sap", "twilio", "warehouse", "lake", "teams"];

    /// <summary>Reads a profile; every problem is reported at once, naming the key.</summary>
    public static FaultProfile Parse(string json, string name = "custom")
    {
        if (string.IsNullOrWhiteSpace(json)) throw new FaultProfileException("The fault profile is empty: it is a JSON object of fractions, such as { \"poison\": 0.01 }.");
        JObject root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(json));
            // A key given twice is refused rather than the last one silently winning.
            root = JToken.ReadFrom(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error }) as JObject
                   ?? throw new FaultProfileException("A fault profile is a JSON object.");
            // Read to the end: the reader refuses anything after the object but comments (a second object, stray text).
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            throw new FaultProfileException($"The fault profile is not valid JSON: {ex.Message}");
        }
        var problems = new List<string>();
        foreach (var property in root.Properties())
        {
            if (!Keys.Contains(property.Name, StringComparer.Ordinal))
                problems.Add($"unknown key '{property.Name}' (known: {string.Join(", ", Keys)})");
        }
        double Rate(JObject from, string key, string path)
        {
            var token = from[key];
            if (token is null) return 0;
            if (token.Type is not (JTokenType.Float or JTokenType.Integer) || (double)token! is < 0 or > 1 || double.IsNaN((double)token!))
            {
                problems.Add($"'{path}' must be a number from 0 to 1 (a fraction of calls or events), not {token.ToString(Formatting.None)}");
                return 0;
            }
            return (double)token!;
        }
        var transient = new TransientRates();
        if (root["transient"] is { } transientToken)
        {
            if (transientToken is JObject rates)
            {
                foreach (var property in rates.Properties())
                {
                    if (!TransientKeys.Contains(property.Name, StringComparer.Ordinal))
                        problems.Add($"unknown key 'transient.{property.Name}' (known: {string.Join(", ", TransientKeys)})");
                }
                transient = new TransientRates
                {
                    Sap = Rate(rates, "sap", "transient.sap"),
                    Twilio = Rate(rates, "twilio", "transient.twilio"),
                    Warehouse = Rate(rates, "warehouse", "transient.warehouse"),
                    Lake = Rate(rates, "lake", "transient.lake"),
                    Teams = Rate(rates, "teams", "transient.teams"),
                };
            }
            else
            {
                problems.Add("'transient' must be an object of rates per downstream (sap, twilio, warehouse, lake, teams)");
            }
        }
        var profile = new FaultProfile
        {
            Name = name,
            Transient = transient,
            SapReplyLost = Rate(root, "sapReplyLost", "sapReplyLost"),
            Poison = Rate(root, "poison", "poison"),
            DuplicatePublish = Rate(root, "duplicatePublish", "duplicatePublish"),
            Crash = Rate(root, "crash", "crash"),
            LockLoss = Rate(root, "lockLoss", "lockLoss"),
            OutOfOrder = Rate(root, "outOfOrder", "outOfOrder"),
        };
        if (problems.Count > 0) throw new FaultProfileException("The fault profile is not valid: " + string.Join("; ", problems) + ".");
        return profile;
    }

    public JObject ToJson() => new()
    {
        ["transient"] = new JObject
        {
            ["sap"] = Transient.Sap, ["twilio"] = Transient.Twilio, ["warehouse"] = Transient.Warehouse, ["lake"] = Transient.Lake, ["teams"] = Transient.Teams,
        },
        ["sapReplyLost"] = SapReplyLost,
        ["poison"] = Poison,
        ["duplicatePublish"] = DuplicatePublish,
        ["crash"] = Crash,
        ["lockLoss"] = LockLoss,
        ["outOfOrder"] = OutOfOrder,
    };
}

/// <summary>Transient failure rates per downstream (fractions of calls).</summary>
public sealed record TransientRates
{
    public double Sap { get; init; }
    public double Twilio { get; init; }
    public double Warehouse { get; init; }
    public double Lake { get; init; }
    public double Teams { get; init; }
}

/// <summary>A fault profile that can't be used; the message names what is wrong.</summary>
public sealed class FaultProfileException(string message) : Exception(message);
