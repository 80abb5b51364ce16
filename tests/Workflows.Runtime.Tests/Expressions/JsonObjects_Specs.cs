using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions.Values;

namespace Workflows.Runtime.Tests.Expressions;

/// <summary>Objects and arrays made at their size (<c>JsonTree.NewObject</c>, <c>NewArray</c>): the engine's copies, templates,
/// parsed bodies and the Service Bus trigger item are made this way, so they must be ordinary Newtonsoft values.</summary>
[TestClass]
public sealed class JsonObjects_Specs
{
    [TestMethod]
    public void This_Newtonsoft_version_lets_objects_and_arrays_be_made_at_their_size()
    {
        // Sizing sets Newtonsoft's private fields (13.0.3); a version without them would leave every value unsized, silently.
        Assert.IsTrue(JsonTree.CanSize, "JObject._properties/_dictionary or JArray._values not found: objects are no longer made at their size.");
    }

    [TestMethod]
    public void An_object_made_at_its_size_reads_writes_and_compares_as_an_ordinary_object()
    {
        var sized = JsonObjects.Sized(2);
        sized.Add("b", 2);
        sized.Add("a", "one");
        sized.Add("c", new JArray(1, 2)); // beyond its size: grows as any object does
        sized["a"] = "changed";
        sized.Remove("b");

        var ordinary = new JObject { ["a"] = "changed", ["c"] = new JArray(1, 2) };
        Assert.IsTrue(JToken.DeepEquals(ordinary, sized));
        Assert.AreEqual(ordinary.ToString(Formatting.None), sized.ToString(Formatting.None));
        Assert.AreEqual("changed", (string?)sized["a"]);
        Assert.IsNull(sized["b"]);
        Assert.IsTrue(sized.ContainsKey("c"));
        Assert.ThrowsExactly<ArgumentException>(() => sized.Add("a", 3));
        Assert.AreSame(sized, sized["c"]!.Parent!.Parent);
    }

    [TestMethod]
    public void An_object_made_at_its_size_and_left_empty_equals_an_empty_object()
    {
        var sized = JsonObjects.Sized(4);

        Assert.IsTrue(JToken.DeepEquals(new JObject(), sized));
        Assert.IsTrue(JToken.DeepEquals(sized, new JObject()));
        Assert.IsFalse(sized.ContainsKey("a"));
        Assert.AreEqual("{}", sized.ToString(Formatting.None));
    }

    [TestMethod]
    public void An_array_made_at_its_size_holds_what_is_added_in_order()
    {
        var sized = JsonObjects.SizedArray(2);
        sized.Add(1);
        sized.Add("two");
        sized.Add(new JObject { ["three"] = 3 });

        Assert.IsTrue(JToken.DeepEquals(new JArray(1, "two", new JObject { ["three"] = 3 }), sized));
    }
}
