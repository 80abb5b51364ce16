using TestSupport;
using LocalLogicApp.Samples;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;

namespace Cli.Commands;

/// <summary>
/// <c>samples [--root DIR] [--verbose]</c>: every message of Artifacts/Samples through the custom-code functions, by
/// name through the <see cref="FunctionCatalog"/> as a workflow calls them. Valid samples go ValidateOrderEvent →
/// BuildServiceBusMessage → ReadOrderMessage, and the read event into every other function that needs only an
/// <c>orderEvent</c>; invalid samples must fail with exactly the errors of their <c>.expected.json</c>. A synthetic
/// order above the claim-check threshold exercises the claim-check path. Exit 0 when all hold, else 1.
/// </summary>
public static class SamplesCommand
{
    private const string ExpectedSuffix = ".expected.json";
    private static readonly HashSet<string> ContractFunctions = new(StringComparer.OrdinalIgnoreCase) { "ValidateOrderEvent", "BuildServiceBusMessage", "ReadOrderMessage" };

    public static Task<int> RunAsync(CliArgs args) => RunAsync(args, Console.Out);

    /// <summary>The verb, its report written to <paramref name="output"/>.</summary>
    public static async Task<int> RunAsync(CliArgs args, TextWriter output)
    {
        var root = args.Get("root") ?? FindRepositoryRoot();
        var samples = Path.Combine(root, SampleOrders.Folder);
        if (!Directory.Exists(samples)) throw new CliUsageException($"{samples} does not exist.");
        var verbose = args.Has("verbose");

        var catalog = new FunctionCatalog(new OrderEventFunctions(new CustomCodeServices(new InMemoryObjectStore(), TimeProvider.System, new CustomCodeOptions())));
        // Other areas' functions that a subscriber calls with the event alone (their other parameters optional).
        var eventFunctions = FunctionCatalog.All
            .Where(f => !ContractFunctions.Contains(f.Name)
                && f.Parameters.Any(p => p.Name == "orderEvent")
                && f.Parameters.All(p => p.Name == "orderEvent" || p.IsOptional))
            .Select(f => f.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();

        var failures = 0;
        var count = 0;
        foreach (var sample in InFileOrder(SampleOrders.Valid(root)))
        {
            count++;
            var (ok, line) = await RunValidAsync(catalog, eventFunctions, sample);
            Report(output, ok, "valid/" + sample.Name, line);
            if (!ok) failures++;
        }
        foreach (var sample in InFileOrder(SampleOrders.Invalid(root)))
        {
            count++;
            var (ok, line, details) = await RunInvalidAsync(catalog, sample);
            Report(output, ok, "invalid/" + sample.Name, line);
            if (!ok || verbose) foreach (var detail in details) output.WriteLine($"      {detail}");
            if (!ok) failures++;
        }
        {
            count++;
            var standard = SampleOrders.Valid(root).FirstOrDefault(s => s.Name == "OrderCreated.standard");
            var (ok, line) = standard is null ? (false, "no valid/OrderCreated.standard.json to grow") : await RunLargeOrderAsync(catalog, standard);
            Report(output, ok, "synthetic/large-order", line);
            if (!ok) failures++;
        }

        output.WriteLine();
        output.WriteLine(failures == 0 ? $"samples: all {count} behaved as expected." : $"samples: {failures} of {count} did not behave as expected.");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<(bool Ok, string Line)> RunValidAsync(FunctionCatalog catalog, string[] eventFunctions, SampleOrder sample)
    {
        if (!TryParse(sample, out var orderEvent, out var loadError)) return (false, loadError!);
        var steps = new List<string>();
        try
        {
            var validation = await catalog.InvokeAsync("ValidateOrderEvent", new JObject { ["orderEvent"] = orderEvent });
            if (!(bool)validation["isValid"]!) return (false, $"ValidateOrderEvent rejects it: {Errors(validation)}");
            steps.Add($"validate ✓ {validation["eventType"]} {validation["schemaVersion"]}");
            if (orderEvent!["payloadReference"] is not null)
            {
                steps.Add("claim check: its payload is not in this store; build/read of claim checks run on the synthetic large order");
                return (true, string.Join(" · ", steps));
            }

            var built = await catalog.InvokeAsync("BuildServiceBusMessage", new JObject { ["orderEvent"] = orderEvent });
            if (!(bool)built["isValid"]!) return (false, $"BuildServiceBusMessage: {Errors(built)}");
            var message = built["message"]!;
            steps.Add($"build ✓ session {message["sessionId"]}, smsOptIn={message["userProperties"]!["smsOptIn"]}, hasPhone={message["userProperties"]!["hasPhone"]}");

            var read = await catalog.InvokeAsync("ReadOrderMessage", new JObject { ["contentData"] = message["contentData"], ["contentType"] = message["contentType"] });
            if (!(bool)read["isValid"]!) return (false, $"ReadOrderMessage: {Errors(read)}");
            if (!JToken.DeepEquals(read["orderEvent"], orderEvent)) return (false, "ReadOrderMessage returned a different event than was built");
            steps.Add("read ✓");

            foreach (var name in eventFunctions)
            {
                try
                {
                    await catalog.InvokeAsync(name, new JObject { ["orderEvent"] = read["orderEvent"] });
                    steps.Add($"{name} ✓");
                }
                catch (FunctionInvocationException ex) when (ex.Code != "FunctionFailed")
                {
                    steps.Add($"{name} not callable with the event alone ({ex.Code})");
                }
            }
            return (true, string.Join(" · ", steps));
        }
        catch (FunctionInvocationException ex)
        {
            return (false, $"{string.Join(" · ", steps)} · {ex.Code}: {ex.Message}");
        }
    }

    private static async Task<(bool Ok, string Line, IReadOnlyList<string> Details)> RunInvalidAsync(FunctionCatalog catalog, SampleOrder sample)
    {
        if (!TryParse(sample, out var orderEvent, out var loadError)) return (false, loadError!, Array.Empty<string>());
        var expectedFile = sample.File[..^".json".Length] + ExpectedSuffix;
        if (!File.Exists(expectedFile)) return (false, $"no {Path.GetFileName(expectedFile)} saying what is wrong with it", Array.Empty<string>());
        if (!TryReadExpectation(expectedFile, out var expectation, out var expectationError)) return (false, expectationError!, Array.Empty<string>());
        var expected = expectation!["errors"]!.Select(e => $"{e["path"]} {e["code"]}").Order(StringComparer.Ordinal).ToArray();
        try
        {
            var validation = await catalog.InvokeAsync("ValidateOrderEvent", new JObject { ["orderEvent"] = orderEvent ?? JValue.CreateNull() });
            var errors = validation["errors"]!.Select(e => $"{e["path"]} {e["code"]}").Order(StringComparer.Ordinal).ToArray();
            var details = validation["errors"]!.Select(e => $"{e["path"]} {e["code"]}: {e["message"]}").ToArray();
            if ((bool)validation["isValid"]!) return (false, $"accepted, but it should fail: {expectation["why"]}", details);
            if (!errors.SequenceEqual(expected))
                return (false, $"expected [{string.Join(", ", expected)}], got [{string.Join(", ", errors)}]", details);
            return (true, $"rejected as expected: {string.Join(", ", errors)}", details);
        }
        catch (FunctionInvocationException ex)
        {
            return (false, $"{ex.Code}: {ex.Message}", Array.Empty<string>());
        }
    }

    /// <summary>The standard sample grown past the claim-check threshold: build stores it, read resolves it.</summary>
    private static async Task<(bool Ok, string Line)> RunLargeOrderAsync(FunctionCatalog catalog, SampleOrder standardSample)
    {
        if (!TryParse(standardSample, out var token, out var loadError)) return (false, loadError!);
        var orderEvent = (JObject)token!;
        orderEvent["messageId"] = "order-900001-created-v1";
        orderEvent["data"]!["orderId"] = "900001";
        orderEvent["data"]!["lines"] = new JArray(Enumerable.Range(0, OrderEventValidator.MaxLines).Select(i => new JObject
        {
            ["sku"] = $"MAT-{i:D5}", ["quantity"] = 1, ["unitPrice"] = 1.5m, ["description"] = $"Line {i}: " + new string('·', 180),
        }));
        try
        {
            var built = await catalog.InvokeAsync("BuildServiceBusMessage", new JObject { ["orderEvent"] = orderEvent });
            if (!(bool)built["isValid"]! || !(bool)built["claimCheck"]!) return (false, $"expected a claim check: {Errors(built)}");
            var message = built["message"]!;
            var read = await catalog.InvokeAsync("ReadOrderMessage", new JObject { ["contentData"] = message["contentData"], ["contentType"] = message["contentType"] });
            if (!(bool)read["isValid"]! || !JToken.DeepEquals(read["orderEvent"], orderEvent)) return (false, $"the claim check did not read back: {Errors(read)}");
            return (true, $"{OrderEventJson.ToUtf8(orderEvent).Length / 1024} KB → claim check {built["payloadReference"]!["path"]} ({built["payloadReference"]!["sizeBytes"]} bytes) · read ✓ resolved and verified");
        }
        catch (FunctionInvocationException ex)
        {
            return (false, $"{ex.Code}: {ex.Message}");
        }
    }

    /// <summary>Parsed as the functions receive it (dates as text, decimal numbers, no duplicate properties).</summary>
    /// <summary>An invalid sample's <c>.expected.json</c>: <c>{"why", "errors": [{"path", "code"}]}</c>; a file of another
    /// shape fails that sample with a line saying so, instead of stopping the verb.</summary>
    private static bool TryReadExpectation(string file, out JObject? expectation, out string? error)
    {
        const string shape = "{\"why\": ..., \"errors\": [{\"path\": ..., \"code\": ...}]}";
        try
        {
            expectation = JToken.Parse(File.ReadAllText(file)) as JObject;
        }
        catch (JsonReaderException ex)
        {
            (expectation, error) = (null, $"{Path.GetFileName(file)} is not JSON ({ex.Message}); it holds {shape}");
            return false;
        }
        error = expectation?["errors"] is JArray errors && errors.All(e => e is JObject) ? null : $"{Path.GetFileName(file)} holds no \"errors\" array of objects; it holds {shape}";
        return error is null;
    }

    private static bool TryParse(SampleOrder sample, out JToken? token, out string? error)
    {
        if (OrderEventJson.TryParse(sample.Text, out token, out var parseError)) { error = null; return true; }
        error = $"not JSON: {parseError}";
        return false;
    }

    private static IEnumerable<SampleOrder> InFileOrder(IEnumerable<SampleOrder> samples) => samples.OrderBy(s => s.File, StringComparer.Ordinal);

    private static string Errors(JToken result) =>
        string.Join(", ", (result["errors"] as JArray ?? new JArray()).Select(e => $"{e["path"]} {e["code"]}"));

    private static void Report(TextWriter output, bool ok, string name, string line) => output.WriteLine($"{(ok ? "ok  " : "FAIL")} {name,-58} {line}");

    private static string FindRepositoryRoot()
    {
        try
        {
            return RepositoryRoot.Find();
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliUsageException($"no folder with {RepositoryRoot.MarkerFile} above the current directory; pass --root.");
        }
    }
}
