using Newtonsoft.Json.Linq;

namespace Workflows.Tests.StaticChecks;

/// <summary>
/// The OrderIntake Request trigger's schema gives the designer its tokens; it must not drift from the order event
/// contract (Artifacts/Schemas). It may say less than the contract (fewer constraints, fewer <c>required</c>), but
/// every property it declares, at any depth, must be a property of the newest schema version of at least one event
/// type in registry.json (the intake takes every event type, so a property of one type only, such as
/// <c>cancellationReason</c>, belongs there too), with a JSON type every such contract allows. <c>$ref</c>s resolve
/// to the contract file's own <c>$defs</c>; a <c>const</c> or <c>enum</c> allows the types of its values; a trigger
/// <c>number</c> and a contract <c>integer</c> (or the other way round) differ only by a constraint, so they agree.
/// </summary>
internal static class IntakeTriggerSchemaAgreement
{
    public const string Workflow = "OrderIntake";
    public const string SchemasFolder = "Artifacts/Schemas";

    /// <summary>Keywords that would let the trigger describe values this check does not follow; they must not appear.</summary>
    private static readonly string[] UncheckedKeywords = ["$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "patternProperties", "prefixItems", "dependentSchemas"];

    public static IReadOnlyList<string> Find(LogicAppFiles files) => Find(files, RepositoryRoot.PathOf(SchemasFolder));

    public static IReadOnlyList<string> Find(LogicAppFiles files, string schemasFolder)
    {
        var problems = new List<string>();
        var contracts = NewestContracts(schemasFolder, problems);
        if (contracts.Count == 0)
        {
            problems.Add($"{SchemasFolder}/registry.json lists no readable schema: nothing to check the trigger against.");
            return problems;
        }
        if (!files.Workflows.TryGetValue(Workflow, out var workflow))
        {
            problems.Add($"workflows/{Workflow}/workflow.json is missing.");
            return problems;
        }
        var triggers = WorkflowWalker.Operations(Workflow, workflow)
            .Where(o => o.IsTrigger && o.Type.Equals("Request", StringComparison.OrdinalIgnoreCase)).ToArray();
        if (triggers.Length == 0) problems.Add($"{Workflow}: has no Request trigger.");
        foreach (var trigger in triggers)
        {
            if (trigger.Body.SelectToken("inputs.schema") is not JObject schema)
            {
                problems.Add($"{Workflow}: {trigger.Path} has no inputs.schema.");
                continue;
            }
            Compare(schema, contracts.Select(c => (c, c.Document)).ToList(), "$", $"{Workflow}: {trigger.Path}.inputs.schema", problems);
        }
        return problems;
    }

    private sealed record Contract(string Name, JObject Document);

    /// <summary>The newest schema version of each event type in registry.json (versions compared as numbers: 1.10 &gt; 1.9).</summary>
    private static List<Contract> NewestContracts(string schemasFolder, List<string> problems)
    {
        var registryPath = Path.Combine(schemasFolder, "registry.json");
        if (!File.Exists(registryPath))
        {
            problems.Add($"{registryPath} is missing.");
            return [];
        }
        var entries = (JObject.Parse(File.ReadAllText(registryPath))["schemas"] as JArray ?? []).OfType<JObject>().ToArray();
        var contracts = new List<Contract>();
        foreach (var eventType in entries.GroupBy(e => (string?)e["eventType"] ?? ""))
        {
            var newest = eventType
                .Select(e => (Entry: e, Version: Version.TryParse((string?)e["schemaVersion"], out var v) ? v : null))
                .Where(e => e.Version is not null)
                .MaxBy(e => e.Version);
            if (newest.Entry is null)
            {
                problems.Add($"registry.json: {eventType.Key} has no entry with a major.minor schemaVersion.");
                continue;
            }
            var file = Path.Combine(schemasFolder, (string?)newest.Entry["file"] ?? "");
            if (!File.Exists(file))
            {
                problems.Add($"registry.json: {eventType.Key} {newest.Version} points to {newest.Entry["file"]}, which does not exist.");
                continue;
            }
            contracts.Add(new Contract($"{eventType.Key} {newest.Version} ({Path.GetFileName(file)})", JObject.Parse(File.ReadAllText(file))));
        }
        return contracts;
    }

    /// <param name="counterparts">Per contract, its node at <paramref name="path"/> (only the contracts that define it).</param>
    private static void Compare(JObject trigger, IReadOnlyList<(Contract Contract, JObject Node)> counterparts, string path, string where, List<string> problems)
    {
        foreach (var keyword in UncheckedKeywords.Where(trigger.ContainsKey))
            problems.Add($"{where}: {path} uses '{keyword}', which this check cannot compare with the contract; describe the value with type, properties and items.");
        if (trigger["additionalProperties"] is JObject)
            problems.Add($"{where}: {path} gives additionalProperties a schema, which this check cannot compare with the contract.");

        var declared = DeclaredTypes(trigger);
        if (declared is not null)
        {
            foreach (var (contract, node) in counterparts)
            {
                var allowed = AllowedTypes(contract.Document, node);
                foreach (var type in declared.Where(t => allowed is not null && !Agrees(t, allowed)))
                    problems.Add($"{where}: {path} is '{type}' in the trigger, but {contract.Name} allows {string.Join(" or ", allowed!.Order())} there.");
            }
        }

        foreach (var property in (trigger["properties"] as JObject ?? []).Properties())
        {
            var childPath = path + "." + property.Name;
            var defining = counterparts
                .Select(c => (c.Contract, Node: Chain(c.Contract.Document, c.Node).Select(n => (n["properties"] as JObject)?[property.Name]).OfType<JObject>().FirstOrDefault()))
                .Where(c => c.Node is not null)
                .Select(c => (c.Contract, c.Node!))
                .ToList();
            if (defining.Count == 0)
            {
                problems.Add($"{where}: {childPath} is not a property of {string.Join(", ", counterparts.Select(c => c.Contract.Name))}.");
                continue;
            }
            if (property.Value is JObject child) Compare(child, defining, childPath, where, problems);
        }

        switch (trigger["items"])
        {
            case JObject items:
                var itemNodes = counterparts
                    .Select(c => (c.Contract, Node: Chain(c.Contract.Document, c.Node).Select(n => n["items"]).OfType<JObject>().FirstOrDefault()))
                    .Where(c => c.Node is not null)
                    .Select(c => (c.Contract, c.Node!))
                    .ToList();
                if (itemNodes.Count == 0)
                    problems.Add($"{where}: {path}[] describes array items, which {string.Join(", ", counterparts.Select(c => c.Contract.Name))} do not describe.");
                else
                    Compare(items, itemNodes, path + "[]", where, problems);
                break;
            case JArray:
                problems.Add($"{where}: {path} gives items as an array (tuple form), which this check cannot compare with the contract.");
                break;
        }
    }

    /// <summary>A contract node followed by the nodes its <c>$ref</c>s lead to (within the same file).</summary>
    private static IEnumerable<JObject> Chain(JObject document, JObject node)
    {
        var seen = new HashSet<JObject>(ReferenceEqualityComparer.Instance);
        for (JObject? current = node; current is not null && seen.Add(current); current = Resolve(document, (string?)current["$ref"]))
            yield return current;
    }

    private static JObject? Resolve(JObject document, string? reference)
    {
        if (reference is null || !reference.StartsWith("#", StringComparison.Ordinal)) return null;
        JToken? target = document;
        foreach (var segment in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
            target = target?[Uri.UnescapeDataString(segment).Replace("~1", "/").Replace("~0", "~")];
        return target as JObject;
    }

    private static IReadOnlyCollection<string>? DeclaredTypes(JObject schema) => schema["type"] switch
    {
        JValue { Type: JTokenType.String } single => [(string)single!],
        JArray many => many.Select(t => (string)t!).ToArray(),
        _ => null,
    };

    /// <summary>The JSON types a contract node allows: every <c>type</c>, <c>const</c> and <c>enum</c> along its
    /// <c>$ref</c> chain must hold, so their sets intersect; null when nothing restricts the type.</summary>
    private static HashSet<string>? AllowedTypes(JObject document, JObject node)
    {
        HashSet<string>? allowed = null;
        foreach (var member in Chain(document, node))
        {
            var here = DeclaredTypes(member)
                ?? (member.ContainsKey("const") ? new[] { TypeOf(member["const"]!) } : null)
                ?? (member["enum"] as JArray)?.Select(TypeOf).ToArray();
            if (here is null) continue;
            allowed = allowed is null ? [.. here] : [.. allowed.SelectMany(t => Both(t, here))];
        }
        return allowed;
    }

    /// <summary>What a value of <paramref name="type"/> may still be when it must also be one of <paramref name="others"/>.</summary>
    private static IEnumerable<string> Both(string type, IReadOnlyCollection<string> others)
    {
        if (others.Contains(type)) yield return type;
        else if (type == "number" && others.Contains("integer")) yield return "integer";
        else if (type == "integer" && others.Contains("number")) yield return "integer";
    }

    private static string TypeOf(JToken value) => value.Type switch
    {
        JTokenType.Integer => "integer",
        JTokenType.Float => "number",
        JTokenType.Boolean => "boolean",
        JTokenType.Null => "null",
        JTokenType.Object => "object",
        JTokenType.Array => "array",
        _ => "string",
    };

    private static bool Agrees(string triggerType, IReadOnlySet<string> allowed) =>
        allowed.Contains(triggerType)
        || (triggerType == "integer" && allowed.Contains("number"))
        || (triggerType == "number" && allowed.Contains("integer"));
}

[TestClass]
public sealed class When_the_intake_trigger_declares_its_schema_it_describes_only_what_the_contract_defines
{
    private static JObject TriggerSchema(JObject workflow) =>
        (JObject)workflow.SelectToken("definition.triggers.When_an_order_event_is_posted.inputs.schema")!;

    private static JObject DataProperties(JObject workflow) => (JObject)TriggerSchema(workflow).SelectToken("properties.data.properties")!;

    [TestMethod]
    public void Every_property_the_trigger_declares_is_a_contract_property_of_a_type_the_contract_allows() =>
        Problems.AssertNone(IntakeTriggerSchemaAgreement.Find(LogicAppFiles.Repository()));

    [TestMethod]
    public void A_line_property_the_contract_does_not_have_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow(IntakeTriggerSchemaAgreement.Workflow,
            w => ((JObject)DataProperties(w).SelectToken("lines.items.properties")!)["colour"] = new JObject { ["type"] = "string" });
        Problems.AssertReported(IntakeTriggerSchemaAgreement.Find(fixture.Files), "$.data.lines[].colour is not a property of OrderCreated 1.1 (OrderCreated.v1.1.schema.json), OrderUpdated 1.0");
    }

    [TestMethod]
    public void An_envelope_property_the_contract_does_not_have_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow(IntakeTriggerSchemaAgreement.Workflow,
            w => ((JObject)TriggerSchema(w)["properties"]!)["priority"] = new JObject { ["type"] = "integer" });
        Problems.AssertReported(IntakeTriggerSchemaAgreement.Find(fixture.Files), "$.priority is not a property of");
    }

