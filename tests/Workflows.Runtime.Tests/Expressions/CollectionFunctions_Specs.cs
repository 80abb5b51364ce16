namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class CollectionFunctions_Specs
{
    [TestMethod]
    public void Contains_searches_substrings_items_by_value_and_object_keys()
    {
        Assert.IsTrue((bool)Wdl.Eval("contains('hello', 'ell')"));
        Assert.IsFalse((bool)Wdl.Eval("contains('hello', 'ELL')"), "substring search is case-sensitive");
        Assert.IsTrue((bool)Wdl.Eval("contains(createArray(1, json('{\"a\":[1]}')), json('{\"a\":[1]}'))"));
        Assert.IsTrue((bool)Wdl.Eval("contains(createArray(1, 2), 2.0)"));
        Assert.IsTrue((bool)Wdl.Eval("contains(json('{\"key\": null}'), 'key')"));
        StringAssert.Contains(Wdl.Error("contains(5, 5)"), "'contains'");
    }

    [TestMethod]
    public void Empty_is_true_for_empty_text_arrays_objects_and_null()
    {
        Assert.IsTrue((bool)Wdl.Eval("empty('')"));
        Assert.IsTrue((bool)Wdl.Eval("empty(json('[]'))"));
        Assert.IsTrue((bool)Wdl.Eval("empty(json('{}'))"));
        Assert.IsTrue((bool)Wdl.Eval("empty(null)"));
        Assert.IsFalse((bool)Wdl.Eval("empty(json('[0]'))"));
    }

    [TestMethod]
    public void First_and_last_give_characters_or_items_and_null_when_empty()
    {
        Assert.AreEqual("a", Wdl.Text("first('abc')"));
        Assert.AreEqual("c", Wdl.Text("last('abc')"));
        Wdl.AreJsonEqual("""{"x":2}""", Wdl.Eval("last(json('[{\"x\":1},{\"x\":2}]'))"));
        Assert.AreEqual(Newtonsoft.Json.Linq.JTokenType.Null, Wdl.Eval("first(json('[]'))").Type);
    }

    [TestMethod]
    public void Union_keeps_first_seen_order_without_duplicates_and_merges_objects()
    {
        Wdl.AreJsonEqual("[1, 2, 3, 10, 101]", Wdl.Eval("union(createArray(1, 2, 3), createArray(1, 2, 10, 101))"));
        Wdl.AreJsonEqual("""{"a":1,"b":3,"c":4}""", Wdl.Eval("union(json('{\"a\":1,\"b\":2}'), json('{\"b\":3,\"c\":4}'))"));
    }

    [TestMethod]
    public void Intersection_keeps_items_or_keys_present_in_every_collection()
    {
        Wdl.AreJsonEqual("[1, 2]", Wdl.Eval("intersection(createArray(1, 2, 3, 2), createArray(2, 1), createArray(1, 2, 9))"));
        Wdl.AreJsonEqual("""{"b":30}""", Wdl.Eval("intersection(json('{\"a\":1,\"b\":2}'), json('{\"b\":30,\"c\":4}'))"));
        StringAssert.Contains(Wdl.Error("intersection(createArray(1), json('{}'))"), "'intersection'");
    }

    [TestMethod]
    public void Join_writes_items_as_text_between_delimiters()
    {
        Assert.AreEqual("1;a;True;;{\"x\":1}", Wdl.Text("join(createArray(1, 'a', true, null, json('{\"x\":1}')), ';')"));
        StringAssert.Contains(Wdl.Error("join('abc', ',')"), "type 'String'");
    }

    [TestMethod]
    public void Skip_and_take_cut_arrays_and_take_also_cuts_text()
    {
        Wdl.AreJsonEqual("[3]", Wdl.Eval("skip(createArray(1, 2, 3), 2)"));
        Wdl.AreJsonEqual("[]", Wdl.Eval("skip(createArray(1, 2, 3), 5)"));
        Wdl.AreJsonEqual("[1, 2, 3]", Wdl.Eval("take(createArray(1, 2, 3), 10)"));
        Assert.AreEqual("ab", Wdl.Text("take('abc', 2)"));
        StringAssert.Contains(Wdl.Error("skip(createArray(1), -1)"), "'skip'");
    }

    [TestMethod]
    public void Sort_orders_numbers_strings_or_objects_by_a_key_and_reverse_turns_it_around()
    {
        Wdl.AreJsonEqual("[1, 2.5, 3]", Wdl.Eval("sort(createArray(3, 1, 2.5))"));
        Wdl.AreJsonEqual("""["a", "b", "c"]""", Wdl.Eval("sort(createArray('c', 'a', 'b'))"));
        Wdl.AreJsonEqual("""[{"n":"x","k":1},{"n":"y","k":2}]""", Wdl.Eval("sort(json('[{\"n\":\"y\",\"k\":2},{\"n\":\"x\",\"k\":1}]'), 'k')"));
        Wdl.AreJsonEqual("[3, 2, 1]", Wdl.Eval("reverse(sort(createArray(2, 3, 1)))"));
        StringAssert.Contains(Wdl.Error("sort(createArray(1, 'a'))"), "'sort'");
    }

    [TestMethod]
    public void Chunk_splits_arrays_into_pieces()
    {
        Wdl.AreJsonEqual("[[1, 2], [3]]", Wdl.Eval("chunk(createArray(1, 2, 3), 2)"));
    }
}
