using LocalLogicApp.StandIns.Recording;

namespace EndToEnd.Tests.StandIns;

[TestClass]
public sealed class RecentRecords_Specs
{
    [TestMethod]
    public void Keeps_the_newest_records_in_arrival_order_and_counts_every_one()
    {
        var records = new RecentRecords<string>(limit: 3);

        foreach (var record in new[] { "a", "b", "c", "d", "e" }) records.Add(record);

        CollectionAssert.AreEqual(new[] { "c", "d", "e" }, records.Snapshot().ToArray());
        Assert.AreEqual(5L, records.Total);
    }

    [TestMethod]
    public void Add_returns_the_records_number_among_all_records()
    {
        var records = new RecentRecords<string>(limit: 1);

        records.Add("a");
        records.CountOnly();

        Assert.AreEqual(3L, records.Add("c"));
    }

    [TestMethod]
    public void A_limit_of_zero_keeps_nothing_and_still_counts()
    {
        var records = new RecentRecords<string>(limit: 0);

        records.Add("a");
        records.CountOnly();

        Assert.IsEmpty(records.Snapshot());
        Assert.AreEqual(2L, records.Total);
        Assert.IsFalse(records.Keeps);
    }

    [TestMethod]
    public void Lowering_the_limit_forgets_the_oldest_records_at_once()
    {
        var records = new RecentRecords<int>(limit: 10);
        for (var i = 1; i <= 6; i++) records.Add(i);

        records.Limit = 2;

        CollectionAssert.AreEqual(new[] { 5, 6 }, records.Snapshot().ToArray());
        Assert.AreEqual(6L, records.Total);
    }

    [TestMethod]
    public void Clear_forgets_the_records_and_restarts_the_count()
    {
        var records = new RecentRecords<int>(limit: 10);
        records.Add(1);
        records.Add(2);

        records.Clear();
        records.Add(3);

        CollectionAssert.AreEqual(new[] { 3 }, records.Snapshot().ToArray());
        Assert.AreEqual(1L, records.Total);
    }

    [TestMethod]
    public void A_negative_limit_is_refused()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RecentRecords<int>(limit: -1));
    }

    [TestMethod]
    public void The_default_limit_keeps_a_thousand_records()
    {
        var records = new RecentRecords<int>();
        for (var i = 1; i <= 1_005; i++) records.Add(i);

        Assert.HasCount(1_000, records.Snapshot());
        Assert.AreEqual(6, records.Snapshot()[0]);
    }
}
