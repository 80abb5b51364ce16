using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions;

/// <summary>Calling one function on evaluated values, as the If action's object conditions need.</summary>
[TestClass]
public sealed class WdlFunctions_Specs
{
    private static readonly IExpressionScope Scope = StaticExpressionScope.FromContext(null);

    [TestMethod]
    public void A_condition_leaf_gives_the_same_answer_as_the_function_in_an_expression()
    {
        Assert.IsTrue((bool)WdlFunctions.Invoke("equals", [new JValue(1), new JValue(1.0)], Scope));
        Assert.IsTrue((bool)WdlFunctions.Invoke("contains", [new JValue("Microsoft Teams"), new JValue("Microsoft")], Scope));
        Assert.IsTrue((bool)WdlFunctions.Invoke("STARTSWITH", [new JValue("Hello"), new JValue("he")], Scope));
        Assert.IsTrue((bool)WdlFunctions.Invoke("equals", [JValue.CreateNull(), new JValue("")], Scope));
        Assert.IsFalse((bool)WdlFunctions.Invoke("and", [new JValue(true), new JValue(false)], Scope));
    }

    [TestMethod]
    public void Unknown_functions_wrong_counts_and_bad_values_fail_with_template_language_messages()
    {
        Assert.IsFalse(WdlFunctions.Exists("nope"));
        StringAssert.Contains(Assert.ThrowsExactly<WdlEvaluationException>(() => WdlFunctions.Invoke("nope", [], Scope)).Message, "'nope' is not defined");
        StringAssert.Contains(Assert.ThrowsExactly<WdlEvaluationException>(() => WdlFunctions.Invoke("equals", [new JValue(1)], Scope)).Message, "'equals'");
        StringAssert.Contains(Assert.ThrowsExactly<WdlEvaluationException>(() => WdlFunctions.Invoke("greater", [new JValue("10"), new JValue(9)], Scope)).Message, "'greater'");
    }
}
