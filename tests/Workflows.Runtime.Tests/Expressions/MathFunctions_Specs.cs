using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions;

[TestClass]
public sealed class MathFunctions_Specs
{
    [TestMethod]
    public void Integer_operands_give_integers_and_any_float_gives_a_float()
    {
        Assert.AreEqual(JTokenType.Integer, Wdl.Eval("add(1, 2)").Type);
        Assert.AreEqual(2.5, (double)Wdl.Eval("add(1, 1.5)"));
        Assert.AreEqual(JTokenType.Float, Wdl.Eval("mul(1.5, 2)").Type);
        Assert.AreEqual(-1L, (long)Wdl.Eval("sub(1, 2)"));
    }

    [TestMethod]
    public void Div_truncates_integers_and_divides_floats()
    {
        Assert.AreEqual(2L, (long)Wdl.Eval("div(11, 5)"));
        Assert.AreEqual(-2L, (long)Wdl.Eval("div(-11, 5)"));
        Assert.AreEqual(2.2, (double)Wdl.Eval("div(11, 5.0)"), 1e-12);
    }

    [TestMethod]
    public void Mod_keeps_the_sign_of_the_dividend()
    {
        Assert.AreEqual(-1L, (long)Wdl.Eval("mod(-5, 2)"));
        Assert.AreEqual(1L, (long)Wdl.Eval("mod(4, -3)"));
        Assert.AreEqual(1.5, (double)Wdl.Eval("mod(5.5, 2)"));
    }

    [TestMethod]
    public void Dividing_by_zero_fails_naming_the_function()
    {
        StringAssert.Contains(Wdl.Error("div(1, 0)"), "The template language function 'div' cannot divide by zero");
        StringAssert.Contains(Wdl.Error("mod(1, 0.0)"), "The template language function 'mod' cannot divide by zero");
    }

    [TestMethod]
    public void Integer_overflow_is_an_error_not_a_wrap_around()
    {
        StringAssert.Contains(Wdl.Error("add(9223372036854775807, 1)"), "'add'");
    }

    [TestMethod]
    public void Max_and_min_take_numbers_or_one_array_of_numbers()
    {
        Assert.AreEqual(3.5, (double)Wdl.Eval("max(1, 3.5, 2)"));
        Assert.AreEqual(1L, (long)Wdl.Eval("min(createArray(3, 1, 2))"));
        StringAssert.Contains(Wdl.Error("max(1, 'a')"), "'max'");
        StringAssert.Contains(Wdl.Error("min(json('[]'))"), "'min'");
    }

    [TestMethod]
    public void Rand_stays_in_the_half_open_range_and_follows_the_injected_randomness()
    {
        var expression = WdlExpression.Parse("rand(1, 4)");
        var seen = new HashSet<long>();
        var scope = StaticExpressionScope.FromContext(null, new Random(1));
        for (var i = 0; i < 200; i++) seen.Add((long)expression.Evaluate(scope));
        CollectionAssert.AreEquivalent(new long[] { 1, 2, 3 }, seen.ToArray());
        Assert.AreEqual((long)expression.Evaluate(StaticExpressionScope.FromContext(null, new Random(5))),
            (long)expression.Evaluate(StaticExpressionScope.FromContext(null, new Random(5))));
        StringAssert.Contains(Wdl.Error("rand(5, 5)"), "'rand'");
    }

    [TestMethod]
    public void Range_counts_up_from_the_start_with_at_most_100000_items()
    {
        Wdl.AreJsonEqual("[-1, 0, 1]", Wdl.Eval("range(-1, 3)"));
        Assert.AreEqual(100000, ((JArray)Wdl.Eval("range(0, 100000)")).Count);
        StringAssert.Contains(Wdl.Error("range(0, 100001)"), "'range'");
    }

    [TestMethod]
    public void Decimal_arithmetic_keeps_precision_only_as_text()
    {
        Assert.AreEqual("2.4691357824624262", Wdl.Text("string(add(decimal('1.2345678912312131'), decimal('1.2345678912312131')))"));
        Assert.AreEqual(2.469135782462426, (double)Wdl.Eval("add(decimal('1.2345678912312131'), decimal('1.2345678912312131'))"));
    }
}
