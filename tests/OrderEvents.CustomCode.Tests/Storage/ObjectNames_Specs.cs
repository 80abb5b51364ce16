using System.Text.RegularExpressions;
using OrderEvents.CustomCode.Storage;

namespace OrderEvents.CustomCode.Tests.Storage;

/// <summary>
/// The naming rules written as loops over spans accept and refuse exactly what the regular expressions they replaced
/// did (those patterns, quirks included: their <c>$</c> also matched before one final line feed), and a name that breaks
/// a rule is refused for the same reason as before.
/// </summary>
[TestClass]
public sealed class ObjectNames_Specs
{
    private static readonly Regex ContainerPattern = new("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant);
    private static readonly Regex VerbatimSegmentPattern = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant);

    private static readonly string[] Texts =
    [
        "", "a", "ab", "abc", "idempotency", "orders-lake", "orders--lake", "-abc", "abc-", "a-b", "ABC", "abc\n", "abc\n\n", "\nabc",
        "ab\n", "a-\n", "abc d", "abcé", new string('a', 63), new string('a', 64), new string('a', 63) + "\n", new string('a', 62) + "-",
        "msg-1", "7f3c2a9e-1b4d-4c6e-9a8b-0d1e2f3a4b5c", "a.b_c-d", ".hidden", "_x", "x.", "x..", "con", "CON", "con.txt", "nul.json",
        "COM1", "com10", "lpt9.x", "aux.", "a b", "a/b", "a\\b", "é", new string('x', 128), new string('x', 129), new string('x', 128) + "\n",
        "x\n", "x.\n", "CON\n", "\u0085", "a\u007f",
    ];

    [TestMethod]
    public void A_container_name_is_accepted_exactly_when_the_replaced_pattern_matched_it()
    {
        foreach (var text in Texts)
        {
            var expected = text.Length > 0 && ContainerPattern.IsMatch(text);
            Assert.AreEqual(expected, Accepted(() => ObjectNames.ValidateContainer(text)), Shown(text));
        }
    }

    [TestMethod]
    public void A_text_is_kept_verbatim_as_a_segment_exactly_when_the_replaced_pattern_and_checks_kept_it()
    {
        string[] devices = ["CON", "PRN", "AUX", "NUL", "COM1", "COM9", "LPT1", "LPT9"];
        foreach (var text in Texts.Where(t => t.Length > 0))
        {
            var verbatim = VerbatimSegmentPattern.IsMatch(text) && text[^1] != '.'
                           && !devices.Contains(text.Split('.')[0], StringComparer.OrdinalIgnoreCase);
            Assert.AreEqual(verbatim, ObjectNames.ToSafeSegment(text) == text, Shown(text));
        }
    }

    [TestMethod]
    [DataRow("a\u0001b.json", 0x0001)]
    [DataRow("a\u009fb.json", 0x009F)]
    [DataRow("a?b\u0001.json", 0x003F)]
    [DataRow("a\u0001b?.json", 0x0001)]
    [DataRow("a\u007fb|.json", 0x007F)]
    public void A_name_with_several_forbidden_characters_is_refused_for_the_first_of_them(string name, int first)
    {
        var refused = Assert.ThrowsExactly<InvalidObjectNameException>(() => ObjectNames.ValidateObjectName(name));

        Assert.AreEqual("InvalidCharacter", refused.Reason);
        StringAssert.Contains(refused.Message, $"U+{first:X4}");
    }

    [TestMethod]
    [DataRow("a//b.json", "EmptySegment")]
    [DataRow("a/b/", "EmptySegment")]
    [DataRow("a/./b.json", "DotSegment")]
    [DataRow("a/b./c.json", "TrailingDotOrSpace")]
    [DataRow("a/b /c.json", "TrailingDotOrSpace")]
    [DataRow("a./../c.json", "TrailingDotOrSpace")]
    [DataRow("orders/OrderCreated/v1/year=2024/month=05/day=01/hour=09/msg-1.json", null)]
    public void A_name_is_refused_for_its_first_segment_that_breaks_a_rule_and_a_good_name_is_accepted(string name, string? reason)
    {
        if (reason is null)
        {
            ObjectNames.ValidateObjectName(name);
            return;
        }
        Assert.AreEqual(reason, Assert.ThrowsExactly<InvalidObjectNameException>(() => ObjectNames.ValidateObjectName(name)).Reason);
    }

    private static bool Accepted(Action validate)
    {
        try
        {
            validate();
            return true;
        }
        catch (InvalidObjectNameException)
        {
            return false;
        }
    }

    private static string Shown(string text) => string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
