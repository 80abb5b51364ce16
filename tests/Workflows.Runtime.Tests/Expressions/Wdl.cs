using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Workflows.Runtime.Expressions;

namespace Workflows.Runtime.Tests.Expressions;

/// <summary>Short helpers for expression specs: evaluate against a context given as JSON text.</summary>
internal static class Wdl
{
    public static JToken Eval(string expression, string? context = null) =>
        WdlExpression.Parse(expression).Evaluate(Scope(context));

    public static JToken Template(string value, string? context = null) =>
        WdlTemplate.Evaluate(new JValue(value), Scope(context));

    public static string Text(string expression, string? context = null)
    {
        var result = Eval(expression, context);
        Assert.AreEqual(JTokenType.String, result.Type, $"'{expression}' should give a string, gave {result.ToString(Formatting.None)}");
        return (string)result!;
    }

    public static string Error(string expression, string? context = null)
    {
        try
        {
            var result = Eval(expression, context);
            Assert.Fail($"'{expression}' should fail but gave {result.ToString(Formatting.None)}");
            return "";
        }
        catch (WdlExpressionException ex)
        {
            return ex.Message;
        }
    }

    public static StaticExpressionScope Scope(string? context) =>
        StaticExpressionScope.FromContext(context is null ? null : Json(context) as JObject);

    public static JToken Json(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JToken.ReadFrom(reader);
    }

    public static void AreJsonEqual(string expectedJson, JToken actual) =>
        Assert.IsTrue(JToken.DeepEquals(Json(expectedJson), actual), $"expected {expectedJson} but got {actual.ToString(Formatting.None)}");
}
