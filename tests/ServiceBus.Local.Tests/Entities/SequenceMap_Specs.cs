using ServiceBus.Local.Entities;

namespace ServiceBus.Local.Tests.Entities;

/// <summary>
/// An entity's messages by sequence number (<see cref="SequenceMap{T}"/>), checked against the framework's
/// <see cref="SortedDictionary{TKey,TValue}"/> it replaced: the same values in the same order after any mix of adds,
/// replacements and removals, and its chunks merge as a backlog thins, so its memory follows what is left.
/// </summary>
[TestClass]
public sealed class SequenceMap_Specs
{
    private static void AssertSame(SortedDictionary<long, string> expected, SequenceMap<string> map)
    {
        Assert.AreEqual(expected.Count, map.Count);
        CollectionAssert.AreEqual(expected.Values.ToList(), map.Values.ToList());
    }

    [TestMethod]
    public void Values_come_back_in_sequence_order_whatever_order_they_were_added_in()
    {
        var random = new Random(7);
        var expected = new SortedDictionary<long, string>();
        var map = new SequenceMap<string>();
        foreach (var key in Enumerable.Range(1, 5000).Select(k => (long)k).OrderBy(_ => random.Next()))
        {
            expected[key] = $"m-{key}";
            map.Set(key, $"m-{key}");
        }
        AssertSame(expected, map);
    }

    [TestMethod]
    public void Adds_replacements_and_removals_anywhere_keep_the_same_contents_as_a_sorted_dictionary()
    {
        var random = new Random(11);
        var expected = new SortedDictionary<long, string>();
        var map = new SequenceMap<string>();
        long next = 0;
        for (var step = 0; step < 40_000; step++)
        {
            var roll = random.Next(10);
            if (roll < 5) // most arrive at the end, as sends do
            {
                next += random.Next(1, 3);
                expected[next] = $"v{step}";
                map.Set(next, $"v{step}");
            }
            else if (roll < 6) // a replacement or an insert below the end (a restore, a message put back)
            {
                var key = random.NextInt64(0, next + 1);
                expected[key] = $"r{step}";
                map.Set(key, $"r{step}");
            }
            else
            {
                var key = expected.Count > 0 && roll < 8 ? expected.Keys.First() : random.NextInt64(0, next + 1);
                var removed = expected.Remove(key, out var value);
                Assert.AreEqual(removed, map.Remove(key, out var mapValue), $"remove {key} at step {step}");
                Assert.AreEqual(value, mapValue);
            }
            var probe = random.NextInt64(0, next + 2);
            Assert.AreEqual(expected.TryGetValue(probe, out var e), map.TryGetValue(probe, out var m), $"lookup {probe} at step {step}");
            Assert.AreEqual(e, m);
        }
        AssertSame(expected, map);
    }

    [TestMethod]
    public void A_backlog_thinned_anywhere_merges_its_chunks()
    {
        var random = new Random(3);
        var map = new SequenceMap<string>();
        for (long key = 1; key <= 64_000; key++) map.Set(key, "m");
        Assert.AreEqual(1000, map.ChunkCount, "full chunks of 64");

        foreach (var key in Enumerable.Range(1, 64_000).OrderBy(_ => random.Next()).Take(60_000)) Assert.IsTrue(map.Remove(key, out _));

        Assert.AreEqual(4000, map.Count);
        Assert.IsTrue(map.ChunkCount <= 4000 / 12, $"{map.ChunkCount} chunks for 4,000 values");
    }

    [TestMethod]
    public void Removing_every_value_leaves_nothing_behind()
    {
        var map = new SequenceMap<string>();
        for (long key = 1; key <= 1000; key++) map.Set(key, "m");
        for (long key = 1; key <= 1000; key++) Assert.IsTrue(map.Remove(key, out _));

        Assert.AreEqual(0, map.Count);
        Assert.AreEqual(0, map.ChunkCount);
        Assert.IsFalse(map.TryGetValue(1, out _));
        Assert.IsFalse(map.Remove(1, out _));
    }

    [TestMethod]
    public void Changing_the_map_while_enumerating_it_throws()
    {
        var map = new SequenceMap<string>();
        for (long key = 1; key <= 10; key++) map.Set(key, "m");

        Assert.ThrowsExactly<InvalidOperationException>(() =>
        {
            foreach (var value in map.Values) map.Remove(5, out var removed);
        });
    }
}
