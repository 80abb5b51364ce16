using OrderEvents.CustomCode.Mapping.Sms;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

/// <summary>
/// Segment counting, case by case, from the sources: the GSM 7-bit default alphabet and its extension table
/// (3GPP TS 23.038 §6.2.1, §6.2.1.1, formerly GSM 03.38), Twilio's limits (160/153 GSM-7, 70/67 UCS-2,
/// https://www.twilio.com/docs/glossary/what-sms-character-limit) and Twilio's segment calculator, which moves a
/// character that does not fit whole into the next segment (TwilioDevEd/message-segment-calculator). The mapper and
/// the Twilio stand-in both count with <see cref="SmsSegments"/>, so these cases pin both.
/// </summary>
[TestClass]
public sealed class SmsSegments_Specs
{
    private const string Emoji = "😀"; // U+1F600: one character, two UTF-16 units (a surrogate pair)

    // "a×152+{+a×10": runs of a character, joined.
    private static string Text(string spec) => string.Concat(spec.Split('+').Select(Repeat));

    private static string Repeat(string part)
    {
        var times = part.IndexOf('×');
        return times < 0 ? part : string.Concat(Enumerable.Repeat(part[..times], int.Parse(part[(times + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestMethod]
    [DataRow("a×160", "GSM-7", 1, 160, DisplayName = "GSM-7: 160 septets fit one segment")]
    [DataRow("a×161", "GSM-7", 2, 161, DisplayName = "GSM-7: the 161st septet makes it concatenated, 153 per segment")]
    [DataRow("a×306", "GSM-7", 2, 306, DisplayName = "GSM-7: 2 × 153")]
    [DataRow("a×307", "GSM-7", 3, 307, DisplayName = "GSM-7: 2 × 153 + 1")]
    [DataRow("ü×160", "GSM-7", 1, 160, DisplayName = "GSM-7: ü is in the default alphabet")]
    [DataRow("€×80", "GSM-7", 1, 160, DisplayName = "extension table: € costs escape + character, 80 fill one segment")]
    [DataRow("€×80+a", "GSM-7", 2, 161, DisplayName = "extension table: one septet more needs a second segment")]
    [DataRow("a×152+{+a×10", "GSM-7", 2, 164, DisplayName = "extension table: an escape pair is never split across segments")]
    [DataRow("a×152+{+a×152", "GSM-7", 3, 306, DisplayName = "extension table: 306 septets, yet three segments, as the pair moves whole")]
    [DataRow("\f^{}\\[~]|€", "GSM-7", 1, 20, DisplayName = "extension table: all ten characters, two septets each")]
    [DataRow("Grüße aus Köln, Ñoño à la carte, Ça, £5 ¥3 §2 ¿?", "GSM-7", 1, 48, DisplayName = "GSM-7: accented letters of the default alphabet")]
    [DataRow("", "GSM-7", 0, 0, DisplayName = "an empty text takes no segment")]
    [DataRow("ł×70", "UCS-2", 1, 70, DisplayName = "UCS-2: ł is outside GSM-7, 70 units fit one segment")]
    [DataRow("ł×71", "UCS-2", 2, 71, DisplayName = "UCS-2: 71 units need two segments of 67")]
    [DataRow("a×133+ç", "UCS-2", 2, 134, DisplayName = "UCS-2: ç (not in GSM-7) switches the whole text, 2 × 67")]
    [DataRow("a×134+ç", "UCS-2", 3, 135, DisplayName = "UCS-2: 2 × 67 + 1")]
    [DataRow("a×68+" + Emoji, "UCS-2", 1, 70, DisplayName = "UCS-2: an emoji counts two units")]
    [DataRow("a×69+" + Emoji, "UCS-2", 2, 71, DisplayName = "UCS-2: an emoji one unit too many")]
    [DataRow("a×66+" + Emoji + "+a×10", "UCS-2", 2, 78, DisplayName = "UCS-2: a surrogate pair is never split across segments")]
    [DataRow("a×66+" + Emoji + "+a×66", "UCS-2", 3, 134, DisplayName = "UCS-2: 134 units, yet three segments, as the emoji moves whole")]
    [DataRow("a×66+e\u0301+a×66", "UCS-2", 3, 134, DisplayName = "UCS-2: a letter and its combining mark are never split")]
    public void A_text_takes_the_segments_its_encoding_allows(string spec, string encoding, int segments, int units)
    {
        var count = SmsSegments.Count(Text(spec));

        Assert.AreEqual(encoding, count.Encoding == SmsEncoding.Gsm7 ? "GSM-7" : "UCS-2");
        Assert.AreEqual(segments, count.Segments, "segments");
        Assert.AreEqual(units, count.Units, "units (septets for GSM-7, UTF-16 units for UCS-2)");
    }

    [TestMethod]
    public void The_mapper_reports_the_count_of_its_text_an_emoji_in_the_name_makes_it_UCS2()
    {
        var sms = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer.name", "Anna😀"));

        Assert.AreEqual("UCS-2", sms.Encoding);
        Assert.AreEqual(2, sms.Segments, "the 96-unit default text needs two 67-unit segments");
    }
}
