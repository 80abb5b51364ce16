using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>
/// Records and lake files are written through one builder kept per thread (<c>Utf8Text</c>): whatever was written
/// before on the thread (longer, shorter, in several chunks), the bytes are <c>Encoding.UTF8.GetBytes</c> of the text,
/// and a token's are those of <c>ToString(Formatting.None)</c>.
/// </summary>
[TestClass]
public sealed class When_stored_JSON_is_written_through_the_thread_s_builder_its_bytes_are_the_text_s_UTF8
{
    [TestMethod]
    public void Texts_one_after_another_each_give_their_own_bytes()
    {
        string[] texts =
        [
            "{\"a\":1}", new string('x', 5000) + "é", "", "Zoë 👩‍🍳 \"quoted\"", new string('y', 70_000), "short", "lone \ud800 surrogate \udc00", "{}",
        ];
        foreach (var text in texts.Concat(texts.Reverse()))
        {
            var writer = Utf8Text.Rent();
            // Written in pieces, as a JSON writer does.
            foreach (var piece in text.Chunk(700)) writer.Write(piece);
            CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(text), Utf8Text.ToUtf8(writer), text.Length.ToString());
        }
    }

    [TestMethod]
    public void A_token_s_bytes_are_those_of_its_compact_text()
    {
        JToken[] tokens =
        [
            JObject.Parse("{\"orderId\":\"SO-1\",\"amount\":149.90,\"lines\":[{\"sku\":\"A\",\"quantity\":2}],\"note\":\"Zoë <b> & \\u0001\"}"),
            new JObject { ["at"] = new DateTime(2024, 5, 1, 9, 30, 0, DateTimeKind.Utc), ["ratio"] = 0.1, ["big"] = new string('z', 20_000) },
            new JArray(1, "two", JValue.CreateNull()),
        ];
        foreach (var token in tokens)
        {
            CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(token.ToString(Formatting.None)), Utf8Text.CompactJson(token));
        }
    }
}
