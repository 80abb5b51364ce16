using CsCheck;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using Workflows.Runtime;
using Workflows.Runtime.Testing;
using Workflows.Tests.Support;

namespace Workflows.Tests.Intake;

/// <summary>
/// The intake never answers 5xx to bad input (Power Automate retries a 5xx forever) and never publishes an invalid
/// event. CsCheck mutates the valid samples thousands of times: wrong types, deleted and added fields, control, bidi
/// and emoji characters in strings, huge numbers, truncated JSON, and hostile x-correlation-id and
/// X-MS-CLIENT-PRINCIPAL-ID headers. Every answer must be 202 (exactly one message, a valid event) or 400 (nothing
/// published, every error with a path and a code), and every response header must be visible ASCII.
/// </summary>
[TestClass]
public sealed class When_any_mutation_of_a_valid_event_is_posted_the_answer_is_202_or_a_400_naming_path_and_code
{
    private static readonly string[] Samples = Directory.GetFiles(Path.Combine(Project.Root, "Artifacts", "Samples", "valid"), "*.json").Order(StringComparer.Ordinal).ToArray();

    private static readonly string[] HostileText =
    [
        "\u0000", "\u202E", "\U0001F600", "\u0007", "\r\n", "\u00A0", "\uFEFF", "\u200B", " ", "'\"<>&", new string('x', 300), "\uD800",
    ];

    private static readonly JToken[] WrongValues =
    [
        JValue.CreateNull(), new JValue(true), new JValue(0), new JValue(-1), new JValue(1e308), new JValue(-1e-300),
        new JValue(decimal.MaxValue), JToken.Parse("123456789012345678901234567890"), new JValue(""), new JValue("\u202Eevil"),
        new JArray(), new JArray(1, "a"), new JObject(), new JObject { ["x"] = 1 },
    ];

    [TestMethod]
    public async Task Two_thousand_mutated_events_get_202_or_400_and_nothing_invalid_is_published()
    {
        using var scenario = new WorkflowScenario();
        // CsCheck's seed fixes only the first iteration, so the 2,000 cases are one generated array: the same cases on
        // every run (deterministic), and a failure names the one case that failed.
        var gen = Gen.Select(Gen.Int[0, Samples.Length - 1], Gen.Int.Array[1, 4], Gen.Int[0, 5], Gen.Int[0, 3]).Array[2000];
        var answers = new Dictionary<int, int>();

        await gen.SampleAsync(async cases =>
        {
            foreach (var (sample, mutations, correlationMode, principalMode) in cases)
            {
                var (body, headers, described) = Mutate(Samples[sample], mutations, correlationMode, principalMode);
                var sentBefore = scenario.Bus.Sent.Count;

                var response = await scenario.Host.PostAsync("OrderIntake", body, headers);
                var run = await response.Run!.Completion;

                answers[response.StatusCode] = answers.GetValueOrDefault(response.StatusCode) + 1;
                var context = $"{described}\nanswer {response.StatusCode}: {response.Body}\n{run.Describe()}";
                foreach (var header in response.Headers.Properties())
                    Assert.IsTrue(IsVisibleAscii((string?)header.Value), $"response header {header.Name} is not header-safe: {context}");
                Assert.IsTrue(IsVisibleAscii(response.Headers.Value<string>("x-correlation-id")), $"no usable x-correlation-id: {context}");
                if (response.StatusCode == 202)
                {
                    Assert.AreEqual(sentBefore + 1, scenario.Bus.Sent.Count, context);
                    var sent = scenario.Bus.Sent[^1];
                    Assert.IsTrue(OrderEventValidator.Validate(sent["contentData"]).IsValid, $"an invalid event was published: {sent}\n{context}");
                    Assert.IsTrue(IsVisibleAscii(sent.Value<string>("correlationId")), context);
                    if (sent["userProperties"]?["publishedBy"] is { } publishedBy) Assert.IsTrue(Guid.TryParse((string?)publishedBy, out _), context);
                }
                else
                {
                    Assert.AreEqual(400, response.StatusCode, context);
                    Assert.AreEqual(sentBefore, scenario.Bus.Sent.Count, $"a refused event was published: {context}");
                    var errors = response.Body?["errors"] as JArray;
                    Assert.IsTrue(errors is { Count: > 0 }, $"a 400 without errors: {context}");
                    foreach (var error in errors!)
                        Assert.IsTrue(!string.IsNullOrEmpty(error.Value<string>("path")) && !string.IsNullOrEmpty(error.Value<string>("code")),
                            $"an error without path or code: {error}\n{context}");
                }
            }
        }, iter: 1, threads: 1, seed: "0000000BWX4E1");

        Assert.IsTrue(answers.GetValueOrDefault(202) > 50 && answers.GetValueOrDefault(400) > 500,
            $"the mutations should exercise both answers: {string.Join(", ", answers.Select(a => $"{a.Key}: {a.Value}"))}");
    }

