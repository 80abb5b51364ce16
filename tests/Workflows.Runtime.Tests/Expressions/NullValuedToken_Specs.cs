using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions;

/// <summary>
/// Values that bindings build in C# (<c>obj["x"] = (string?)null</c>) are JValues of type String holding
/// null. They serialize as JSON null, so expressions must see null, exactly as if the JSON had been parsed.
/// </summary>
[TestClass]
public sealed class NullValuedToken_Specs
{
    private static IExpressionScope TriggerWithNullValuedCorrelationId()
    {
        var body = new JObject { ["messageId"] = "m-1" };
        body["correlationId"] = (string?)null;
        return StaticExpressionScope.FromContext(new JObject { ["trigger"] = new JObject { ["outputs"] = new JObject { ["body"] = body } } });
    }

    [TestMethod]
    public void Coalesce_skips_a_property_that_holds_a_null_valued_string_token() =>
        Assert.AreEqual("m-1", (string?)WdlExpression.Parse("coalesce(triggerBody()?['correlationId'], triggerBody()?['messageId'])").Evaluate(TriggerWithNullValuedCorrelationId()));

    [TestMethod]
    public void Equals_null_is_true_for_a_null_valued_string_token() =>
        Assert.IsTrue((bool)WdlExpression.Parse("equals(triggerBody()?['correlationId'], null)").Evaluate(TriggerWithNullValuedCorrelationId()));
}
