using System.Text;
using OrderEvents.CustomCode.Idempotency;

namespace OrderEvents.CustomCode.Tests.Idempotency;

/// <summary>A claim token is <c>{claim id}~{ETag as unpadded base64url}</c>: tokens handed out before stay readable, and
/// the ETag comes back as it went in.</summary>
[TestClass]
public sealed class ClaimTokens_Specs
{
    [TestMethod]
    [DataRow("\"0x8DC1A2B3C4D5E6F\"")]
    [DataRow("W/\"datetime'2026-03-01T08%3A00%3A00.123Z'\"")]
    [DataRow("?>?>~~ÿ")] // bytes whose base64 holds '+' and '/'
    [DataRow("a")]
    [DataRow("ab")]
    [DataRow("abc")]
    public void The_ETag_travels_as_unpadded_base64url_and_reads_back(string etag)
    {
        var standard = Convert.ToBase64String(Encoding.UTF8.GetBytes(etag));
        var expected = "claim-1~" + standard.TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var token = ClaimTokens.Compose("claim-1", etag);

        Assert.AreEqual(expected, token);
        Assert.AreEqual(("claim-1", (string?)etag), ClaimTokens.Parse(token));
    }

    [TestMethod]
    public void A_bare_claim_id_or_a_damaged_ETag_part_reads_without_an_ETag()
    {
        Assert.AreEqual(("claim-1", (string?)null), ClaimTokens.Parse("claim-1"));
        Assert.AreEqual(("claim-1", (string?)null), ClaimTokens.Parse("claim-1~%%%"));
    }
}
