using Workflows.Runtime.History;

namespace Workflows.Runtime.Tests.Engine;

/// <summary>The run store's table of the strings a definition decides: numbers given once, kept only once committed.</summary>
[TestClass]
public sealed class RunStrings_Specs
{
    [TestMethod]
    public void A_text_keeps_its_number_whatever_string_object_carries_it()
    {
        var strings = new RunStrings();
        var first = strings.NumberOf("Send_the_SMS");
        Assert.AreEqual(0, first);
        Assert.AreEqual(1, strings.NumberOf("OK"));
        Assert.AreEqual(first, strings.NumberOf(new string("Send_the_SMS".AsSpan())), "equal text, another object");
        Assert.AreEqual(first, strings.NumberOf("Send_the_SMS"));
        Assert.AreEqual("Send_the_SMS", strings.Text(first));
        Assert.ThrowsExactly<InvalidDataException>(() => strings.Text(2));
    }

    [TestMethod]
    public void A_text_longer_than_the_limit_is_not_numbered()
    {
        var strings = new RunStrings();
        Assert.AreEqual(-1, strings.NumberOf(new string('x', RunStrings.MaxLength + 1)));
        Assert.AreEqual(0, strings.Count);
    }

    [TestMethod]
    public void Numbers_given_in_a_batch_that_rolled_back_are_forgotten_and_given_again()
    {
        var strings = new RunStrings();
        strings.NumberOf("Kept");
        strings.Committed();
        var lost = strings.NumberOf("Lost");
        CollectionAssert.AreEqual(new[] { (1, "Lost") }, strings.Pending());

        strings.RolledBack();

        Assert.AreEqual(1, strings.Count);
        Assert.IsEmpty(strings.Pending());
        Assert.ThrowsExactly<InvalidDataException>(() => strings.Text(lost));
        Assert.AreEqual(1, strings.NumberOf("Other"), "the number is free again");
        Assert.AreEqual(2, strings.NumberOf("Lost"), "numbered anew, after");
        Assert.AreEqual(0, strings.NumberOf("Kept"));
    }

    [TestMethod]
    public void A_table_read_from_a_file_continues_its_numbers_and_refuses_a_gap()
    {
        var strings = new RunStrings();
        strings.Load([(0, "A"), (1, "B")]);
        Assert.AreEqual(2, strings.NumberOf("C"));
        Assert.AreEqual(1, strings.NumberOf("B"));
        Assert.IsEmpty(new RunStrings { }.Pending());
        Assert.ThrowsExactly<InvalidDataException>(() => new RunStrings().Load([(1, "B")]));
    }
}
