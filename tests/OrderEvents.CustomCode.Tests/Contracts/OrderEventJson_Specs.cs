using System.Numerics;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Contracts;
using OrderEvents.CustomCode.Tests.Contracts.Support;

namespace OrderEvents.CustomCode.Tests.Contracts;

/// <summary><see cref="OrderEventJson.Utf8Length"/> counts what the compact writer would write, byte for byte: each
/// case is held to the UTF-8 length of <c>ToString(Formatting.None)</c>, the text the message and the claim check carry.</summary>
[TestClass]
public sealed class OrderEventJson_Specs
{
    [TestMethod]
    public void Every_character_outside_the_surrogates_counts_as_the_writer_escapes_and_encodes_it()
    {
        var all = new StringBuilder();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (c is < 0xD800 or > 0xDFFF) all.Append((char)c);
        }
        var text = all.ToString();

        AssertCounted(new JValue(text));
        AssertCounted(new JObject { [text] = text });
        for (var c = 0; c < 0x100; c++) AssertCounted(new JObject { [((char)c).ToString()] = new string((char)c, 3) });
        foreach (var c in "\u0085\u2028\u2029\u00e9\u07ff\u0800\uffff") AssertCounted(new JValue($"a{c}b"));
    }

    [TestMethod]
    public void Surrogate_pairs_count_four_bytes()
    {
        AssertCounted(new JValue("👩‍🍳 𝄞 Zoë 東京"));
        AssertCounted(new JObject { ["𝄞"] = new JArray("😀", "x😀y") });
    }

    [TestMethod]
    public void Numbers_booleans_and_null_count_as_written()
    {
        var values = new JArray(
            0L, 9L, 10L, -1L, -9L, -10L, 123456789L, long.MaxValue, long.MinValue,
            0m, 1m, -1m, 1.5m, 1.50m, 12.345m, -0.0001m, 0.0000000000000000000000000001m, decimal.MaxValue, decimal.MinValue, 1234.0m,
            1.5d, 1e300d, -2.5e-10d, 0d, double.NaN, double.PositiveInfinity, 3.4f,
            new JValue((object)5), new JValue((object)7u), new JValue(ulong.MaxValue), new JValue(new BigInteger(decimal.MaxValue) * 1000),
            true, false, JValue.CreateNull(), JValue.CreateUndefined());

        AssertCounted(values);
        foreach (var value in values) AssertCounted(value);
    }

    [TestMethod]
    public void Dates_guids_bytes_and_empty_containers_count_as_written()
    {
        AssertCounted(new JArray(
            new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 1, 8, 0, 0, DateTimeKind.Unspecified),
            new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(2)), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            new JValue(new byte[] { 1, 2, 3, 250 }), new JValue(new Uri("https://example.com/a?b=c")), new JValue(TimeSpan.FromMinutes(90)),
            new JObject(), new JArray(), new JObject { ["a"] = new JObject(), ["b"] = new JArray(new JArray()) }));
    }

    [TestMethod]
    public void Order_events_count_as_the_bytes_they_travel_as()
    {
        var unicode = Samples.ValidEvent();
        unicode["data"]!["customer"]!["name"] = "Zoë Ōtsuka-Müller 👩‍🍳 東京 \"quoted\" \\ é\n\t\u0001";

        foreach (var orderEvent in new[] { Samples.ValidEvent(), unicode })
        {
            Assert.AreEqual(OrderEventJson.ToUtf8(orderEvent).Length, OrderEventJson.Utf8Length(orderEvent));
        }
    }

    private static void AssertCounted(JToken token) =>
        Assert.AreEqual(Encoding.UTF8.GetByteCount(token.ToString(Formatting.None)), OrderEventJson.Utf8Length(token), token.ToString(Formatting.None)[..Math.Min(80, token.ToString(Formatting.None).Length)]);
}
