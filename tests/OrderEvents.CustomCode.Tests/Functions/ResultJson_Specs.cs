using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Functions;
using OrderEvents.CustomCode.Storage;
using OrderEvents.CustomCode.Tests.Mapping;

namespace OrderEvents.CustomCode.Tests.Functions;

/// <summary>
/// The catalog's result writer against the serializer it replaced (<c>JToken.FromObject</c> with
/// <see cref="FunctionCatalog.ResultSerializer"/>): the same text and the same kinds of values, for the functions' real
/// results and for every kind of member a result can hold.
/// </summary>
[TestClass]
public sealed class ResultJson_Specs
{
    private enum Colour { Red, DarkBlue }

    private sealed record Inner(string Name, Colour? Colour);

    private sealed record Everything
    {
        public string? Text { get; init; } = "Zoë \"quoted\" 👩‍🍳";
        public string? Missing { get; init; }
        public bool Flag { get; init; } = true;
        public int Count { get; init; } = 42;
        public long Big { get; init; } = 9_007_199_254_740_993;
        public decimal Amount { get; init; } = 149.90m;
        public double Ratio { get; init; } = 0.1;
        public int? NoNumber { get; init; }
        public DateTimeOffset At { get; init; } = new(2024, 5, 1, 9, 30, 0, TimeSpan.FromHours(2));
        public DateTime Local { get; init; } = new(2024, 5, 1, 9, 30, 0, DateTimeKind.Utc);
        public Guid Id { get; init; } = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
        public TimeSpan Span { get; init; } = TimeSpan.FromMinutes(5);
        public char Letter { get; init; } = 'x';
        public Colour Colour { get; init; } = Colour.DarkBlue;
        public Colour? NoColour { get; init; }
        public Colour Undefined { get; init; } = (Colour)7;
        public IReadOnlyList<Inner> Items { get; init; } = [new("a", Colour.Red), new("b", null)];
        public string[] Words { get; init; } = ["one", "two"];
        public IReadOnlyList<string> NoWords { get; init; } = [];
        public IReadOnlyDictionary<string, object> Properties { get; init; } = new Dictionary<string, object>
        {
            ["eventType"] = "OrderCreated", ["smsOptIn"] = true, ["Count"] = 3, ["nothing"] = null!,
        };
        public JToken? Json { get; init; } = new JObject
        {
            ["date"] = new JValue(new DateTime(2024, 5, 1, 9, 30, 0, DateTimeKind.Utc)), ["float"] = 1.5, ["decimal"] = 2.50m,
            ["null"] = null, ["array"] = new JArray(1, "two", new JObject()), ["$schema"] = "x",
        };
        public JObject? NoJson { get; init; }
        public JToken NullJson { get; init; } = JValue.CreateNull();
        public Inner? NoInner { get; init; }
        [JsonIgnore] public string Hidden { get; init; } = "never written";
        public string ETag { get; init; } = "\"0x1\"";
        public object Boxed { get; init; } = new Inner("boxed", Colour.Red);
    }

    [TestMethod]
    public void Every_kind_of_member_is_written_as_the_serializer_writes_it()
    {
        AssertSameAsSerializer(new Everything());
    }

    [TestMethod]
    public void A_value_that_is_not_an_object_is_written_as_the_serializer_writes_it()
    {
        foreach (var value in new object?[] { null, "text", 3, true, 1.25m, Colour.Red, new[] { 1, 2 }, JValue.CreateNull(), new JObject { ["a"] = 1 } })
        {
            AssertSameAsSerializer(value);
        }
    }

    [TestMethod]
    public void A_JSON_member_is_copied_so_the_result_shares_nothing_with_the_function_s_inputs()
    {
        // A function's JSON parameters are parts of its action's inputs (FunctionCatalog hands them over as they are).
        var inputs = new JObject { ["parameters"] = new JObject { ["order"] = new JObject { ["a"] = 1 } } };
        var input = inputs["parameters"]!["order"]!;
        var written = ResultJson.ToJToken(new Everything { Json = input }, FunctionCatalog.ResultSerializer);

        written["json"]!["a"] = 2;

        Assert.AreEqual(1, (int)input["a"]!);
        Assert.AreEqual(1, (int)inputs["parameters"]!["order"]!["a"]!);
    }

    [TestMethod]
    public void A_member_that_holds_values_of_different_types_from_one_result_to_the_next_is_written_as_each_type()
    {
        foreach (var boxed in new object[] { new Inner("first", Colour.Red), 7, "text", Colour.DarkBlue, new[] { 1, 2 }, new Inner("again", null), true })
        {
            AssertSameAsSerializer(new Everything { Boxed = boxed });
        }
    }

    [TestMethod]
    public void A_JSON_member_the_function_made_for_its_result_is_taken_as_it_is()
    {
        var made = new JObject { ["a"] = 1 };

        var written = ResultJson.ToJToken(new Everything { Json = made }, FunctionCatalog.ResultSerializer);

        Assert.AreSame(made, written["json"]);
        Assert.IsTrue(JToken.DeepEquals(JToken.FromObject(new Everything { Json = new JObject { ["a"] = 1 } }, FunctionCatalog.ResultSerializer), written));
    }