    private static (JToken Body, JObject Headers, string Described) Mutate(string sample, int[] mutations, int correlationMode, int principalMode)
    {
        var text = File.ReadAllText(sample);
        JToken body = JToken.Parse(text);
        var steps = new List<string> { Path.GetFileName(sample) };
        foreach (var mutation in mutations)
        {
            var random = new Random(mutation);
            var nodes = body is JContainer container ? container.DescendantsAndSelf().ToList() : [body];
            var node = nodes[random.Next(nodes.Count)];
            switch ((mutation & 0x7FFFFFFF) % 6)
            {
                case 0 when node.Parent is JProperty property: // a wrong type or value
                    // A new property, not 'property.Value = ...': Newtonsoft compares old and new values first, and that
                    // comparison overflows for a decimal replaced by 1e308 (a crash of the test, not of the intake).
                    var replaced = new JProperty(property.Name, WrongValues[random.Next(WrongValues.Length)].DeepClone());
                    property.Replace(replaced);
                    steps.Add($"{replaced.Path} := {replaced.Value.ToString(Newtonsoft.Json.Formatting.None)}");
                    break;
                case 1 when node.Parent is JProperty property && property.Parent is JObject: // a deleted field
                    steps.Add($"delete {property.Path}");
                    property.Remove();
                    break;
                case 2 when node is JObject obj: // an added field
                    var name = "extra" + random.Next(100);
                    obj[name] = WrongValues[random.Next(WrongValues.Length)].DeepClone();
                    steps.Add($"add {obj.Path}.{name}");
                    break;
                case 3 when node is JValue { Type: JTokenType.String } value && value.Parent is not null: // hostile characters
                    var hostile = HostileText[random.Next(HostileText.Length)];
                    var at = random.Next(((string)value!).Length + 1);
                    value.Value = ((string)value!).Insert(at, hostile);
                    steps.Add($"{value.Path} gets U+{(int)hostile[0]:X4} at {at}");
                    break;
                case 4 when node is JValue { Type: JTokenType.Integer or JTokenType.Float } number && number.Parent is not null: // a huge number
                    var huge = JToken.Parse(random.Next(2) == 0 ? "1e400" : "-98765432109876543210987654321.5");
                    if (number.Parent is JProperty owner) owner.Replace(new JProperty(owner.Name, huge));
                    else number.Replace(huge);
                    steps.Add($"{node.Path} := huge");
                    break;
                case 5: // truncated JSON: what arrives is not JSON at all
                    var serialized = body.ToString(Newtonsoft.Json.Formatting.None);
                    body = new JValue(serialized[..random.Next(serialized.Length)]);
                    steps.Add("truncated");
                    break;
            }
        }
        var headers = new JObject { ["Content-Type"] = "application/json" };
        var correlation = correlationMode switch
        {
            1 => "flow-run-8f1d2c",
            2 => "bad\u0000id",
            3 => "\u202Eevil\U0001F600",
            4 => new string('c', 129),
            _ => null,
        };
        if (correlation is not null) headers["x-correlation-id"] = correlation;
        var principal = principalMode switch
        {
            1 => "0b6f3c5e-9d2a-4c1e-8f7b-3a2d1e0c9b8a",
            2 => "not-a-guid\u0000",
            _ => null,
        };
        if (principal is not null) headers["X-MS-CLIENT-PRINCIPAL-ID"] = principal;
        steps.Add($"x-correlation-id {(correlation is null ? "absent" : JValue.CreateString(correlation).ToString(Newtonsoft.Json.Formatting.None))}, principal {(principal is null ? "absent" : JValue.CreateString(principal).ToString(Newtonsoft.Json.Formatting.None))}");
        return (body, headers, string.Join("; ", steps));
    }

    private static bool IsVisibleAscii(string? text) => text is { Length: > 0 } && text.All(c => c is >= '!' and <= '~');
}