    [TestMethod]
    public void A_type_the_contract_does_not_allow_is_reported()
    {
        using var fixture = new DefectFixture().EditWorkflow(IntakeTriggerSchemaAgreement.Workflow,
            w => DataProperties(w)["amount"]!["type"] = "string");
        Problems.AssertReported(IntakeTriggerSchemaAgreement.Find(fixture.Files), "$.data.amount is 'string' in the trigger, but OrderCreated 1.1 (OrderCreated.v1.1.schema.json) allows number there");
    }

    [TestMethod]
    public void A_type_behind_a_contract_ref_is_checked()
    {
        using var fixture = new DefectFixture().EditWorkflow(IntakeTriggerSchemaAgreement.Workflow,
            w => DataProperties(w)["customer"]!["properties"]!["smsOptIn"]!["type"] = new JArray("boolean", "null"));
        Problems.AssertReported(IntakeTriggerSchemaAgreement.Find(fixture.Files), "$.data.customer.smsOptIn is 'null' in the trigger, but OrderUpdated 1.0 (OrderUpdated.v1.0.schema.json) allows boolean there");
    }

    [TestMethod]
    public void A_property_of_the_newest_version_of_one_event_type_only_is_accepted()
    {
        // promisedDeliveryDate exists in OrderCreated 1.1 only; cancellationReason in OrderCancelled only.
        using var fixture = new DefectFixture().EditWorkflow(IntakeTriggerSchemaAgreement.Workflow, w =>
        {
            DataProperties(w)["promisedDeliveryDate"] = new JObject { ["type"] = "string" };
            DataProperties(w)["cancellationReason"] = new JObject { ["type"] = "string" };
        });
        Problems.AssertNone(IntakeTriggerSchemaAgreement.Find(fixture.Files));
    }

    [TestMethod]
    public void A_property_the_contract_drops_is_reported_against_the_trigger()
    {
        using var fixture = new DefectFixture();
        var schemas = Path.Combine(fixture.Root, IntakeTriggerSchemaAgreement.SchemasFolder);
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.PathOf(IntakeTriggerSchemaAgreement.SchemasFolder)))
            File.Copy(file, Path.Combine(schemas, Path.GetFileName(file)).EnsureParent());
        foreach (var file in Directory.EnumerateFiles(schemas, "*.schema.json"))
        {
            var contract = JObject.Parse(File.ReadAllText(file));
            ((JObject)contract.SelectToken("$defs.shipTo.properties")!).Remove("region");
            File.WriteAllText(file, contract.ToString());
        }
        Problems.AssertReported(IntakeTriggerSchemaAgreement.Find(fixture.Files, schemas), "$.data.shipTo.region is not a property of");
    }
}
