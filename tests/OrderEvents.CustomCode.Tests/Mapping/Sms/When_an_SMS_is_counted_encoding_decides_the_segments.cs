using OrderEvents.CustomCode.Mapping.Sms;

namespace OrderEvents.CustomCode.Tests.Mapping.Sms;

[TestClass]
public sealed class When_an_SMS_is_counted_encoding_decides_the_segments
{
    [TestMethod]
    public void GSM7_fits_160_characters_in_one_segment_and_153_per_segment_beyond()
    {
        Assert.AreEqual(new SmsSegmentCount(SmsEncoding.Gsm7, 1, 160), SmsSegments.Count(new string('a', 160)));
        Assert.AreEqual(2, SmsSegments.Count(new string('a', 161)).Segments);
        Assert.AreEqual(2, SmsSegments.Count(new string('a', 306)).Segments);
        Assert.AreEqual(3, SmsSegments.Count(new string('a', 307)).Segments);
    }

    [TestMethod]
    public void Extension_characters_count_two_septets()
    {
        var count = SmsSegments.Count(new string('€', 80));

        Assert.AreEqual(SmsEncoding.Gsm7, count.Encoding);
        Assert.AreEqual(160, count.Units);
        Assert.AreEqual(1, count.Segments);
        Assert.AreEqual(2, SmsSegments.Count(new string('€', 80) + "a").Segments);
    }

    [TestMethod]
    public void An_escape_pair_is_never_split_across_segments()
    {
        // 152 septets, then '{' (2 septets) does not fit the first 153-septet segment.
        var text = new string('a', 152) + "{" + new string('a', 10);

        Assert.AreEqual(2, SmsSegments.Count(text).Segments);
        Assert.AreEqual(164, SmsSegments.Count(text).Units);
    }

    [TestMethod]
    public void Accented_letters_of_the_GSM_alphabet_stay_GSM7() =>
        Assert.AreEqual(SmsEncoding.Gsm7, SmsSegments.Count("Grüße aus Köln, Ñoño à la carte, Ça, £5 ¥3 §2 ¿?").Encoding);

    [TestMethod]
    public void An_emoji_switches_the_whole_text_to_UCS2_with_70_and_67_per_segment()
    {
        Assert.AreEqual(new SmsSegmentCount(SmsEncoding.Ucs2, 1, 70), SmsSegments.Count(new string('a', 68) + "😀"));
        Assert.AreEqual(2, SmsSegments.Count(new string('a', 69) + "😀").Segments);
        Assert.AreEqual(2, SmsSegments.Count(new string('a', 133) + "ç").Segments, "134 units: two segments of 67");
        Assert.AreEqual(3, SmsSegments.Count(new string('a', 134) + "ç").Segments, "135 units: three segments");
    }

    [TestMethod]
    public void A_surrogate_pair_is_never_split_across_UCS2_segments()
    {
        // 66 units, then an emoji (2 units) does not fit the first 67-unit segment.
        var text = new string('a', 66) + "😀" + new string('a', 10);

        Assert.AreEqual(2, SmsSegments.Count(text).Segments);
    }

    [TestMethod]
    public void An_emoji_in_the_name_makes_the_message_UCS2()
    {
        var sms = OrderEventSamples.Functions().MapToSms(OrderEventSamples.Event().With("data.customer.name", "Anna😀"));

        Assert.AreEqual("UCS-2", sms.Encoding);
        Assert.AreEqual(2, sms.Segments, "the 96-unit default text needs two 67-unit segments");
    }
}
