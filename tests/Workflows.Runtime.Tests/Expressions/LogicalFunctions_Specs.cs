namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class LogicalFunctions_Specs
{
    [TestMethod]
    public void Equals_compares_values_deeply_and_numbers_across_integer_and_float()
    {
        Assert.IsTrue((bool)Wdl.Eval("equals(1, 1.0)"));
        Assert.IsFalse((bool)Wdl.Eval("equals(101, '101')"));
        Assert.IsFalse((bool)Wdl.Eval("equals('A', 'a')"));
        Assert.IsTrue((bool)Wdl.Eval("equals(json('{\"a\":[1,{\"b\":2}]}'), json('{\"a\":[1,{\"b\":2.0}]}'))"));
        Assert.IsTrue((bool)Wdl.Eval("equals(json('{\"a\":1,\"b\":2}'), json('{\"b\":2,\"a\":1}'))"));
        Assert.IsTrue((bool)Wdl.Eval("equals(null, null)"));
    }

    [TestMethod]
    public void Comparisons_treat_null_as_the_empty_string_as_Microsoft_documents()
    {
        Assert.IsTrue((bool)Wdl.Eval("equals(null, '')"));
        Assert.IsTrue((bool)Wdl.Eval("equals(json('{}')?['missing'], '')"));
        Assert.IsFalse((bool)Wdl.Eval("equals(null, 0)"));
        Assert.IsTrue((bool)Wdl.Eval("less(null, 'a')"));
    }

    [TestMethod]
    public void Equals_treats_true_as_the_number_one_as_Microsoft_documents()
    {
        Assert.IsTrue((bool)Wdl.Eval("equals(true, 1)"));
        Assert.IsFalse((bool)Wdl.Eval("equals(true, 2)"));
        Assert.IsTrue((bool)Wdl.Eval("equals(0, false)"));
    }

    [TestMethod]
    public void Ordering_compares_numbers_or_strings_ignoring_case()
    {
        Assert.IsTrue((bool)Wdl.Eval("greater(10, 9.5)"));
        Assert.IsTrue((bool)Wdl.Eval("less('apple', 'Banana')"));
        Assert.IsTrue((bool)Wdl.Eval("greaterOrEquals('ABC', 'abc')"));
        Assert.IsTrue((bool)Wdl.Eval("lessOrEquals(3, 3)"));
    }

    [TestMethod]
    public void Ordering_values_of_different_kinds_or_null_fails()
    {
        StringAssert.Contains(Wdl.Error("greater('10', 9)"), "'greater'");
        StringAssert.Contains(Wdl.Error("less(null, 1)"), "'less' expects parameters of the same type");
        StringAssert.Contains(Wdl.Error("greater(createArray(1), 1)"), "type 'Array'");
    }

    [TestMethod]
    public void And_or_and_if_evaluate_only_what_decides_the_result()
    {
        Assert.IsFalse((bool)Wdl.Eval("and(false, div(1, 0))"));
        Assert.IsTrue((bool)Wdl.Eval("or(true, div(1, 0))"));
        Assert.AreEqual("safe", Wdl.Text("if(true, 'safe', div(1, 0))"));
        Assert.IsTrue((bool)Wdl.Eval("and(true, true, true)"));
        Assert.IsFalse((bool)Wdl.Eval("or(false, false, false)"));
    }

    [TestMethod]
    public void Logical_functions_require_booleans()
    {
        StringAssert.Contains(Wdl.Error("not('true')"), "'not' expects its parameter to be a boolean");
        StringAssert.Contains(Wdl.Error("and(true, 1)"), "'and' expects its second parameter to be a boolean");
        StringAssert.Contains(Wdl.Error("if('yes', 1, 2)"), "'if'");
    }
}