    [TestMethod]
    public void The_same_JSON_member_twice_in_a_result_is_taken_once_and_copied_once()
    {
        var made = new JObject { ["a"] = 1 };

        var written = ResultJson.ToJToken(new[] { made, made }, FunctionCatalog.ResultSerializer);

        Assert.AreSame(made, written[0]);
        Assert.AreNotSame(made, written[1]);
        Assert.IsTrue(JToken.DeepEquals(made, written[1]));
    }

    [TestMethod]
    public void Every_function_s_result_is_written_without_the_serializer()
    {
        foreach (var function in FunctionCatalog.All)
        {
            Assert.IsTrue(ResultJson.IsWrittenDirectly(function.ReturnType, FunctionCatalog.ResultSerializer), function.Name);
        }
    }

    [TestMethod]
    public async Task The_functions_real_results_are_written_as_the_serializer_writes_them()
    {
        var functions = OrderEventSamples.Functions(new InMemoryObjectStore());
        var created = OrderEventSamples.Event();
        var cancelled = OrderEventSamples.Event("OrderCancelled").With("data.cancellationReason", "Customer request");
        var results = new List<object?>
        {
            functions.ValidateOrderEvent(created),
            functions.ValidateOrderEvent(created.With("data.currency", "XXX").With("messageId", null)),
            await functions.BuildServiceBusMessage(created, "corr-1"),
            await functions.ReadOrderMessage(created, "application/json"),
            await functions.ReadOrderMessage("not json"),
            functions.MapToSapSalesOrder(created, "1000", "10", "00", "TA"),
            functions.MapToSms(created),
            functions.MapToWarehouseRequest(created),
            functions.ReadSapBapiResponse("<X/>"),
        };
        foreach (var orderEvent in new[] { created, cancelled })
        {
            var message = Delivery(orderEvent);
            results.Add(await functions.PrepareSms(message, "sms"));
            results.Add(await functions.PrepareSms(message, "sms"));
            results.Add(await functions.PrepareWarehouseRequest(message, "warehouse"));
            results.Add(await functions.PrepareSapSalesOrder(message, "sap", "1000", "10", "00", "TA"));
            results.Add(await functions.ArchiveOrderEvent(message));
        }
        var begun = await functions.BeginIdempotency("consumer", "key-1");
        results.Add(begun);
        results.Add(await functions.CompleteIdempotency("consumer", "key-1", begun.ClaimToken!, new JObject { ["salesDocument"] = "0000012345", ["at"] = "2024-05-01T09:30:00Z" }));
        results.Add(await functions.BeginIdempotency("consumer", "key-1"));
        results.Add(await functions.DecideSettlement("TransientFailure", 10, 10));
        results.Add(await functions.DecideSettlement("Succeeded", 1, 10));
        results.Add(functions.BuildDeadLetterAlertCard("lake-archive", new JObject { ["deadLetterReason"] = "MaxDeliveryCountExceeded" }));
        results.Add(await functions.WriteOrderToLake(created));
        results.Add(await functions.ArchiveDeadLetter("sms", new JObject { ["messageId"] = "m-1" }));

        foreach (var result in results) AssertSameAsSerializer(result);
    }

    private static JObject Delivery(JObject orderEvent) => new()
    {
        ["contentData"] = orderEvent.DeepClone(),
        ["contentType"] = "application/json",
        ["userProperties"] = new JObject { ["publishedBy"] = "6f9619ff-8b86-d011-b42d-00c04fc964ff" },
        ["enqueuedTimeUtc"] = "2024-05-01T09:31:00.0000000Z",
    };

    private static void AssertSameAsSerializer(object? value)
    {
        var expected = value is null ? JValue.CreateNull() : JToken.FromObject(value, FunctionCatalog.ResultSerializer);
        var written = ResultJson.ToJToken(value, FunctionCatalog.ResultSerializer);

        Assert.AreEqual(expected.ToString(Formatting.None), written.ToString(Formatting.None), value?.GetType().Name);
        AssertSameKinds(expected, written, "$");
    }

    /// <summary>The same token types and, for values, the same .NET type (an int stays an int, a date a date).</summary>
    private static void AssertSameKinds(JToken expected, JToken written, string path)
    {
        Assert.AreEqual(expected.Type, written.Type, path);
        if (expected is JValue expectedValue)
        {
            Assert.AreEqual(expectedValue.Value?.GetType(), ((JValue)written).Value?.GetType(), path);
            return;
        }
        var expectedChildren = expected.Children().ToArray();
        var writtenChildren = written.Children().ToArray();
        Assert.AreEqual(expectedChildren.Length, writtenChildren.Length, path);
        for (var i = 0; i < expectedChildren.Length; i++)
        {
            var child = expectedChildren[i] is JProperty p ? $"{path}.{p.Name}" : $"{path}[{i}]";
            AssertSameKinds(expectedChildren[i], writtenChildren[i], child);
        }
    }
}
